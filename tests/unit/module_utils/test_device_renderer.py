# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device renderer interface: the platform table, and what the base does for every platform."""

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import (
    PLATFORMS, backend_for_network_os, platform_options, renderer_for)
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import (
    ROUTERS, AclKey, CiscoIos, DeviceRenderer, Entry, Flow, split_flows)
from ansible_collections.purecloud.firewall.plugins.module_utils.site import render_network_site

SITE_CLASSES = ("edge", "voip_phone")
OUT = Rule(source_class="edge", destination_class="purecloud", sources=("198.51.100.128/28", "2001:db8:1::/64"),
           destinations="any", protocol="tcp", ports=("443", "5060-5061"), ids=("edge.https",))
IN = Rule(source_class="sip_provider", destination_class="edge", sources=("203.0.113.60/32",),
          destinations=("198.51.100.128/28",), protocol="udp", ports=("5060",), ids=("trunk.sip",))


class LabAcls(DeviceRenderer):
    """A platform that overrides only the one hook the base cannot know: how one list looks."""

    name = "lab_acls"
    module = "lab.net.lab_acls"
    network_os = ("lab.net.lab",)

    def acl(self, key, flows, product, default_policy):
        return {"name": self.acl_name(product, key.direction, key.family),
                "permits": ["%s %s" % (entry.protocol, entry.ports) for flow in flows for entry in flow.entries]}


@pytest.fixture
def lab(monkeypatch):
    monkeypatch.setitem(PLATFORMS, LabAcls.name, LabAcls)
    return renderer_for(LabAcls.name)


# ------------------------------------------------------------------ the table
def test_each_platform_is_registered_under_its_own_name_with_its_module_and_network_os():
    assert [platform.name for platform in ROUTERS] == ["cisco_ios", "cisco_nxos", "arista_eos", "junos", "vyos"]
    assert all(PLATFORMS[platform.name] is platform for platform in ROUTERS)
    claimed = [os_name for platform in PLATFORMS.values() for os_name in platform.network_os]
    assert len(claimed) == len(set(claimed))
    for name, platform in PLATFORMS.items():
        assert issubclass(platform, DeviceRenderer) and platform.name == name
        assert platform.module.count(".") == 2
        assert all(backend_for_network_os(os_name) == name for os_name in platform.network_os)
    assert [platform.config_key for platform in ROUTERS] == ["acls", "acls", "acls", "acls", "rule_sets"]


def test_an_unknown_platform_names_the_option_and_the_choices():
    with pytest.raises(PurecloudFirewallError) as raised:
        renderer_for("cisco_pix", "purecloud_firewall_backend")
    assert str(raised.value).startswith("unknown purecloud_firewall_backend 'cisco_pix'; expected one of: arista_eos, ")
    assert "cisco_ios, cisco_nxos, " in str(raised.value)
    with pytest.raises(PurecloudFirewallError, match=r"unknown network backend 'cisco_nxo' \(did you mean 'cisco_nxos'"):
        renderer_for("cisco_nxo")
    with pytest.raises(PurecloudFirewallError, match=r"unknown network backend \['vyos'\]"):
        renderer_for(["vyos"])
    with pytest.raises(PurecloudFirewallError, match="unknown purecloud_firewall_backend 'lab_acls'"):
        render_network_site({"products": ["edge"], "region": "us-east-1"}, "lab_acls")


class LabZoned(LabAcls):
    """A platform with an option of its own, read once from the site's settings."""

    name = "lab_zoned"
    options = {"lab_zone": dict(type="str", default="trust")}

    def configure(self, settings):
        self.zone = settings.get("lab_zone") or "trust"


def test_a_platform_reads_its_own_options_from_the_site_settings(monkeypatch):
    monkeypatch.setitem(PLATFORMS, LabZoned.name, LabZoned)
    assert renderer_for("lab_zoned", settings={"lab_zone": "inside"}).zone == "inside"
    assert renderer_for("lab_zoned").zone == "trust"
    assert platform_options()["lab_zone"] == {"type": "str", "default": "trust"}


def test_two_platforms_never_declare_the_same_option(monkeypatch):
    twin = type("LabTwin", (LabZoned,), {"name": "lab_twin"})
    monkeypatch.setitem(PLATFORMS, LabZoned.name, LabZoned)
    monkeypatch.setitem(PLATFORMS, twin.name, twin)
    with pytest.raises(ValueError, match="platform option lab_zone is declared twice"):
        platform_options()


def test_an_unknown_default_policy_names_the_choices():
    with pytest.raises(PurecloudFirewallError, match="unknown default policy 'reject'; expected one of: accept, drop"):
        renderer_for("junos").render([OUT], "edge", "reject", SITE_CLASSES)


