# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check Point through check_point.mgmt: objects, a section the collection owns, and one access rule per flow.

The config is a list of module invocations (``{"module": ..., "args": ...}``)
in dependency order, so the role's tasks run each module over its own
entries: one network (or host, for a /32 or /128) object per CIDR, one
``dns-domain`` object per domain name, a group per address group, a TCP or
UDP service per port range, a service group where a flow has several, the
section ``PURECLOUD`` in the layer ``purecloud_checkpoint_layer``, the
access rules in the plan's order (the first at the section's top, each
other below the one before it), and ``publish``.

Nothing is named outside the prefix, except the ``dns-domain`` objects,
whose names Check Point takes as the domain itself.  ``stale_removals``
reads what the management server has (the vendor's facts modules) and
picks what the collection owns and today's plan no longer has.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.objects import ObjectSet, Service, object_name
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import DeviceConfig, Owned
from ansible_collections.purecloud.firewall.plugins.module_utils.render_nft import comment_for
from ansible_collections.purecloud.firewall.plugins.module_utils.render_perimeter import ObjectRenderer

COLLECTION = "check_point.mgmt"
COMMENT_MAX = 255  # kept short enough for every management version's comment field
PLACES = ("top", "bottom")
RELATIVE = ("above", "below")
SESSION = "-s id.txt"  # the review file's commands share one mgmt_cli session, published at its end

# Module -> the Check Point object type its API calls take (show-objects reports these types).
TYPES = {"cp_mgmt_network": "network", "cp_mgmt_host": "host", "cp_mgmt_dns_domain": "dns-domain",
         "cp_mgmt_group": "group", "cp_mgmt_service_tcp": "service-tcp", "cp_mgmt_service_udp": "service-udp",
         "cp_mgmt_service_group": "service-group", "cp_mgmt_access_section": "access-section",
         "cp_mgmt_access_rule": "access-rule"}
MODULES = dict((kind, module) for module, kind in TYPES.items())
# What goes before what when objects are removed: rules name groups and services, groups name objects.
REMOVAL_ORDER = ("cp_mgmt_access_rule", "cp_mgmt_access_section", "cp_mgmt_group", "cp_mgmt_service_group",
                 "cp_mgmt_network", "cp_mgmt_host", "cp_mgmt_dns_domain", "cp_mgmt_service_tcp",
                 "cp_mgmt_service_udp")

Invocation = Dict[str, Any]


def module_name(short: str) -> str:
    return "%s.%s" % (COLLECTION, short)


def short_name(module: str) -> str:
    return module.rsplit(".", 1)[-1]


def _invocation(short: str, **args: Any) -> Invocation:
    return {"module": module_name(short), "args": args}


def _quote(value: object) -> str:
    """A mgmt_cli argument: double-quoted, with the shell's special characters escaped."""
    text = str(value)
    for char in ("\\", '"', "$", "`"):
        text = text.replace(char, "\\" + char)
    return '"%s"' % text


def _cli(verb: str, kind: str, pairs: Sequence[Tuple[str, object]]) -> str:
    words = ["mgmt_cli", verb, kind] + ["%s %s" % (key, _quote(value)) for key, value in pairs]
    return " ".join(words + [SESSION])


def _listed(key: str, values: Sequence[str]) -> List[Tuple[str, object]]:
    """mgmt_cli's form of a list: ``members.1 "A" members.2 "B"``."""
    return [("%s.%d" % (key, index), value) for index, value in enumerate(values, 1)]


def cidr_object_name(prefix: str, cidr: str) -> str:
    """``PURECLOUD-NET-198.51.100.128-28``, ``PURECLOUD-HOST-2001_db8__1``: the address in the name, ``:`` as ``_``."""
    parsed = ipaddress.ip_network(cidr, strict=False)
    address = str(parsed.network_address).replace(":", "_")
    if parsed.prefixlen == parsed.max_prefixlen:
        return "%s-HOST-%s" % (prefix, address)
    return "%s-NET-%s-%d" % (prefix, address, parsed.prefixlen)


def dns_domain(name: str) -> Tuple[str, bool]:
    """A domain as Check Point's dns-domain object: ``*.x.com`` -> (``.x.com``, sub-domains too); ``x.com`` -> itself.

    Check Point's sub-domain match also takes ``x.com`` itself, a little more than the wildcard.
    """
    if name.startswith("*."):
        return "." + name[2:], True
    return "." + name, False


def parse_position(value: object, section: str) -> Dict[str, Any]:
    """``top``, ``bottom``, ``above NAME``, ``below NAME`` -> the access-section's position arguments."""
    option = "purecloud_checkpoint_position"
    allowed = "top, bottom, 'above NAME' or 'below NAME' (NAME a rule or section of the layer)"
    if not isinstance(value, str) or not value.strip():
        raise PurecloudFirewallError("%s %r: expected %s" % (option, value, allowed))
    words = value.strip().split(None, 1)
    if words[0] in PLACES and len(words) == 1:
        return {"position": words[0]}
    if words[0] in RELATIVE and len(words) == 2:
        if words[1] == section:
            raise PurecloudFirewallError("%s %r: the section is the collection's own %s; name another rule or "
                                         "section of the layer" % (option, value, section))
        return {"relative_position": {words[0]: words[1]}}
    raise PurecloudFirewallError("%s %r: expected %s" % (option, value, allowed))


def rule_position(section: str, previous: Optional[str]) -> Dict[str, str]:
    """The first rule at the top of the section, each other one below the rule before it.

    check_point.mgmt's cp_mgmt_access_rule takes these as satisfied by a rule
    already in that place, so a second run moves nothing; ``bottom`` of the
    section is satisfied only by the section's last rule, and would move
    every other rule on every run.
    """
    return {"top": section} if previous is None else {"below": previous}


def _where(relative: Mapping[str, str]) -> List[Tuple[str, object]]:
    """mgmt_cli's form of a relative position: ``position.below "NAME"``."""
    return [("position.%s" % key, value) for key, value in relative.items()]


class CheckPoint(ObjectRenderer):
    """Check Point management (R80 and later) through the check_point.mgmt modules, published at the end."""

    name = "checkpoint"
    label = "Check Point"
    module = "check_point.mgmt.cp_mgmt_access_rule"  # the flows' module; the config lists every module it runs
    network_os = ("check_point.mgmt.checkpoint",)
    fqdn = True
    review_suffix = "txt"
    options = {
        "checkpoint_layer": dict(type="str", default="Network"),
        "checkpoint_position": dict(type="str", default="top"),
        "checkpoint_publish": dict(type="bool", default=True),
    }

    def configure(self, settings: Mapping[str, Any]) -> None:
        self.section = self.prefix
        layer = settings.get("checkpoint_layer")
        layer = "Network" if layer is None else layer
        if not isinstance(layer, str) or not layer.strip():
            raise PurecloudFirewallError("purecloud_checkpoint_layer %r: expected the name of an access layer, "
                                         "like 'Network'" % (layer,))
        self.layer = layer.strip()
        position = settings.get("checkpoint_position")
        self.position = parse_position("top" if position is None else position, self.section)
        publish = settings.get("checkpoint_publish")
        if publish is not None and not isinstance(publish, bool):
            raise PurecloudFirewallError("purecloud_checkpoint_publish must be true or false, got %r" % (publish,))
        self.publish = True if publish is None else publish

    # ------------------------------------------------------------------ present
    def objects_config(self, objects: ObjectSet, default_policy: str) -> DeviceConfig:
        """Every object before what names it; the rules in the plan's order inside the section."""
        steps: List[Tuple[Invocation, str]] = []
        steps += self._addresses(objects)
        steps += self._services(objects)
        steps.append(self._section())
        previous = None
        for policy in objects.policies:
            source = [policy.source] if policy.source else ["Any"]
            destination = [policy.destination] if policy.destination else ["Any"]
            comments = comment_for(policy.ids, COMMENT_MAX)
            where = rule_position(self.section, previous)
            args = dict(layer=self.layer, name=policy.name, relative_position=where,
                        source=source, destination=destination, service=[policy.service], action="Accept",
                        track={"type": "Log"}, comments=comments, state="present")
            pairs = [("layer", self.layer)] + _where(where) + [
                ("name", policy.name), ("source", source[0]), ("destination", destination[0]),
                ("service", policy.service), ("action", "Accept"), ("track.type", "Log"), ("comments", comments)]
            steps.append((_invocation("cp_mgmt_access_rule", **args), _cli("add", "access-rule", pairs)))
            previous = policy.name
        return self._device_config(steps)

    def _addresses(self, objects: ObjectSet) -> List[Tuple[Invocation, str]]:
        objects_steps: Dict[str, Tuple[Invocation, str]] = {}
        group_steps: List[Tuple[Invocation, str]] = []
        for group in objects.addresses:
            members = []
            for cidr in group.cidrs:
                name = cidr_object_name(objects.prefix, cidr)
                members.append(name)
                if name not in objects_steps:
                    objects_steps[name] = self._address_object(name, cidr)
            for fqdn in group.fqdns:
                name, sub_domain = dns_domain(fqdn)
                members.append(name)
                known = objects_steps.get(name)
                if known and known[0]["args"]["is_sub_domain"] != sub_domain:
                    raise PurecloudFirewallError("domains %s: Check Point has one dns-domain object %s for both the "
                                                 "domain and its sub-domains" % (fqdn, name))
                objects_steps.setdefault(name, (
                    _invocation("cp_mgmt_dns_domain", name=name, is_sub_domain=sub_domain, state="present"),
                    _cli("add", "dns-domain", [("name", name), ("is-sub-domain", str(sub_domain).lower())])))
            group_steps.append((_invocation("cp_mgmt_group", name=group.name, members=members, state="present"),
                                _cli("add", "group", [("name", group.name)] + _listed("members", members))))
        return list(objects_steps.values()) + group_steps

    def _address_object(self, name: str, cidr: str) -> Tuple[Invocation, str]:
        parsed = ipaddress.ip_network(cidr, strict=False)
        address = str(parsed.network_address)
        if parsed.prefixlen == parsed.max_prefixlen:
            return (_invocation("cp_mgmt_host", name=name, ip_address=address, ignore_warnings=True, state="present"),
                    _cli("add", "host", [("name", name), ("ip-address", address), ("ignore-warnings", "true")]))
        return (_invocation("cp_mgmt_network", name=name, subnet=address, mask_length=parsed.prefixlen,
                            ignore_warnings=True, state="present"),
                _cli("add", "network", [("name", name), ("subnet", address), ("mask-length", parsed.prefixlen),
                                        ("ignore-warnings", "true")]))

    def _services(self, objects: ObjectSet) -> List[Tuple[Invocation, str]]:
        """A service per port range (the one a single-range flow names), a service group for several ranges."""
        groups = set(service.name for service in objects.services if len(service.ports) > 1)
        ranges: Dict[Tuple[str, str], str] = dict(((s.protocol, s.ports[0]), s.name)
                                                  for s in objects.services if len(s.ports) == 1)
        group_steps: List[Tuple[Invocation, str]] = []
        for service in objects.services:
            if len(service.ports) > 1:
                members = [self._range_name(objects.prefix, service, port, groups, ranges) for port in service.ports]
                group_steps.append((_invocation("cp_mgmt_service_group", name=service.name, members=members,
                                                state="present"),
                                    _cli("add", "service-group", [("name", service.name)] + _listed("members", members))))
        steps = []
        for (protocol, port), name in ranges.items():
            steps.append((_invocation("cp_mgmt_service_%s" % protocol, name=name, port=port, ignore_warnings=True,
                                      state="present"),
                          _cli("add", "service-%s" % protocol, [("name", name), ("port", port),
                                                                ("ignore-warnings", "true")])))
        return steps + group_steps

    @staticmethod
    def _range_name(prefix: str, service: Service, port: str, groups: Set[str],
                    ranges: Dict[Tuple[str, str], str]) -> str:
        """The service of one port range of a multi-range flow: shared with a single-range flow's where there is one."""
        key = (service.protocol, port)
        if key not in ranges:
            name = object_name(prefix, service.protocol, port)
            ranges[key] = name + "-PORT" if name in groups or name in ranges.values() else name
        return ranges[key]

    def _section(self) -> Tuple[Invocation, str]:
        args = dict(layer=self.layer, name=self.section, state="present", **self.position)
        if "position" in self.position:
            where = [("position", self.position["position"])]
        else:
            where = _where(self.position["relative_position"])
        return _invocation("cp_mgmt_access_section", **args), _cli("add", "access-section",
                                                                   [("layer", self.layer)] + where + [("name", self.section)])

    def _device_config(self, steps: Sequence[Tuple[Invocation, str]]) -> DeviceConfig:
        config = [step for step, _text in steps]
        commands = ["mgmt_cli login -r true > id.txt"] + [text for _step, text in steps]
        if self.publish:
            config.append(_invocation("cp_mgmt_publish"))
            commands.append("mgmt_cli publish %s" % SESSION)
        commands.append("mgmt_cli logout %s" % SESSION)
        return DeviceConfig(self.module, config, owned_of(config), tuple(commands))

    # ------------------------------------------------------------------- absent
    def objects_removal(self, objects: ObjectSet) -> DeviceConfig:
        """What the same plan creates, with state absent: rules, the section, groups, objects, services."""
        present = self.objects_config(objects, "drop").config
        steps = []
        for invocation in removal_order(present):
            if short_name(invocation["module"]) == "cp_mgmt_dns_domain":
                continue  # named after the domain, not the prefix: a rule of yours may name it
            args = invocation["args"]
            kind = TYPES[short_name(invocation["module"])]
            pairs = [("layer", args["layer"])] if "layer" in args else []
            steps.append((removal(invocation), _cli("delete", kind, pairs + [("name", args["name"])])))
        return self._device_config(steps)


def owned_of(config: Iterable[Invocation]) -> Tuple[Owned, ...]:
    """(type, name) of every object a config names: what a run may change, and what absent removes."""
    return tuple((TYPES[short_name(step["module"])], step["args"]["name"]) for step in config
                 if short_name(step["module"]) in TYPES)


def removal(invocation: Invocation) -> Invocation:
    """The invocation that removes what ``invocation`` creates: its name (and layer), state absent."""
    args = invocation["args"]
    kept = dict((key, args[key]) for key in ("layer", "name") if key in args)
    return {"module": invocation["module"], "args": dict(kept, state="absent")}


def removal_order(config: Iterable[Invocation]) -> List[Invocation]:
    """The invocations that name objects, rules first and plain objects last (publish left out)."""
    steps = [step for step in config if short_name(step["module"]) in TYPES]
    return sorted(steps, key=lambda step: REMOVAL_ORDER.index(short_name(step["module"])))


def _rules_in(rulebase: Iterable[Mapping[str, Any]], section: str, inside: bool = False) -> Iterable[str]:
    """The names of the rules in ``section`` of a show-access-rulebase answer (sections nest their rules)."""
    for entry in rulebase or ():
        if not isinstance(entry, Mapping):
            continue
        if entry.get("type") == "access-section":
            yield from _rules_in(entry.get("rulebase") or (), section, entry.get("name") == section)
        elif entry.get("type") == "access-rule" and inside and entry.get("name"):
            yield entry["name"]


def stale_removals(config: Sequence[Invocation], rulebases: Iterable[Mapping[str, Any]],
                   objects: Iterable[Mapping[str, Any]], prefix: str = CheckPoint.prefix) -> List[Invocation]:
    """The owned rules and objects on the server that ``config`` does not name, as removals, rules first.

    ``rulebases`` are show-access-rulebase answers for the layer, ``objects``
    show-objects answers; only rules inside the section the collection owns
    and objects of the types it creates, both named ``prefix-...``, are ever
    picked: nothing else on the server is touched.
    """
    section = next((step["args"] for step in config if short_name(step["module"]) == "cp_mgmt_access_section"), None)
    if section is None:
        return []
    named = set(name for _kind, name in owned_of(config))
    mark = prefix + "-"
    picked: List[Invocation] = []
    for rulebase in rulebases:
        for name in _rules_in((rulebase or {}).get("rulebase") or (), section["name"]):
            if name.startswith(mark) and name not in named:
                named.add(name)
                picked.append(_invocation("cp_mgmt_access_rule", layer=section["layer"], name=name, state="absent"))
    for answer in objects:
        for item in (answer or {}).get("objects") or ():
            name, kind = item.get("name") or "", item.get("type")
            if name.startswith(mark) and kind in MODULES and kind not in ("access-rule", "access-section") \
                    and name not in named:
                named.add(name)
                picked.append(_invocation(MODULES[kind], name=name, state="absent"))
    return removal_order(picked)


def removals(config: Sequence[Invocation], state: str, rulebases: Iterable[Mapping[str, Any]],
             objects: Iterable[Mapping[str, Any]]) -> List[Invocation]:
    """What the role's removal tasks run: the stale leftovers after an apply, or the plan's removal and them."""
    if state == "rendered":
        return []
    planned = removal_order(config) if state == "deleted" else []
    return planned + stale_removals(config, rulebases, objects)


def answers(registered: Any, key: str) -> List[Mapping[str, Any]]:
    """The API answers of a facts module's registered loop (``ansible_facts[key]`` of each run that ran)."""
    runs = registered.get("results", [registered]) if isinstance(registered, Mapping) else registered or []
    found = []
    for run in runs:
        facts = run.get("ansible_facts") if isinstance(run, Mapping) else None
        if isinstance(facts, Mapping) and isinstance(facts.get(key), Mapping):
            found.append(facts[key])
    return found
