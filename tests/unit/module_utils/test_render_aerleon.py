# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Aerleon platforms' options, their errors, a missing Aerleon, and Windows' host-mode planning."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.objects import build_objects
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import PLATFORMS, renderer_for
from ansible_collections.purecloud.firewall.plugins.module_utils.render_aerleon import (
    AERLEON_VERSION, PanOs, WindowsFirewall)
from ansible_collections.purecloud.firewall.plugins.module_utils.site import plan_site, render_network_site

NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"],
            "workstation": ["198.51.100.224/27", "2001:db8:30::/48"], "bridge_server": ["198.51.100.144/28"],
            "corporate_ad": ["198.51.100.160/28"]}
SITE = {"region": "us-east-1", "networks": NETWORKS}
COLLECTIONS = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".build", "collections"))


def test_the_four_platforms_are_registered_render_only_with_their_files():
    found = dict((name, (PLATFORMS[name].label, PLATFORMS[name].review_suffix, PLATFORMS[name].applies))
                 for name in ("panos", "asa", "srx", "windows"))
    assert found == {"panos": ("Palo Alto PAN-OS", "xml", False), "asa": ("Cisco ASA", "asa", False),
                     "srx": ("Juniper SRX", "conf", False), "windows": ("Windows Defender Firewall", "cmd", False)}
    assert [name for name in ("panos", "asa", "srx", "windows") if PLATFORMS[name].fqdn] == ["srx"]
    assert PLATFORMS["windows"].mode == "host" and PLATFORMS["panos"].mode == "gateway"


@pytest.mark.parametrize("option,value,message", [
    ("panos_inside_zone", "", "purecloud_panos_inside_zone must be a Palo Alto PAN-OS zone name"),
    ("panos_outside_zone", "the internet", "purecloud_panos_outside_zone must be .* got 'the internet'"),
    ("panos_inside_zone", "z" * 32, "at most 31 characters"),
    ("srx_outside_zone", ["untrust"], r"purecloud_srx_outside_zone must be a Juniper SRX zone name .* got \['untrust'\]"),
    ("srx_inside_zone", "untrust", "purecloud_srx_inside_zone and purecloud_srx_outside_zone are both 'untrust'"),
    ("asa_acl_out", "OUTSIDE_ACCESS_IN", "purecloud_asa_acl_out must be an access-list name starting with "
                                         "PURECLOUD- .* got 'OUTSIDE_ACCESS_IN'"),
    ("asa_acl_in", "PURECLOUD-IN SIDE", "purecloud_asa_acl_in must be .* got 'PURECLOUD-IN SIDE'"),
    ("asa_acl_in", "PURECLOUD-OUT", "purecloud_asa_acl_out and purecloud_asa_acl_in are both 'PURECLOUD-OUT'"),
])
def test_a_bad_option_is_refused_naming_the_variable_before_anything_renders(option, value, message):
    backend = option.split("_", 1)[0]
    with pytest.raises(PurecloudFirewallError, match=message):
        renderer_for(backend, "purecloud_firewall_backend", {option: value})
    with pytest.raises(PurecloudFirewallError, match=message):
        render_network_site(dict(SITE, products=["edge"], **{option: value}), backend)


def test_options_default_and_reach_the_headers():
    assert (PanOs({}).inside, PanOs({}).outside) == ("trust", "untrust")
    srx = renderer_for("srx", settings={"srx_inside_zone": "lan", "srx_outside_zone": "wan"})
    rules = [Rule("edge", "purecloud", "any", "any", "tcp", ("443",), ("a",)),
             Rule("sip_provider", "edge", "any", "any", "udp", ("5060",), ("b",)),
             Rule("bridge_server", "corporate_ad", "any", "any", "tcp", ("389",), ("c",))]
    config = srx.render_products([("edge", rules)], site_classes=("edge", "bridge_server", "corporate_ad"))
    headers = [f["header"]["targets"]["srx"] for f in config.config[0]["policy"]["filters"]]
    assert headers == ["from-zone lan to-zone wan mixed", "from-zone wan to-zone lan mixed",
                       "from-zone lan to-zone lan mixed"]  # between two site classes: inside the site's zone
    assert "from-zone lan to-zone lan {" in "\n".join(config.commands)
    result = render_network_site(dict(SITE, products=["edge"], asa_acl_out="PURECLOUD-EDGE-OUT"), "asa")
    assert "clear configure access-list PURECLOUD-EDGE-OUT" in result["commands"]
    aces = [line for line in result["commands"] if " extended permit " in line]
    assert aces and all(line.startswith("access-list PURECLOUD-EDGE-OUT extended permit ") for line in aces)


class LongNames(PanOs):
    """PAN-OS with the objects' own 63-character limit: Aerleon's service names then outgrow PAN-OS's."""

    name = "panos_long"
    name_max = 63


