# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNS-fed sets: a lookup's first connection is never refused, and what 10,000 addresses in a set cost.

    .venv/bin/python bench/bench_dns_sets.py [--rounds 1000] [--ttl 2] [--repeat 7] [--json results.json]

1. Lookup, then connect: on the lab's site, with an nftables and then a
   firewalld gateway applying webrtc_client with cloud_destinations domains
   (dns_ttl --ttl), workstation1 makes --rounds rounds, --pause seconds
   apart so that they cross many expiries of the cache and the sets: an A lookup through the gateway's dnsmasq (every other
   one a name never asked before, which dnsmasq must forward) and at once a
   TCP connection to the answer on 443.  Counted: refused connections, and
   each round's time.  The peer, in the same run: the same rounds with
   cloud_destinations any, asking the fake internet's resolver directly.
2. A set of 10,000 addresses against an empty one, in a network namespace
   of its own: the kernel's unreclaimable slab memory (/proc/meminfo) before
   and after the elements are added, and the time per packet of 500,000
   UDP packets sent through an output rule that looks their destination up
   in the set (a hit in the full set, a miss in the empty one and in the
   full one), against no table at all.  The packets leave by a veth pair
   inside the namespace; the set's addresses are never sent to.

Medians over --repeat runs; needs root.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "lab"))
from labkit import build, topology  # noqa: E402

VENV_BIN = os.path.dirname(sys.executable)
DNSQUERY = os.path.join(REPO, "tests", "lab", "labkit", "dnsquery.py")
NETWORKS = {"workstation": ["198.51.100.224/27"]}
PACKETS = 500000


