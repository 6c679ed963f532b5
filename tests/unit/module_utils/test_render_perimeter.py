# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every perimeter platform gets from ObjectRenderer: one object set for all products, and its removal."""

from __future__ import annotations

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import PLATFORMS
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import DeviceConfig
from ansible_collections.purecloud.firewall.plugins.module_utils.render_perimeter import ObjectRenderer
from ansible_collections.purecloud.firewall.plugins.module_utils.site import render_network_site

NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"], "workstation": ["198.51.100.224/27"]}


class LabFirewall(ObjectRenderer):
    """A perimeter platform that writes its objects as lines of text, and applies nothing."""

    name = "lab_firewall"
    label = "Lab Firewall"
    module = "lab.fw.lab_objects"
    network_os = ("lab.fw.lab",)
    applies = False
    review_suffix = "txt"

    def objects_config(self, objects, default_policy):
        lines = ["address %s %s" % (g.name, " ".join(g.cidrs or g.fqdns)) for g in objects.addresses]
        lines += ["service %s %s %s" % (s.name, s.protocol, ",".join(s.ports)) for s in objects.services]
        lines += ["policy %s %s -> %s %s" % (p.name, p.source or "any", p.destination or "any", p.service)
                  for p in objects.policies]
        return DeviceConfig(self.module, [{"lines": lines}], tuple(("objects", n) for n in objects.owned_names()),
                            tuple(lines))

    def objects_removal(self, objects):
        names = [p.name for p in objects.policies] + [g.name for g in objects.addresses]
        return DeviceConfig(self.module, [{"remove": names}], tuple(("objects", n) for n in names),
                            tuple("remove %s" % name for name in names))


@pytest.fixture(autouse=True)
def lab(monkeypatch):
    monkeypatch.setitem(PLATFORMS, LabFirewall.name, LabFirewall)


def site(**extra):
    return dict({"products": ["edge", "voice"], "region": "us-east-1", "networks": NETWORKS}, **extra)


def test_every_product_shares_one_object_set_and_render_only_is_said():
    result = render_network_site(site(), "lab_firewall")
    lines = result["commands"]
    # The Edge group is written once, though both products' flows name it.
    assert len([line for line in lines if line.startswith("address PURECLOUD-EDGE ")]) == 1
    assert any(line.startswith("policy PURECLOUD-EDGE-OUT-1 PURECLOUD-EDGE -> ") for line in lines)
    assert any(line.startswith("policy PURECLOUD-VOICE-OUT-1 ") for line in lines)
    assert result["render_only"] is True and result["state"] == "rendered" and result["render_suffix"] == "txt"
    assert any(w.startswith("Lab Firewall is render-only") for w in result["warnings"])


def test_absent_removes_the_policies_and_groups_the_plan_would_create():
    present = render_network_site(site(), "lab_firewall")
    absent = render_network_site(site(state="absent"), "lab_firewall")
    # A render-only platform's removal is text to review too, never a device run.
    assert absent["state"] == "rendered" and absent["render_only"] is True
    assert absent["commands"][0] == "remove PURECLOUD-EDGE-OUT-1" and absent["render_suffix"] == "txt"
    removed = absent["config"][0]["remove"]
    written = [line.split()[1] for line in present["commands"] if line.startswith(("policy", "address"))]
    assert sorted(removed) == sorted(written)
    assert removed.index("PURECLOUD-EDGE-OUT-1") < removed.index("PURECLOUD-EDGE")


def test_a_removal_asked_render_only_is_rendered_or_refused_but_never_sent(monkeypatch):
    applying = type("LabApplying", (LabFirewall,), {"name": "lab_applying", "applies": True})
    monkeypatch.setitem(PLATFORMS, applying.name, applying)
    assert render_network_site(site(state="absent"), "lab_applying")["state"] == "deleted"
    rendered = render_network_site(site(state="absent", network_render_only=True), "lab_applying")
    assert rendered["state"] == "rendered" and rendered["commands"][-1] == "remove PURECLOUD-WORKSTATION"
    # A router's removal is its module's deleted run: nothing to render, so render-only refuses it.
    with pytest.raises(PurecloudFirewallError, match=r"purecloud_network_render_only with purecloud_firewall_state "
                                                     r"absent: Cisco IOS / IOS-XE removes through its module's "
                                                     r"deleted state"):
        render_network_site(site(state="absent", network_render_only=True), "cisco_ios")


def test_domains_on_a_platform_without_fqdn_objects_name_it():
    with pytest.raises(PurecloudFirewallError, match=r"domains needs FQDN address objects, which Lab Firewall "
                                                     r"\(lab_firewall\) does not have"):
        PLATFORMS["lab_firewall"]().render_products([], domains={"purecloud": ("*.mypurecloud.com",)})


class LabFqdnFirewall(LabFirewall):
    name = "lab_fqdn_firewall"
    fqdn = True


def test_domains_become_fqdn_groups_for_the_https_rows_on_a_platform_that_has_them(monkeypatch):
    monkeypatch.setitem(PLATFORMS, LabFqdnFirewall.name, LabFqdnFirewall)
    lines = render_network_site(site(products=["edge"], cloud_destinations="domains"), "lab_fqdn_firewall")["commands"]
    fqdn = [line for line in lines if line.startswith("address PURECLOUD-PURECLOUD-FQDN ")]
    # The page's domains of PureCloud (North America) and Amazon AWS, {region} filled in ("Domains and IP Addresses").
    assert len(fqdn) == 1
    for name in ("*.mypurecloud.com", "*.cloudfront.net", "*.s3.amazonaws.com", "*.s3.us-east-1.amazonaws.com"):
        assert name in fqdn[0].split()
    assert any(" -> PURECLOUD-PURECLOUD-FQDN PURECLOUD-TCP-443" in line for line in lines)
    # Media (UDP) keeps its addresses: any, as the vendor recommends.
    assert any(line.startswith("policy ") and "-> any PURECLOUD-UDP-" in line for line in lines)
