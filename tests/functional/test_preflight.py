# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Preflight on the lab site: passes with the gateway rules applied, fails naming the flow one blocked port breaks."""

import json
import os
import subprocess

from conftest import REPO, VENV_BIN, collections_path

NETWORKS = {"edge": ["198.51.100.128/28"], "voip_phone": ["198.51.100.192/27"],
            "workstation": ["198.51.100.224/27"]}
SITE_VARS = {"purecloud_region": "us-east-1", "purecloud_networks": NETWORKS,
             "purecloud_preflight_dns_servers": ["203.0.113.53"]}
# Another table on the gateway's forward hook that drops XMPP: nftables drops what any table drops.
BLOCK_XMPP = """table inet preflight_block {
  chain forward { type filter hook forward priority filter - 10; policy accept; tcp dport 5222 drop; }
}
"""


def check(lab, host, products, **options):
    """connectivity_check on a lab host through a playbook (its action reads the site variables)."""
    play = [{"hosts": host, "gather_facts": False, "vars": SITE_VARS, "tasks": [
        {"purecloud.firewall.connectivity_check": dict(products=products, fail_on_error=False, **options),
         "register": "preflight"},
        {"ansible.builtin.copy": {"content": "{{ preflight | to_json }}", "dest": lab.lab.dir + "/preflight.json",
                                  "mode": "0600"}, "delegate_to": "localhost"}]}]
    path = os.path.join(lab.lab.dir, "preflight.yml")
    with open(path, "w") as handle:
        json.dump(play, handle)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", lab.lab.inventory_path, path],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    with open(os.path.join(lab.lab.dir, "preflight.json")) as handle:
        return json.load(handle)


def verdicts(result):
    return dict(("%s/%s %s" % (r["protocol"], r["port"], r["kind"]), r["ok"]) for r in result["results"])


def test_preflight_passes_through_the_gateway_and_names_a_blocked_flow(preflight_site):
    lab = preflight_site
    rules = lab.module("gateway", "purecloud.firewall.apply",
                       {"products": ["edge", "webrtc_client"], "region": "us-east-1", "networks": NETWORKS})
    assert not rules.get("failed") and rules["backend"] == "nftables", rules
    # The other Edge of the group answers on tls/8063, as a real Edge would.
    lab.shell("edge2", "setsid python3 -c 'import socket,time; s=socket.socket(); "
                       "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((\"0.0.0.0\", 8063)); "
                       "s.listen(); time.sleep(120)' >/dev/null 2>&1 < /dev/null &")

    edge = check(lab, "edge1", ["edge"], peers={"edge": ["198.51.100.131"]})
    assert edge["failed_flows"] == [], "\n".join(edge["table"])
    seen = verdicts(edge)
    for flow in ("tcp/443 tcp", "tcp/5060 tcp", "tcp/5061 tcp", "tcp/8063 tcp", "udp/3478 stun_udp",
                 "tcp/3478 stun_tcp", "udp/19302 stun_udp", "tcp/19302 stun_tcp", "udp/123 ntp", "udp/53 dns_udp",
                 "tcp/53 dns_tcp"):
        assert seen.get(flow) is True, (flow, "\n".join(edge["table"]))
    stun = [r for r in edge["results"] if r["kind"] == "stun_udp"]
    assert all(r["detail"].startswith("reflexive address 198.51.100.130:") for r in stun), stun

    client = check(lab, "workstation1", ["webrtc_client"])
    assert client["failed_flows"] == [] and verdicts(client)["tcp/5222 tcp"] is True, "\n".join(client["table"])

    lab.shell("gateway", "nft -f - <<'EOF'\n%sEOF" % BLOCK_XMPP)
    try:
        blocked = check(lab, "workstation1", ["webrtc_client"], timeout=1.0)
    finally:
        lab.shell("gateway", "nft delete table inet preflight_block")
    assert blocked["failed_flows"] == ["tcp/5222 api.mypurecloud.com (webrtc_client.messaging.xmpp)"], \
        "\n".join(blocked["table"])
    assert verdicts(blocked)["tcp/443 tcp"] is True  # the rest still passes


def playbook(lab, name, *extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), PATH=VENV_BIN + os.pathsep + os.environ["PATH"])
    return subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", lab.lab.inventory_path,
                           os.path.join(REPO, "playbooks", name)] + list(extra),
                          capture_output=True, text=True, env=env, timeout=300, check=False)


def test_drift_shows_a_hand_made_change(preflight_site):
    lab = preflight_site
    report = os.path.join(lab.lab.dir, "drift.json")
    site = ["-e", json.dumps(dict(SITE_VARS, purecloud_drift_hosts="gateway", purecloud_firewall_products=["edge"],
                                  purecloud_drift_report=report))]
    applied = lab.module("gateway", "purecloud.firewall.apply",
                         {"products": ["edge"], "region": "us-east-1", "networks": NETWORKS})
    assert not applied.get("failed"), applied
    clean = playbook(lab, "drift.yml", *site)
    assert clean.returncode == 0, clean.stdout[-3000:]
    with open(report) as handle:
        assert json.load(handle)["gateway"]["drifted"] is False

    lab.shell("gateway", "nft add rule inet purecloud forward tcp dport 9999 accept")
    drifted = playbook(lab, "drift.yml", *site)
    assert drifted.returncode != 0 and "gateway differs from the desired rules" in drifted.stdout, drifted.stdout[-3000:]
    with open(report) as handle:
        gateway = json.load(handle)["gateway"]
    assert gateway["drifted"] is True and gateway["backend"] == "nftables"
    assert "9999" in gateway["diff"][0]["before"] and "9999" not in gateway["diff"][0]["after"]
    # Reporting only: the hand-made rule is still there.
    assert "dport 9999" in lab.shell("gateway", "nft list table inet purecloud")
    lenient = playbook(lab, "drift.yml", *(site + ["-e", "purecloud_drift_fail=false"]))
    assert lenient.returncode == 0, lenient.stdout[-3000:]
