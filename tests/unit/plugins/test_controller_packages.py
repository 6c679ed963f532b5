# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A platform whose rendering needs Python packages the controller lacks is refused before anything is contacted,
naming the packages, what chose the platform and the command that installs them.

Junos's junos_acls builds its NETCONF XML with ncclient's new_ele (without it: "name 'new_ele' is not defined"),
and ncclient needs lxml; the perimeter platforms render through Aerleon.  A package is hidden as an interpreter
without it sees it: ``sys.modules[name] = None``.  The command installs what requirements.txt pins (the
versions the collection is tested with), and so does every pip hint the collection's messages and docs give.
"""

from __future__ import annotations

import os
import re
import sys

import pytest

from apply_harness import Host, run_apply
from conftest import REPO

from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import CONTROLLER_PACKAGES

NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"]}
JUNOS = {"purecloud_region": "us-east-1", "purecloud_networks": NETWORKS, "purecloud_network_render_only": True,
         "ansible_network_os": "junipernetworks.junos.junos", "ansible_connection": "ansible.netcommon.netconf",
         # Strict mode with a feed that is not there: reading it first would fail on the file instead.
         "purecloud_cloud_destinations": "aws_ip_ranges", "purecloud_aws_ip_ranges_src": "/nonexistent/ip-ranges.json"}
PYTHON = sys.executable


def pinned():
    """requirements.txt's pins: package name (lower case) -> its line."""
    with open(os.path.join(REPO, "requirements.txt")) as handle:
        lines = [line.split("#")[0].strip() for line in handle]
    return dict((line.split("==")[0].lower(), line) for line in lines if "==" in line)


PINS = pinned()


def hide(monkeypatch, *names):
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)


def apply(host, **variables):
    return run_apply(host, dict(JUNOS, **variables), products=("edge",))


@pytest.mark.parametrize("hidden, missing, command", [
    (("ncclient",), "ncclient", PINS["ncclient"]),
    (("lxml",), "lxml", PINS["lxml"]),
    (("ncclient", "lxml"), "ncclient, lxml", "%s %s" % (PINS["ncclient"], PINS["lxml"])),
], ids=["ncclient", "lxml", "both"])
def test_junos_without_its_packages_is_refused_naming_them_and_the_install_command(monkeypatch, hidden, missing,
                                                                                   command):
    hide(monkeypatch, *hidden)
    host = Host()
    result = apply(host)
    assert result["failed"] and result["msg"] == (
        "purecloud.firewall.apply: junos rendering needs the Python packages ncclient, lxml on the controller "
        "(ansible_network_os junipernetworks.junos.junos); its Python (%s) has no %s: %s -m pip install %s"
        % (PYTHON, missing, PYTHON, command))
    assert host.calls == []


def test_a_removal_renders_too_and_is_refused_the_same(monkeypatch):
    hide(monkeypatch, "ncclient")
    host = Host()
    result = apply(host, purecloud_firewall_state="absent", purecloud_network_render_only=False)
    assert result["failed"] and "junos rendering needs the Python packages ncclient, lxml" in result["msg"]
    assert host.calls == []


def test_a_platform_set_by_its_variable_is_named_by_it(monkeypatch):
    hide(monkeypatch, "aerleon")
    result = run_apply(Host(), {"purecloud_region": "us-east-1", "purecloud_networks": NETWORKS,
                                "purecloud_firewall_backend": "panos"}, products=("edge",))
    assert result["failed"] and result["msg"] == (
        "purecloud.firewall.apply: panos rendering needs the Python package aerleon on the controller "
        "(purecloud_firewall_backend panos); its Python (%s) has no aerleon: %s -m pip install %s"
        % (PYTHON, PYTHON, PINS["aerleon"]))


def test_with_its_packages_junos_renders_and_a_platform_needing_none_renders_without_them(monkeypatch):
    rendered = apply(Host(), purecloud_cloud_destinations="any")
    assert not rendered.get("failed"), rendered.get("msg")
    assert rendered["network"]["backend"] == "junos" and rendered["network"]["state"] == "rendered"
    hide(monkeypatch, "ncclient", "lxml", "aerleon", "xmltodict", "jxmlease", "paramiko")
    ios = apply(Host(), purecloud_cloud_destinations="any", ansible_network_os="cisco.ios.ios",
                ansible_connection="ansible.netcommon.network_cli")
    assert not ios.get("failed"), ios.get("msg")
    assert ios["network"]["module"] == "cisco.ios.ios_acls"


def test_each_package_a_platform_needs_is_the_requirement_requirements_txt_pins():
    assert sorted(CONTROLLER_PACKAGES) == ["asa", "junos", "panos", "srx", "windows"]
    for backend, packages in CONTROLLER_PACKAGES.items():
        for package in packages:
            assert package.requirement == PINS.get(package.name.lower()), (backend, package)


def hints():
    """Every ``pip install`` of the collection's code and docs: (file, each package it names)."""
    places = [os.path.join(REPO, "README.md")]
    for top in ("plugins", "docs", "roles"):
        for folder, _dirs, files in os.walk(os.path.join(REPO, top)):
            places += [os.path.join(folder, name) for name in files if name.endswith((".py", ".md", ".yml"))]
    for place in places:
        with open(place) as handle:
            text = handle.read()
        for match in re.finditer(r"pip3? install((?: +[-\w.\[\]=<>!~/]+)+)", text):
            words = match.group(1).split()
            named = [word for at, word in enumerate(words)
                     if not word.startswith("-") and not (at and words[at - 1] in ("-r", "--requirement"))]
            yield os.path.relpath(place, REPO), [word for word in named if "%" not in word]


def test_every_pip_hint_installs_the_pinned_requirement():
    found = list(hints())
    assert any(path == "docs/NETWORK.md" for path, _named in found)  # the error shown there
    for path, named in found:
        for word in named:
            name = re.split("[=<>!~\\[]", word)[0].lower()
            assert name in PINS and word == PINS[name], (path, word, PINS.get(name))