# ------------------------------------------------------------------- the base
def test_rules_split_by_direction_and_family_and_expand_to_one_entry_per_port_range():
    flows = split_flows([OUT, IN], SITE_CLASSES)
    assert sorted(flows, key=lambda key: key.order) == [AclKey("out", 4), AclKey("in", 4), AclKey("out", 6)]
    assert flows[AclKey("out", 6)] == [Flow(("edge.https",), (Entry("2001:db8:1::/64", None, "tcp", 443, 443),
                                                              Entry("2001:db8:1::/64", None, "tcp", 5060, 5061)))]
    assert flows[AclKey("in", 4)][0].entries == (Entry("203.0.113.60/32", "198.51.100.128/28", "udp", 5060, 5060),)
    assert [entry.ports for entry in flows[AclKey("out", 4)][0].entries] == ["443", "5060-5061"]


def test_a_platform_overriding_one_hook_gets_sections_names_ownership_merging_and_deletion(lab):
    edge = lab.render([OUT, IN], "edge", site_classes=SITE_CLASSES)
    assert edge.module == "lab.net.lab_acls" and edge.commands is None
    assert edge.config == [
        {"afi": "ipv4", "acls": [{"name": "PURECLOUD-EDGE-OUT", "permits": ["tcp 443", "tcp 5060-5061"]},
                                 {"name": "PURECLOUD-EDGE-IN", "permits": ["udp 5060"]}]},
        {"afi": "ipv6", "acls": [{"name": "PURECLOUD-EDGE-OUT-V6", "permits": ["tcp 443", "tcp 5060-5061"]}]}]
    assert edge.owned == (("ipv4", "PURECLOUD-EDGE-OUT"), ("ipv4", "PURECLOUD-EDGE-IN"),
                          ("ipv6", "PURECLOUD-EDGE-OUT-V6"))
    voice = lab.render([IN], "voice", site_classes=SITE_CLASSES)
    merged = lab.merge([edge, voice])
    assert [[acl["name"] for acl in section["acls"]] for section in merged.config] == [
        ["PURECLOUD-EDGE-OUT", "PURECLOUD-EDGE-IN", "PURECLOUD-VOICE-IN"], ["PURECLOUD-EDGE-OUT-V6"]]
    assert merged.owned == edge.owned + voice.owned
    gone = lab.deleted(["edge"])
    assert gone.as_dict() == {"module": "lab.net.lab_acls", "acls": [
        ("ipv4", "PURECLOUD-EDGE-OUT"), ("ipv4", "PURECLOUD-EDGE-IN"),
        ("ipv6", "PURECLOUD-EDGE-OUT-V6"), ("ipv6", "PURECLOUD-EDGE-IN-V6")], "config": [
        {"afi": "ipv4", "acls": [{"name": "PURECLOUD-EDGE-OUT"}, {"name": "PURECLOUD-EDGE-IN"}]},
        {"afi": "ipv6", "acls": [{"name": "PURECLOUD-EDGE-OUT-V6"}, {"name": "PURECLOUD-EDGE-IN-V6"}]}]}
    assert backend_for_network_os("lab.net.lab") == "lab_acls"


def test_a_registered_platform_reaches_a_site_without_other_changes(lab):
    settings = {"products": ["edge"], "region": "us-east-1",
                "networks": {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"]},
                "network_render_only": True}
    rendered = render_network_site(settings, lab.name)
    assert rendered["module"] == "lab.net.lab_acls" and rendered["state"] == "rendered"
    assert "commands" not in rendered
    assert rendered["acls"][0] == ("ipv4", "PURECLOUD-EDGE-OUT")
    removal = dict(settings, state="absent", network_render_only=False)
    assert render_network_site(removal, lab.name)["state"] == "deleted"


def test_a_subclass_overriding_the_names_keeps_its_parents_entries():
    class Renamed(CiscoIos):
        def acl_name(self, product, direction, family):
            return "pc-%s-%s-%d" % (product, direction, family)

    ios = renderer_for("cisco_ios").render([OUT], "edge", site_classes=SITE_CLASSES)
    renamed = Renamed().render([OUT], "edge", site_classes=SITE_CLASSES)
    assert [name for _afi, name in renamed.owned] == ["pc-edge-out-4", "pc-edge-out-6"]
    assert [acl["aces"] for section in renamed.config for acl in section["acls"]] == \
        [acl["aces"] for section in ios.config for acl in section["acls"]]
    assert [item["name"] for item in Renamed().deleted(["edge"]).config[1]["acls"]] == ["pc-edge-out-6", "pc-edge-in-6"]


def test_vyos_commands_are_those_of_the_merged_config():
    vyos = renderer_for("vyos")
    edge = vyos.render([OUT], "edge", site_classes=SITE_CLASSES)
    voice = vyos.render([IN], "voice", site_classes=SITE_CLASSES)
    merged = vyos.merge([edge, voice])
    assert merged.commands == tuple(vyos.commands(merged.config))
    assert merged.commands.index("set firewall name PURECLOUD-VOICE-IN default-action 'drop'") < \
        merged.commands.index("set firewall ipv6-name PURECLOUD-EDGE-OUT-V6 default-action 'drop'")
    assert vyos.deleted(["edge"]).commands is None  # a deleted run names the rule sets, nothing to set
