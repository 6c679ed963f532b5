# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One nftables table the collection owns, as data: check, render, compare, persist.

Runs on the managed host (imported by the nft_table module), so it uses
only the standard library.  The table is applied as one ``nft -f``
transaction that creates, deletes and re-creates it, so nothing outside it
is ever touched and there is no moment with half a rule set.  Desired and
live state are compared in nft's own canonical JSON (the desired table is
loaded into a throw-away network namespace to get it), so a second run
with the same input changes nothing.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import normalize_ports, parse_port_spec

FAMILIES = ("inet", "ip", "ip6")
HOOKS = ("prerouting", "input", "forward", "output", "postrouting")
CHAIN_TYPES = ("filter", "nat", "route")
POLICIES = ("accept", "drop")
SET_TYPES = ("ipv4_addr", "ipv6_addr", "inet_service")
SET_FLAGS = ("interval", "constant", "timeout")
PRIORITY_NAMES = ("raw", "mangle", "dstnat", "filter", "security", "srcnat")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
_PRIORITY = re.compile(r"^(-?\d+|(%s)(\s*[-+]\s*\d+)?)$" % "|".join(PRIORITY_NAMES))
_COMMENT = re.compile(r'^[^"\\\n]{0,128}$')


def _name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise PurecloudFirewallError("bad %s name %r: letters, digits and _ (starting with a letter)" % (what, value))
    return value


