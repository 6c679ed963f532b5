# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every file a playbook of the collection writes goes under purecloud_output_dir, by default where the run was
started, never inside the collection; each playbook prints the paths it wrote."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
VENV_BIN = os.path.dirname(sys.executable)
# (playbook, its extra variables, the files it writes relative to the output folder)
PLAYBOOKS = [
    ("report.yml", [], ["purecloud-report/purecloud-firewall.%s" % ext for ext in ("md", "html", "csv", "json")]),
    ("changes.yml", ["-e", "purecloud_edition_old=2018-11-21"], ["purecloud-changes.json"]),
    ("egress_files.yml", ["-e", "purecloud_region=us-east-1"],
     ["purecloud-egress/us-east-1.domains", "purecloud-egress/purecloud-us-east-1.conf"]),
]


def run(playbook, extra, cwd):
    # PWD as a parent that changed directory without a shell leaves it (AWX's runner, a test): wrong on purpose.
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"), PWD="/nonexistent",
               ANSIBLE_NOCOLOR="1", PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    return subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", os.path.join(ROOT, "examples", "inventory"),
                           os.path.join(ROOT, "playbooks", playbook)] + extra, cwd=str(cwd), env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def collection_files():
    return set(os.path.join(d, f) for d, _dirs, files in os.walk(os.path.join(ROOT, "playbooks")) for f in files)


@pytest.mark.parametrize("playbook, extra, written", PLAYBOOKS, ids=[p[0] for p in PLAYBOOKS])
def test_a_playbook_writes_where_it_was_started_and_says_where(tmp_path, playbook, extra, written):
    before = collection_files()
    done = run(playbook, extra, tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    for name in written:
        assert (tmp_path / name).is_file(), (name, sorted(os.listdir(tmp_path)))
        assert str(tmp_path / name) in done.stdout, name  # printed where it is
    assert collection_files() == before


def test_purecloud_output_dir_moves_them_all(tmp_path):
    done = run("report.yml", ["-e", "purecloud_output_dir=%s" % (tmp_path / "out")], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert sorted(os.listdir(tmp_path / "out" / "purecloud-report")) == [
        "purecloud-firewall.csv", "purecloud-firewall.html", "purecloud-firewall.json", "purecloud-firewall.md"]


def test_output_path_keeps_an_absolute_path_and_puts_a_relative_one_under_the_folder(tmp_path, monkeypatch):
    from ansible_collections.purecloud.firewall.plugins.plugin_utils.output import output_path

    monkeypatch.chdir(tmp_path)
    assert output_path("/srv/review") == "/srv/review"
    assert output_path("review") == str(tmp_path / "review")
    assert output_path("review", "out") == str(tmp_path / "out" / "review")
