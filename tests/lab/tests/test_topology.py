# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The guard rails are checked before anything is created."""

import ipaddress
import os

import pytest
import yaml

from labkit import topology


def write(tmp_path, data):
    path = tmp_path / "t.yml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.mark.parametrize("name", sorted(f[:-4] for f in os.listdir(topology.TOPOLOGY_DIR) if f.endswith(".yml")))
def test_every_shipped_topology_stays_in_the_lab_ranges(name):
    topo = topology.load(name)
    addresses = [h["address"] for h in topo["hosts"]]
    addresses += [a for h in topo["hosts"] for a in (h.get("interfaces") or {}).values()]
    addresses += [a for h in topo["internet"] for a in h["addresses"]]
    assert addresses
    for address in addresses:
        assert topology.allowed(address), address
        assert ipaddress.ip_address(address) not in ipaddress.ip_network("192.0.2.0/24")


@pytest.mark.parametrize("data, message", [
    ({"hosts": [{"name": "a", "kind": "nftables", "address": "192.0.2.5"}]},
     "192.0.2.5 is outside the lab's ranges"),
    ({"hosts": [{"name": "a", "kind": "nftables", "address": "10.0.0.5"}]}, "10.0.0.5 is outside"),
    ({"hosts": [{"name": "a", "kind": "nftables", "address": "198.51.100.200"}]},
     "management address 198.51.100.200 must be in 198.51.100.0/25"),
    ({"hosts": [{"name": "a", "kind": "nftables", "address": "198.51.100.1"}]}, "already used by the switch"),
    ({"hosts": [{"name": "a", "kind": "docker", "address": "198.51.100.5"}]}, "kind 'docker'"),
    ({"segments": {"lan": "192.0.2.0/25"}, "hosts": []}, "segment lan: 192.0.2.0/25 is outside"),
    ({"segments": {"lan": "198.51.100.0/26"}, "hosts": []}, "overlaps the management network"),
    ({"segments": {"a": "198.51.100.128/25", "b": "198.51.100.192/26"}, "hosts": []}, "segments b and a overlap"),
    ({"segments": {"lan": "198.51.100.128/25"},
      "hosts": [{"name": "a", "kind": "nftables", "address": "198.51.100.5", "interfaces": {"lan": "203.0.113.5"}}]},
     "203.0.113.5 is not a host address of segment lan"),
    ({"hosts": [{"name": "a", "kind": "nftables", "address": "198.51.100.5"},
                {"name": "b", "kind": "nftables", "address": "198.51.100.5"}]}, "already used by host a"),
    ({"hosts": [{"name": "Bad-Name", "kind": "nftables", "address": "198.51.100.5"}]}, "host name 'Bad-Name'"),
    ({"fleet": {"name": "n", "count": 500, "kind": "nftables", "first_address": "198.51.100.2"}},
     "fleet count 500"),
])
def test_guard_rails_refuse_bad_topologies(tmp_path, data, message):
    with pytest.raises(topology.TopologyError, match=message):
        topology.load(write(tmp_path, data))


def test_fleet_addresses_cannot_run_past_the_management_network(tmp_path):
    data = {"fleet": {"name": "n", "count": 50, "kind": "nftables", "first_address": "198.51.100.100"}}
    with pytest.raises(topology.TopologyError, match="198.51.100.128 must be in 198.51.100.0/25"):
        topology.load(write(tmp_path, data))


def test_parameters_fill_the_topology():
    topo = topology.load("site", {"gateway_kind": "firewalld"})
    gateway = [h for h in topo["hosts"] if h["name"] == "gateway"][0]
    assert gateway["kind"] == "firewalld"
    assert len(topology.load("fleet", {"count": "20"})["hosts"]) == 20


def test_unknown_parameters_and_topologies_are_refused():
    with pytest.raises(topology.TopologyError, match="unknown parameter 'gateway' for topology 'site'"):
        topology.load("site", {"gateway": "x"})
    with pytest.raises(topology.TopologyError, match="unknown topology 'moon'; expected one of: feed, fleet, single, site"):
        topology.load("moon")
