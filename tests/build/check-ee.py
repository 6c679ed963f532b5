"""The execution environment's build context, made by ansible-builder from examples/execution-environment.yml.

No container engine nor registry is reachable here, so the image is not
built; what ansible-builder would build it from is checked instead:

* the context installs the collections of examples/ee-requirements.yml with
  ansible-galaxy, and holds the tarball `make build` wrote under the name
  that file gives it;
* ansible-builder's introspection of the installed collection (what the
  image's builder stage runs) gives exactly the Python packages of
  meta/ee-requirements.txt, none of the development pins of requirements.txt,
  and no system package (meta/ee-bindep.txt says why).

    python tests/build/check-ee.py ANSIBLE_BUILDER INSTALLED_COLLECTIONS TARBALL CONTEXT
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEVELOPMENT_ONLY = ("pytest", "molecule", "ansible-lint", "yamllint", "pacparser", "ansible-builder",
                    "antsibull-changelog", "netaddr", "jmespath")


def fail(message):
    sys.exit("check-ee: " + message)


def requirement_names(lines):
    return [re.split(r"[<>=!~ ;#\[]", line.strip(), maxsplit=1)[0].lower() for line in lines
            if line.strip() and not line.strip().startswith("#")]


def main(builder, installed, tarball, context):
    shutil.rmtree(context, ignore_errors=True)
    done = subprocess.run([builder, "create", "-f", os.path.join(ROOT, "examples", "execution-environment.yml"),
                           "-c", context], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        fail("ansible-builder create failed:\n%s%s" % (done.stdout, done.stderr))
    build_file = [name for name in ("Containerfile", "Dockerfile") if os.path.exists(os.path.join(context, name))]
    if not build_file:
        fail("no Containerfile in %s" % context)
    with open(os.path.join(context, build_file[0])) as handle:
        instructions = handle.read()
    if not re.search(r"ansible-galaxy collection install .*-r requirements\.yml", instructions):
        fail("%s installs no galaxy requirements" % build_file[0])
    with open(os.path.join(context, "_build", "requirements.yml")) as handle:
        wanted = yaml.safe_load(handle)["collections"]
    with open(os.path.join(ROOT, "examples", "ee-requirements.yml")) as handle:
        if wanted != yaml.safe_load(handle)["collections"]:
            fail("the context's requirements.yml is not examples/ee-requirements.yml")
    ours = [entry["name"] for entry in wanted if entry.get("type") == "file"]
    if ours != ["collections/" + os.path.basename(tarball)]:
        fail("ee-requirements.yml names %s, the build wrote %s" % (ours, os.path.basename(tarball)))
    copied = os.path.join(context, "_build", ours[0])
    if not os.path.exists(copied) or not filecmp.cmp(copied, tarball, shallow=False):
        fail("the context lacks the built tarball at _build/%s" % ours[0])

    done = subprocess.run([builder, "introspect", "--sanitize", installed], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        fail("ansible-builder introspect failed:\n%s%s" % (done.stdout, done.stderr))
    found = yaml.safe_load(done.stdout)
    with open(os.path.join(ROOT, "meta", "ee-requirements.txt")) as handle:
        declared = requirement_names(handle)
    python = requirement_names(found.get("python") or [])
    if not declared or python != declared:
        fail("introspection gives Python packages %s, meta/ee-requirements.txt declares %s" % (python, declared))
    leaked = [name for name in python if name in DEVELOPMENT_ONLY]
    if leaked:
        fail("development packages in the execution environment: %s" % leaked)
    if found.get("system"):
        fail("introspection gives system packages %s; meta/ee-bindep.txt declares none" % found["system"])
    print("check-ee: the build context installs %d collections with the built tarball; the collection brings %s"
          % (len(wanted), ", ".join(python)))


if __name__ == "__main__":
    main(*sys.argv[1:5])
