# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What antsibull-changelog release will read is ready for it.

The release takes its version from galaxy.yml; where that version is released
already it only warns and adds the waiting fragments to the old release. It
lists as new the plugins and modules whose ``version_added`` is the version it
releases, so one with another version is left out of every release's notes.
"""

from __future__ import annotations

import ast
import os

import pytest
import yaml
from packaging.version import Version

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FRAGMENTS = os.path.join(ROOT, "changelogs", "fragments")
DOCUMENTED = ("filter", "lookup", "modules")


def load(*path):
    with open(os.path.join(ROOT, *path)) as handle:
        return yaml.safe_load(handle)


def released():
    return load("changelogs", "changelog.yaml")["releases"]


def next_version():
    return load("galaxy.yml")["version"]


def fragments():
    return sorted(name for name in os.listdir(FRAGMENTS) if name.endswith((".yml", ".yaml")))


def documented():
    """(kind, name, version_added) of each plugin and module of the collection."""
    for kind in DOCUMENTED:
        folder = os.path.join(ROOT, "plugins", kind)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".py") or name == "__init__.py":
                continue
            with open(os.path.join(folder, name)) as handle:
                tree = ast.parse(handle.read())
            docs = [node.value.value for node in tree.body if isinstance(node, ast.Assign)
                    and [getattr(target, "id", None) for target in node.targets] == ["DOCUMENTATION"]]
            assert len(docs) == 1, (kind, name)
            yield kind, name[:-3], str(yaml.safe_load(docs[0])["version_added"])


def test_fragments_wait_for_a_version_not_released_yet():
    newest = max(Version(version) for version in released())
    if fragments():
        assert next_version() not in released(), (next_version(), fragments())
        assert Version(next_version()) > newest
    else:
        assert Version(next_version()) >= newest


@pytest.mark.parametrize("kind, name, version_added", list(documented()), ids=str)
def test_version_added_is_a_release_or_the_next_one(kind, name, version_added):
    assert version_added in set(released()) | {next_version()}, (kind, name, version_added)


def test_each_release_lists_the_plugins_and_modules_that_came_with_it():
    for version, release in released().items():
        listed = {("modules", entry["name"]) for entry in release.get("modules", [])}
        for kind, entries in release.get("plugins", {}).items():
            listed |= {(kind, entry["name"]) for entry in entries}
        came = {(kind, name) for kind, name, added in documented() if added == version}
        assert listed == came, (version, sorted(listed ^ came))
