"""The built tarball as a user installs it: a fresh virtual environment, its dependencies resolved, offline.

A new virtual environment gets ansible-core alone (the version the tests run
on), then ``ansible-galaxy collection install --offline`` installs the
tarball with a device platform's collections from a local directory of
collection tarballs, resolving their dependencies (vyos.vyos needs
ansible.netcommon, which needs ansible.utils); without ansible.utils the
install must fail, naming it.  Then, with only what was installed there:
ansible-doc documents every plugin and role of the collection, the Linux
checks of check-installed.sh pass, and a role runs in check mode on a
render-only VyOS device, with no other vendor's collection installed.

    python tests/build/check-install.py .build/dist/purecloud-firewall-X.tar.gz
"""

from __future__ import annotations

import hashlib
import json
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# A device platform's collection and what it depends on, as Galaxy serves them; taken from the development
# environment's installed copies (no Galaxy server is reachable here).
PLATFORM_COLLECTIONS = ("vyos.vyos", "ansible.netcommon", "ansible.utils")
PLUGIN_TYPES = ("module", "lookup", "filter", "test", "inventory", "callback")


def run(argv, env, expect_ok=True):
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600, check=False)
    if expect_ok and done.returncode != 0:
        sys.exit("check-install: %s failed:\n%s%s" % (" ".join(argv), done.stdout[-4000:], done.stderr[-4000:]))
    return done


def collection_artifact(name, into):
    """A Galaxy-style tarball of an installed collection: its files, and FILES.json and MANIFEST.json for them.

    The pip-installed copies lack files Galaxy's tarballs have (dotfiles, tests); FILES.json lists only what is
    there, with each file's checksum, as ansible-galaxy verifies them on install.
    """
    import ansible_collections  # the development environment's, from the `ansible` package
    namespace, short = name.split(".")
    source = next(os.path.join(top, namespace, short) for top in ansible_collections.__path__
                  if os.path.isdir(os.path.join(top, namespace, short)))
    with open(os.path.join(source, "MANIFEST.json")) as handle:
        manifest = json.load(handle)
    with open(os.path.join(source, "FILES.json")) as handle:
        files = json.load(handle)
    kept = [entry for entry in files["files"] if entry["name"] == "."
            or os.path.lexists(os.path.join(source, entry["name"]))]
    files["files"] = kept
    files_text = json.dumps(files, indent=4).encode()
    manifest["file_manifest_file"]["chksum_sha256"] = hashlib.sha256(files_text).hexdigest()
    version = manifest["collection_info"]["version"]
    path = os.path.join(into, "%s-%s-%s.tar.gz" % (namespace, short, version))
    with tarfile.open(path, "w:gz") as tar:
        for blob, member in ((json.dumps(manifest, indent=4).encode(), "MANIFEST.json"),
                             (files_text, "FILES.json")):
            info = tarfile.TarInfo(member)
            info.size = len(blob)
            tar.addfile(info, fileobj=io.BytesIO(blob))
        for entry in kept:
            if entry["name"] != ".":
                tar.add(os.path.join(source, entry["name"]), arcname=entry["name"], recursive=False)
    return path


def main(tarball):
    import ansible.release
    work = tempfile.mkdtemp(prefix="purecloud-install-")
    try:
        venv = os.path.join(work, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        bin_dir = os.path.join(venv, "bin")
        env = dict(os.environ, PATH=bin_dir + os.pathsep + "/usr/bin:/bin", ANSIBLE_DEPRECATION_WARNINGS="false",
                   ANSIBLE_COLLECTIONS_PATH=os.path.join(work, "collections"),
                   ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false", ANSIBLE_LOCAL_TEMP=os.path.join(work, "tmp"))
        env.pop("VIRTUAL_ENV", None)
        env.pop("PYTHONPATH", None)
        run([os.path.join(bin_dir, "pip"), "install", "-q", "ansible-core==%s" % ansible.release.__version__], env)

        tarballs = os.path.join(work, "tarballs")
        os.mkdir(tarballs)
        artifacts = dict((name, collection_artifact(name, tarballs)) for name in PLATFORM_COLLECTIONS)
        galaxy = os.path.join(bin_dir, "ansible-galaxy")
        # Without ansible.utils, the dependency of ansible.netcommon is unresolved: the install says so.
        short = run([galaxy, "collection", "install", "--offline", "-p", os.path.join(work, "short"), tarball,
                     artifacts["vyos.vyos"], artifacts["ansible.netcommon"]], env, expect_ok=False)
        if short.returncode == 0 or "ansible.utils" not in short.stdout + short.stderr:
            sys.exit("check-install: a missing dependency went unnoticed:\n%s%s" % (short.stdout, short.stderr))
        done = run([galaxy, "collection", "install", "--offline", "-p", os.path.join(work, "collections"),
                    tarball] + sorted(artifacts.values()), env)
        for name in ("purecloud.firewall",) + PLATFORM_COLLECTIONS:
            if "%s:" % name not in done.stdout:
                sys.exit("check-install: %s was not installed:\n%s" % (name, done.stdout))

        # ansible-doc documents every plugin and role the collection has.
        documented = 0
        for plugin_type in PLUGIN_TYPES + ("role",):
            names = sorted(json.loads(run(["ansible-doc", "-t", plugin_type, "-l", "purecloud.firewall", "--json"],
                                          env).stdout))
            if names:
                run(["ansible-doc", "-t", plugin_type] + names, env)
                documented += len(names)
        installed = os.path.join(work, "collections", "ansible_collections", "purecloud", "firewall")
        expected = sum(1 for folder in ("modules", "lookup", "filter")
                       for name in os.listdir(os.path.join(installed, "plugins", folder))
                       if name.endswith(".py") and name != "__init__.py")
        expected += len(os.listdir(os.path.join(installed, "roles")))
        if documented < expected:
            sys.exit("check-install: ansible-doc listed %d plugins and roles, the tarball has %d"
                     % (documented, expected))

        run(["bash", os.path.join(HERE, "check-installed.sh")], env)
        # Every playbook loads without the collections of platforms the site does not have.
        for playbook_name in sorted(os.listdir(os.path.join(installed, "playbooks"))):
            if playbook_name.endswith(".yml") and playbook_name not in ("reachable.yml", "unreachable.yml"):
                run(["ansible-playbook", "-i", "localhost,", "--syntax-check",
                     "purecloud.firewall." + playbook_name[:-4]], env)

        # A role in check mode on a render-only VyOS device: only vyos.vyos and its dependencies are installed.
        inventory = os.path.join(work, "inventory.yml")
        with open(inventory, "w") as handle:
            json.dump({"all": {"hosts": {"vyos1": {
                "ansible_network_os": "vyos.vyos.vyos", "ansible_connection": "ansible.netcommon.network_cli",
                "ansible_host": "127.0.0.1", "ansible_port": 9, "purecloud_network_render_only": True,
                "purecloud_region": "us-east-1", "purecloud_output_dir": work,
                "purecloud_networks": {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"]}}}}},
                handle)
        playbook = os.path.join(work, "play.yml")
        with open(playbook, "w") as handle:
            json.dump([{"hosts": "all", "gather_facts": False, "roles": ["purecloud.firewall.edge"]}], handle)
        played = run(["ansible-playbook", "-i", inventory, playbook, "--check"], env)
        if not re.search(r"^vyos1\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0", played.stdout, re.M):
            sys.exit("check-install: the role in check mode:\n%s" % played.stdout[-4000:])
        print("check-install: the tarball installs with its dependencies resolved offline into a fresh "
              "environment; %d plugins and roles document themselves; a role runs in check mode" % documented)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1])