def test_aerleons_errors_become_the_collections_naming_the_platform_and_the_cause():
    rule = Rule("edge", "purecloud", ("198.51.100.128/28",), "any", "tcp", ("443",), ("edge.https",))
    objects = build_objects([("a-product-whose-name-is-long-enough-to-reach-the-limit", [rule])], ["edge"], limit=63)
    with pytest.raises(PurecloudFirewallError) as raised:
        LongNames({}).generate(objects)
    message = str(raised.value)
    assert message.startswith("Palo Alto PAN-OS (panos_long): Aerleon's paloaltofw generator refused the policy: "
                              "PaloAltoFWNameTooLongError: Service name must be 63 characters max")


def test_the_default_limit_keeps_aerleons_derived_names_within_pan_os():
    rule = Rule("edge", "purecloud", ("198.51.100.128/28",), "any", "tcp", ("443",), ("edge.https",))
    objects = build_objects([("a-product-whose-name-is-long-enough-to-reach-the-limit", [rule])], ["edge"],
                            limit=PanOs.name_max)
    assert 'name="service-' in "\n".join(PanOs({}).review_lines(PanOs({}).generate(objects), objects))


def test_without_aerleon_the_collection_loads_and_rendering_names_the_package_and_version():
    script = "\n".join([
        "import sys",
        "sys.modules['aerleon'] = None  # what an interpreter without the package sees",
        "sys.path.insert(0, %r)" % COLLECTIONS,
        "from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError",
        "from ansible_collections.purecloud.firewall.plugins.module_utils.site import render_network_site",
        "try:",
        "    render_network_site(%r, 'panos')" % dict(SITE, products=["edge"]),
        "except PurecloudFirewallError as error:",
        "    print(error)",
    ])
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("panos rendering needs the Python package aerleon on the controller")
    assert "cannot import aerleon (" in done.stdout
    assert done.stdout.rstrip().endswith("-m pip install aerleon==%s" % AERLEON_VERSION)
    assert AERLEON_VERSION == "1.18.0"


def test_windows_plans_the_hosts_own_flows_in_host_mode():
    settings = dict(SITE, products=["webrtc_client"], host_class="workstation", egress_filtering=True)
    host = plan_site(dict(settings, mode="host"))
    result = render_network_site(settings, "windows")  # no purecloud_firewall_mode: a Windows host is a host
    policies = result["config"][0]["policy"]["filters"]
    terms = [term for section in policies for term in section["terms"]]
    assert len(terms) == len(host.rules) and host.rules
    assert all("workstation" in (rule.source_class, rule.destination_class) for rule in host.rules)
    assert [term["comment"] for term in terms] == ["purecloud requirements %s" % " ".join(r.ids) for r in host.rules]
    assert all(line.startswith(("netsh advfirewall firewall add rule name=", ":")) for line in result["commands"])


def test_show_rules_and_the_report_plan_a_windows_host_as_a_host():
    from ansible_collections.purecloud.firewall.plugins.plugin_utils.site_plans import settings_plan

    planned = settings_plan(dict(SITE, products=["webrtc_client"], host_class="workstation", egress_filtering=True,
                                 backend="windows"))
    assert planned["mode"] == "host" and planned["host_class"] == "workstation" and "per_product" not in planned
    # The page: the WebRTC client (a workstation) reaches PureCloud on TCP 443.
    assert any(rule["source_class"] == "workstation" and rule["destination_class"] == "purecloud"
               and rule["protocol"] == "tcp" and "443" in rule["ports"] for rule in planned["rules"])


def test_windows_without_egress_filtering_keeps_only_inbound_flows_and_says_what_to_set():
    with pytest.raises(PurecloudFirewallError, match="no inbound flow: set purecloud_egress_filtering"):
        render_network_site(dict(SITE, products=["bridge"]), "windows")


def test_a_flow_to_the_host_is_inbound_and_one_from_it_outbound():
    windows = WindowsFirewall({})
    inbound = Rule("voip_phone", "workstation", "any", "any", "udp", ("5060",), ("x",))
    outbound = Rule("workstation", "purecloud", "any", "any", "tcp", ("443",), ("y",))
    windows.render_products([("webrtc_client", [inbound, outbound])], site_classes=("workstation",))
    objects = build_objects([("webrtc_client", [inbound, outbound])], ("workstation",))
    assert [windows.direction(p) for p in objects.policies] == ["in", "out"]


def test_gateway_platforms_still_refuse_host_mode():
    with pytest.raises(PurecloudFirewallError, match="purecloud_firewall_mode must be gateway on a network device"):
        render_network_site(dict(SITE, products=["edge"], mode="host"), "panos")