def ansible_module(lab, host, name, args):
    env = dict(os.environ, ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="json",
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"))
    done = subprocess.run([os.path.join(VENV_BIN, "ansible"), "-i", lab.inventory_path, host, "-m", name,
                           "-a", json.dumps(args)], capture_output=True, text=True, env=env, timeout=600, check=False)
    result = json.loads(done.stdout)["plays"][0]["tasks"][0]["hosts"][host]
    if result.get("failed"):
        raise SystemExit("%s failed: %s" % (name, result.get("msg")))
    return result


def in_host(lab, state, host, command):
    pid = lab.init_pid(state["hosts"][host])
    done = subprocess.run(["nsenter", "-t", str(pid), "-a", "/bin/sh", "-c", command], capture_output=True,
                          text=True, timeout=600, check=True)
    return done.stdout


def rounds(backend, count, ttl, pause):
    lab = build.Lab("bdns")
    lab.down()
    state = lab.up(topology.load("site", {"gateway_kind": backend}))
    try:
        results = {}
        base = {"products": ["webrtc_client"], "region": "us-east-1", "networks": NETWORKS}
        for mode, args, server in (
                ("any, the fake internet's resolver", dict(base), "203.0.113.53"),
                ("domains, the gateway's dnsmasq", dict(base, cloud_destinations="domains", internal_dns=True,
                                                        dns_upstream=["203.0.113.53"], dns_ttl=ttl),
                 state["hosts"]["gateway"]["interfaces"]["clients"])):
            ansible_module(lab, "gateway", "purecloud.firewall.apply", args)
            out = in_host(lab, state, "workstation1", "python3 %s --rounds %d %s mypurecloud.com 1 443 %s"
                          % (DNSQUERY, count, server, pause))
            measured = json.loads(out)
            seconds = measured.pop("seconds")
            measured["median_ms"] = round(statistics.median(seconds) * 1000, 2) if seconds else None
            measured["ttl_periods"] = round(measured.pop("elapsed") / ttl, 1)
            results[mode] = measured
        removal = dict(base, state="absent", cloud_destinations="domains")
        ansible_module(lab, "gateway", "purecloud.firewall.apply", removal)
        return results
    finally:
        lab.down()
        assert build.leftovers(lab) == []


SET_TABLE = """table inet bench {
    set dns {
        type ipv4_addr
        flags dynamic,timeout
        timeout 1h
    }
    chain out {
        type filter hook output priority filter; policy accept;
        ip daddr @dns udp dport 443 counter accept
        udp dport 443 counter accept
    }
}
"""
# Runs inside `unshare --net`: a dummy interface to send to, then each case in turn, interleaved, --repeat times.
NAMESPACE = r"""
import ipaddress, json, os, socket, subprocess, sys, time
packets, repeat, elements_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
subprocess.run("ip link add veth0 type veth peer name veth1 && ip link set veth0 up && ip link set veth1 up && "
               "ip addr add 198.51.100.1/24 dev veth0 && "
               "ip neigh add 198.51.100.2 lladdr 02:00:00:00:00:02 dev veth0 && "
               "ip neigh add 198.51.100.3 lladdr 02:00:00:00:00:03 dev veth0", shell=True, check=True)

def slab():
    for line in open("/proc/meminfo"):
        if line.startswith("SUnreclaim:"):
            return int(line.split()[1]) * 1024

def nft(text):
    subprocess.run(["nft", "-f", "-"], input=text, text=True, check=True)

def send(destination):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = b"x" * 32
    started = time.perf_counter()
    for _ in range(packets):
        sock.sendto(payload, (destination, 443))
    elapsed = time.perf_counter() - started
    sock.close()
    return elapsed / packets

cases = {"no table": ("", "198.51.100.2"), "empty set": ("empty", "198.51.100.2"),
         "10,000 addresses, a hit": ("full", "198.51.100.2"), "10,000 addresses, a miss": ("full", "198.51.100.3")}
times = dict((name, []) for name in cases)
memory = {"empty set": [], "10,000 addresses": []}
for _ in range(repeat):
    for name, (table, destination) in cases.items():
        subprocess.run("nft delete table inet bench 2>/dev/null", shell=True)
        if table:
            before = slab()
            nft(open(os.environ["SET_TABLE"]).read())
            if table == "full":
                nft(open(elements_file).read())
                memory["10,000 addresses"].append(slab() - before)
            else:
                memory["empty set"].append(slab() - before)
        times[name].append(send(destination))
print(json.dumps({"times": times, "memory": memory}))
"""


def set_costs(repeat):
    with tempfile.TemporaryDirectory() as workdir:
        table = os.path.join(workdir, "table.nft")
        with open(table, "w") as handle:
            handle.write(SET_TABLE)
        # 10,000 addresses of the benchmarking block (RFC 2544), and the one the packets go to.
        addresses = ["198.18.%d.%d" % (n // 250, n % 250 + 1) for n in range(9999)] + ["198.51.100.2"]
        elements = os.path.join(workdir, "elements.nft")
        with open(elements, "w") as handle:
            handle.write("add element inet bench dns { %s }\n" % ", ".join(addresses))
        script = os.path.join(workdir, "namespace.py")
        with open(script, "w") as handle:
            handle.write(NAMESPACE)
        done = subprocess.run(["unshare", "--net", "--", sys.executable, script, str(PACKETS), str(repeat), elements],
                              capture_output=True, text=True, timeout=900, check=False,
                              env=dict(os.environ, SET_TABLE=table))
        if done.returncode != 0:
            raise SystemExit("the namespace run failed: %s" % done.stderr[-2000:])
    measured = json.loads(done.stdout)
    return {"ns_per_packet": dict((name, round(statistics.median(values) * 1e9, 1))
                                  for name, values in measured["times"].items()),
            "kib": dict((name, round(statistics.median(values) / 1024, 1)) for name, values in measured["memory"].items())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--ttl", type=int, default=2)
    parser.add_argument("--pause", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json")
    options = parser.parse_args()
    results = {"rounds": dict((backend, rounds(backend, options.rounds, options.ttl, options.pause))
                              for backend in ("nftables", "firewalld")),
               "set": set_costs(options.repeat)}
    print(json.dumps(results, indent=1))
    if options.json:
        with open(options.json, "w") as handle:
            json.dump(results, handle, indent=1)


if __name__ == "__main__":
    main()
