"""The built tarball holds only what runs and what a user reads: no tests, lab, benchmarks or development files.

    python tests/build/check-tarball.py .build/dist/purecloud-firewall-X.tar.gz
"""

from __future__ import annotations

import sys
import tarfile

# What a collection user gets: Galaxy's two manifests, the collection's code, data and documentation.
TOP_LEVEL = {"MANIFEST.json", "FILES.json", "README.md", "LICENSE", "CHANGELOG.md", "requirements.yml",
             "changelogs", "docs", "examples", "meta", "playbooks", "plugins", "roles", "vars"}
# Never in it, wherever they sit.
FORBIDDEN_PARTS = {"tests", "bench", "scripts", "extensions", "__pycache__", ".venv", ".build", ".tools"}
FORBIDDEN_NAMES = {"requirements.txt", "pytest.ini", "Makefile", ".ansible-lint", ".ansible-lint-ignore",
                   ".gitignore", ".yamllint"}


def main(path):
    with tarfile.open(path) as tar:
        names = tar.getnames()
    wrong = sorted(name for name in names
                   if name.split("/")[0] not in TOP_LEVEL
                   or FORBIDDEN_PARTS & set(name.split("/"))
                   or name.rsplit("/", 1)[-1] in FORBIDDEN_NAMES)
    if wrong:
        sys.exit("check-tarball: %s holds what does not run: %s" % (path, ", ".join(wrong[:40])))
    for needed in ("plugins/action/apply.py", "roles/edge/tasks/network/junos.yml", "vars/catalog.yml",
                   "meta/runtime.yml", "playbooks/site.yml"):
        if needed not in names:
            sys.exit("check-tarball: %s lacks %s" % (path, needed))
    print("check-tarball: %d files and folders, every one under %s" % (len(names), ", ".join(sorted(TOP_LEVEL))))


if __name__ == "__main__":
    main(sys.argv[1])