def _choice(value: Any, what: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise PurecloudFirewallError("bad %s %r; expected one of: %s" % (what, value, ", ".join(allowed)))
    return value


def _comment(value: Any, where: str) -> str:
    text = "" if value is None else str(value)
    if not _COMMENT.match(text):
        raise PurecloudFirewallError('%s: comment %r must be at most 128 characters without " or \\' % (where, text))
    return text


def set_elements(set_type: str, elements: Sequence[Any], interval: bool, where: str) -> List[str]:
    """Validate and normalise set elements; interval sets are merged (nft refuses overlaps)."""
    if set_type == "inet_service":
        if interval:
            return normalize_ports(elements)
        ranges = [parse_port_spec(e) for e in elements]
        if any(first != last for first, last in ranges):
            raise PurecloudFirewallError("%s: port ranges need flags: [interval]" % where)
        return [str(port) for port in sorted(set(first for first, _last in ranges))]
    version = 4 if set_type == "ipv4_addr" else 6
    networks = []
    for element in elements:
        try:
            network = ipaddress.ip_network(str(element), strict=False)
        except ValueError:
            raise PurecloudFirewallError("%s: bad address %r for a set of type %s" % (where, element, set_type)) from None
        if network.version != version:
            raise PurecloudFirewallError("%s: %s is IPv%d; the set holds %s" % (where, element, network.version, set_type))
        if not interval and network.num_addresses != 1:
            raise PurecloudFirewallError("%s: %s is a network; a set without 'interval' holds addresses" % (where, element))
        networks.append(network)
    collapsed = ipaddress.collapse_addresses(networks)
    return [str(n.network_address) if n.num_addresses == 1 else str(n) for n in collapsed]


def check_spec(spec: Mapping[str, Any]) -> Dict[str, Any]:
    """Validate the module's table spec; returns a normalised copy.  Errors name the bad value."""
    family = _choice(spec.get("family", "inet"), "family", FAMILIES)
    table = _name(spec.get("name", "purecloud"), "table")
    sets, chains, rules = [], [], []
    set_names = set()
    for index, item in enumerate(spec.get("sets") or []):
        where = "sets[%d]" % index
        name = _name(item.get("name"), "set")
        if name in set_names:
            raise PurecloudFirewallError("%s: duplicate set %r" % (where, name))
        set_names.add(name)
        set_type = _choice(item.get("type"), "set type", SET_TYPES)
        flags = sorted(_choice(f, "set flag", SET_FLAGS) for f in item.get("flags") or [])
        elements = set_elements(set_type, item.get("elements") or [], "interval" in flags, "%s (%s)" % (where, name))
        sets.append({"name": name, "type": set_type, "flags": flags, "elements": elements,
                     "comment": _comment(item.get("comment"), where)})
    chain_names = set()
    for index, item in enumerate(spec.get("chains") or []):
        where = "chains[%d]" % index
        name = _name(item.get("name"), "chain")
        if name in chain_names:
            raise PurecloudFirewallError("%s: duplicate chain %r" % (where, name))
        chain_names.add(name)
        chain = {"name": name, "hook": None}
        if item.get("hook") is not None:
            priority = str(item.get("priority", "filter"))
            if not _PRIORITY.match(priority):
                raise PurecloudFirewallError("%s: bad priority %r; a number or one of: %s"
                                             % (where, priority, ", ".join(PRIORITY_NAMES)))
            chain.update(hook=_choice(item["hook"], "hook", HOOKS),
                         type=_choice(item.get("type", "filter"), "chain type", CHAIN_TYPES),
                         priority=priority, policy=_choice(item.get("policy", "accept"), "policy", POLICIES))
        chains.append(chain)
    for index, item in enumerate(spec.get("rules") or []):
        where = "rules[%d]" % index
        chain = item.get("chain")
        if chain not in chain_names:
            raise PurecloudFirewallError("%s: unknown chain %r; the table has: %s"
                                         % (where, chain, ", ".join(sorted(chain_names)) or "(none)"))
        statement = item.get("rule")
        if not isinstance(statement, str) or not statement.strip() or "\n" in statement or ";" in statement:
            raise PurecloudFirewallError("%s: rule must be one nft statement on one line, got %r" % (where, statement))
        rules.append({"chain": chain, "rule": statement.strip(), "comment": _comment(item.get("comment"), where)})
    return {"family": family, "name": table, "sets": sets, "chains": chains, "rules": rules}


def render_table(spec: Mapping[str, Any]) -> str:
    """The table in nft syntax (``spec`` from :func:`check_spec`)."""
    lines = ["table %s %s {" % (spec["family"], spec["name"])]
    for item in spec["sets"]:
        lines.append("\tset %s {" % item["name"])
        lines.append("\t\ttype %s" % item["type"])
        if item["flags"]:
            lines.append("\t\tflags %s" % ",".join(item["flags"]))
        if item["comment"]:
            lines.append('\t\tcomment "%s"' % item["comment"])
        if item["elements"]:
            lines.append("\t\telements = { %s }" % ", ".join(item["elements"]))
        lines.append("\t}")
    for chain in spec["chains"]:
        lines.append("\tchain %s {" % chain["name"])
        if chain["hook"]:
            lines.append("\t\ttype %s hook %s priority %s; policy %s;"
                         % (chain["type"], chain["hook"], chain["priority"], chain["policy"]))
        for rule in spec["rules"]:
            if rule["chain"] == chain["name"]:
                comment = ' comment "%s"' % rule["comment"] if rule["comment"] else ""
                lines.append("\t\t%s%s" % (rule["rule"], comment))
        lines.append("\t}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def replace_transaction(spec: Mapping[str, Any]) -> str:
    """One transaction that replaces the table whole (and creates it the first time)."""
    head = "table %s %s\ndelete table %s %s\n" % (spec["family"], spec["name"], spec["family"], spec["name"])
    return "#!/usr/sbin/nft -f\n# Managed by purecloud.firewall: this table is replaced whole on every change.\n" \
        + head + render_table(spec)


def canonical(listing: str) -> List[Dict[str, Any]]:
    """``nft -j list table`` output without handles and metainfo: comparable across loads."""
    if not listing.strip():
        return []
    try:
        items = json.loads(listing)["nftables"]
    except (ValueError, KeyError, TypeError):
        raise PurecloudFirewallError("cannot read nft's JSON listing: %r" % listing[:200]) from None
    return [_strip(item) for item in items if "metainfo" not in item]


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return dict((k, _strip(v)) for k, v in value.items() if k != "handle")
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


# The management option of every module that applies a state (nft_table,
# firewalld_state, apply): the SSH sources and port always kept open.
MANAGEMENT_OPTION: Dict[str, Any] = dict(type="dict", options=dict(
    sources=dict(type="list", elements="str", default=[]),
    port=dict(type="int", default=22),
))


def ssh_session(environ: Mapping[str, str]) -> Optional[Tuple[str, int]]:
    """(client address, server port) of the SSH session the module runs in, if any."""
    parts = environ.get("SSH_CONNECTION", "").split()
    if len(parts) != 4:
        return None
    try:
        return str(ipaddress.ip_address(parts[0].split("%")[0])), int(parts[3])
    except ValueError:
        return None


def session_cut_reason(spec: Mapping[str, Any], session: Optional[Tuple[str, int]],
                       management: Optional[Mapping[str, Any]]) -> str:
    """Why applying ``spec`` could cut the SSH session, or "" when it cannot.

    An input-hook chain with policy drop decides new connections to this
    host (and an output-hook one the session's replies); the session's
    source and port must then be covered by the management allowance, which
    the module turns into accept rules at the top of those chains.
    """
    if session is None:
        return ""
    dropping = [c["name"] for c in spec["chains"] if c["hook"] in ("input", "output") and c["policy"] == "drop"]
    if not dropping:
        return ""
    address, port = session
    if management:
        covered = port == int(management.get("port", 22)) and any(
            ipaddress.ip_address(address) in ipaddress.ip_network(src, strict=False)
            for src in management.get("sources") or [])
        if covered:
            return ""
    return ("the chain %s drops by default and the management allowance (%s) does not cover this "
            "SSH session from %s to port %d; add its source to management.sources"
            % (dropping[0], _describe(management), address, port))


def _describe(management: Optional[Mapping[str, Any]]) -> str:
    if not management:
        return "none given"
    return "sources %s, port %s" % (", ".join(management.get("sources") or []) or "none", management.get("port", 22))


def with_management(spec: Dict[str, Any], management: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """Accept the management sources' SSH at the top of every input-hook chain, and its replies on output.

    The output rule matters when the table is first loaded: conntrack may
    pick the running session up mid-stream, and its first reply would be
    "new" to an output chain that drops.
    """
    if not management or not management.get("sources"):
        return spec
    port = int(management.get("port", 22))
    by_family: Dict[int, List[str]] = {4: [], 6: []}
    for source in management["sources"]:
        try:
            network = ipaddress.ip_network(str(source), strict=False)
        except ValueError:
            raise PurecloudFirewallError("management.sources: bad CIDR %r" % (source,)) from None
        by_family[network.version].append(str(network))
    first = []
    for chain in spec["chains"]:
        if chain["hook"] not in ("input", "output"):
            continue
        address, direction = ("saddr", "dport") if chain["hook"] == "input" else ("daddr", "sport")
        for version, keyword in ((4, "ip"), (6, "ip6")):
            if by_family[version] and (spec["family"] == "inet" or spec["family"] == keyword):
                first.append({"chain": chain["name"], "comment": "purecloud.management",
                              "rule": "%s %s { %s } tcp %s %d accept"
                                      % (keyword, address, ", ".join(by_family[version]), direction, port)})
    return dict(spec, rules=first + list(spec["rules"]))


def add_include(conf_text: str, path: str) -> str:
    """``conf_text`` with an include of ``path`` at its end (unchanged if present)."""
    line = 'include "%s"' % path
    if any(existing.strip() == line for existing in conf_text.splitlines()):
        return conf_text
    return conf_text + ("" if conf_text.endswith("\n") or not conf_text else "\n") + line + "\n"


def remove_include(conf_text: str, path: str) -> str:
    line = 'include "%s"' % path
    return "".join(existing for existing in conf_text.splitlines(True) if existing.strip() != line)
