# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site_settings lookup with scope hosts, over a real inventory and ansible-core's own hostvars.

hostvars template a host's value in that host's context when it is read.
The lookup must read each host's settings that way, and only them: reading
a host's every variable would also run whatever templates the others hold.
"""

from __future__ import annotations

import json

import pytest
import yaml
from ansible.errors import AnsibleLookupError
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager


def controller_lookup(tmp_path, inventory, **options):
    """The lookup as a task on localhost runs it, with the inventory's groups and hostvars."""
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump(inventory))
    loader = DataLoader()
    hosts = InventoryManager(loader=loader, sources=[str(tmp_path / "hosts.yml")])
    manager = VariableManager(loader=loader, inventory=hosts)
    HostVars(inventory=hosts, variable_manager=manager, loader=loader)  # as a playbook run sets it up
    variables = manager.get_vars(host=hosts.get_host("localhost"))
    plugin = lookup_loader.get("purecloud.firewall.site_settings", loader=loader,
                               templar=Templar(loader=loader, variables=variables))
    return plugin.run([], variables=variables, scope="hosts", **options)[0]


def site(tmp_path, **gateways):
    ran = tmp_path / "ran.log"
    return {"all": {
        "vars": {"purecloud_region": "us-east-1",
                 "purecloud_networks": {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"],
                                        "sip_provider": ["{{ carrier_network }}"]},
                 "purecloud_sip_provider_sip_ports": "{{ carrier_ports }}",
                 # Not a setting: reading it would run the command.
                 "unrelated": "{{ lookup('ansible.builtin.pipe', 'echo read >> %s') }}" % ran},
        "children": {"purecloud_edge": {"hosts": gateways}, "others": {"hosts": {"db1": {}}}}}}, ran


def test_each_host_is_read_with_its_own_variables_and_only_its_settings(tmp_path):
    inventory, ran = site(tmp_path,
                          gwa={"carrier_ports": ["udp/5060"], "carrier_network": "203.0.113.60/31"},
                          gwb={"carrier_ports": ["udp/5070"], "carrier_network": "203.0.113.62/31",
                               "purecloud_firewall_products": ["voice"]})
    found = controller_lookup(tmp_path, inventory)
    assert found["kind"] == "purecloud.firewall.hosts"
    found = found["hosts"]
    assert list(found) == ["gwa", "gwb"]  # the product groups' hosts, not db1
    assert found["gwa"]["sip_provider_sip_ports"] == ["udp/5060"]
    assert found["gwb"]["sip_provider_sip_ports"] == ["udp/5070"]
    assert found["gwa"]["networks"]["sip_provider"] == ["203.0.113.60/31"]
    assert found["gwb"]["networks"]["sip_provider"] == ["203.0.113.62/31"]
    assert found["gwa"]["products"] == ["edge"] and found["gwb"]["products"] == ["edge", "voice"]
    assert not ran.exists(), "a variable that is no setting was templated"


def test_no_host_in_the_product_groups_gives_none(tmp_path):
    inventory, _ran = site(tmp_path)
    inventory["all"]["children"]["purecloud_edge"] = {}
    assert controller_lookup(tmp_path, inventory) == {"kind": "purecloud.firewall.hosts", "hosts": {}}


def test_a_bad_setting_names_its_host(tmp_path):
    inventory, _ran = site(tmp_path, gwa={"carrier_ports": ["udp/5060"], "carrier_network": "203.0.113.60/31",
                                          "purecloud_firewall_mode": "router"})
    with pytest.raises(AnsibleLookupError, match="host gwa: .*mode .*router"):
        controller_lookup(tmp_path, inventory)


def test_hosts_named_like_settings_are_reported_as_hosts(tmp_path, jinja_filter):
    carrier = {"carrier_ports": ["udp/5060"], "carrier_network": "203.0.113.60/31"}
    inventory, _ran = site(tmp_path, products=dict(carrier), region=dict(carrier, carrier_ports=["udp/5070"]))
    found = controller_lookup(tmp_path, inventory)
    assert sorted(found["hosts"]) == ["products", "region"]
    report = json.loads(jinja_filter("site_report")(found)["json"])
    assert sorted(report["hosts"]) == ["products", "region"]
    assert report["hosts"]["products"]["products"] == ["edge"]
