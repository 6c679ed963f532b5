# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every region through a role in check mode, and one overlay seen by the role, the report, show_rules and a
network render, with no code changed.  Offline: render-only devices, nothing contacted."""

import json
import os
import subprocess
import time

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
# The SDKs' region table (PureCloudRegionHosts): the 18 organisation regions.
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2", "ap-northeast-1", "eu-central-1", "us-west-2", "ca-central-1",
           "ap-northeast-2", "eu-west-2", "ap-south-1", "us-east-2", "sa-east-1", "me-central-1", "ap-northeast-3",
           "eu-central-2", "mx-central-1", "ap-southeast-1", "eusc-de-east-1")
NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"], "workstation": ["198.51.100.224/27"],
            "corporate_ad": ["198.51.100.160/28"]}
LAB_MEDIA_BLOCK = "203.0.113.96/28"


def run(*argv, json_out=False):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"),
               ANSIBLE_DEPRECATION_WARNINGS="false", PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    if json_out:
        env.update(ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1")
    return subprocess.run([os.path.join(VENV_BIN, "ansible-playbook")] + list(argv), capture_output=True, text=True,
                          env=env, timeout=600, check=False)


def device_inventory(tmp_path, hosts, network_os="cisco.ios.ios"):
    """Render-only network devices: a connection, if one were tried, fails at once on loopback."""
    inventory = {"all": {"vars": {"ansible_connection": "ansible.netcommon.network_cli", "ansible_host": "127.0.0.1",
                                  "ansible_port": 9, "ansible_network_os": network_os,
                                  "purecloud_network_render_only": True,
                                  "purecloud_network_render_dir": str(tmp_path / "rendered"),
                                  "purecloud_networks": NETWORKS},
                         "hosts": hosts}}
    path = tmp_path / "inventory.yml"
    path.write_text(yaml.safe_dump(inventory))
    return str(path)


def edge_play():
    return [{"hosts": "all", "gather_facts": False, "roles": [{"role": "purecloud.firewall.edge"}]}]


def test_every_region_plans_through_a_role_in_check_mode(tmp_path):
    hosts = dict(("r%d" % n, {"purecloud_region": region}) for n, region in enumerate(REGIONS))
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump(edge_play()))
    # VyOS: its render-only path is the collection's own set commands, the cheapest to run 18 times.
    done = run("-i", device_inventory(tmp_path, hosts, network_os="vyos.vyos.vyos"), str(playbook), "--check",
               "--forks", "18", json_out=True)
    plays = json.loads(done.stdout)["plays"]
    applied = [t for t in plays[0]["tasks"] if "Apply the PureCloud Edge flows" in t["task"]["name"]][0]
    assert sorted(applied["hosts"]) == sorted(hosts), done.stdout[-2000:]
    for name, result in applied["hosts"].items():
        assert not result.get("failed"), (name, result.get("msg"))
        assert result["catalog"]["edition"] == "current" and result["network"]["config"], name
    stats = json.loads(done.stdout)["stats"]
    assert all(s["failures"] == 0 and s["unreachable"] == 0 for s in stats.values()), stats


@pytest.fixture(scope="module")
def overlaid(tmp_path_factory):
    """An overlay adding region eu-lab-1, a syslog row and the region's media blocks; a strict site using it."""
    folder = tmp_path_factory.mktemp("overlay")
    overlay = folder / "lab.yml"
    overlay.write_text(yaml.safe_dump({
        "overlay": "a lab region",
        "regions": {"eu-lab-1": {"domain": "lab.example.test", "kind": "core"}},
        "cidr_sets": {"genesys_media.lab": {"class": "genesys_media", "regions": ["eu-lab-1"],
                                            "cidrs": [LAB_MEDIA_BLOCK]}},
        "requirements": [{"id": "site.syslog", "product": "edge", "protocol": "udp", "ports": ["514"],
                          "source": ["edge"], "destination": ["corporate_ad"]}]}))
    feed = folder / "ip-ranges.json"
    feed.write_text(json.dumps({"syncToken": "1", "createDate": time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime()),
                                "prefixes": [{"ip_prefix": "203.0.113.10/31", "region": "eu-lab-1",
                                              "service": "AMAZON", "network_border_group": "eu-lab-1"}],
                                "ipv6_prefixes": []}))
    site = {"purecloud_region": "eu-lab-1", "purecloud_firewall_products": ["edge"], "purecloud_networks": NETWORKS,
            "purecloud_catalog_overlays": [str(overlay)], "purecloud_cloud_destinations": "aws_ip_ranges",
            "purecloud_aws_ip_ranges_src": str(feed)}
    site_file = folder / "site.yml"
    site_file.write_text(yaml.safe_dump(site))
    return {"folder": folder, "overlay": str(overlay), "site": site, "site_file": str(site_file)}


def test_the_overlay_reaches_a_network_render_through_the_role(overlaid, tmp_path):
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump(edge_play()))
    hosts = {"rtr1": dict((k, v) for k, v in overlaid["site"].items() if k != "purecloud_firewall_products")}
    done = run("-i", device_inventory(tmp_path, hosts), str(playbook))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    config = (tmp_path / "rendered" / "rtr1.cfg").read_text()
    # The overlay's row, to the corporate networks (IOS names the port itself).
    assert "10 remark site.syslog\n20 permit udp 198.51.100.128 0.0.0.15 198.51.100.160 0.0.0.15 eq " in config
    # The region's media blocks, from the overlay's CIDR set: several, so an object-group the ACL names first.
    assert config.startswith("object-group network PURECLOUD-GENESYS-MEDIA\n")
    assert " 203.0.113.96 255.255.255.240\n" in config and " object-group PURECLOUD-GENESYS-MEDIA " in config
    assert "203.0.113.10 0.0.0.1" in config   # the region's one AWS prefix, from the feed: inline


def test_the_overlay_reaches_show_rules(overlaid):
    done = run(os.path.join(ROOT, "playbooks", "show_rules.yml"), "-e", "purecloud_site_vars=%s" % overlaid["site_file"])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "region eu-lab-1, catalog edition current (catalog 1.1.0), overlays %s" % overlaid["overlay"] in done.stdout
    assert "site.syslog" in done.stdout and LAB_MEDIA_BLOCK in done.stdout
    assert "*.lab.example.test" in done.stdout  # the region's own domain


def test_the_overlay_reaches_the_report(overlaid):
    report = overlaid["folder"] / "report"
    done = run(os.path.join(ROOT, "playbooks", "report.yml"),
               "-e", "@%s" % overlaid["site_file"], "-e", "purecloud_report_dir=%s" % report)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    data = json.loads((report / "purecloud-firewall.json").read_text())
    assert data["region"] == "eu-lab-1" and data["overlays"] == [overlaid["overlay"]]
    flows = dict(((f["from"], f["to"], f["protocol"]), f) for f in data["flows"])
    assert "site.syslog" in flows[("edge", "corporate_ad", "udp")]["requirements"]
    # The overlay's set for the region, beside the commercial one (the region's kind is core).
    assert LAB_MEDIA_BLOCK in flows[("edge", "genesys_media", "udp")]["destination"].split(", ")
    assert "overlays %s" % overlaid["overlay"] in (report / "purecloud-firewall.md").read_text()
