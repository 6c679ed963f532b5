# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift on a network device: its own config against the config the collection renders for it.

The desired side is what ``purecloud.firewall.apply`` renders for the device
(``render_network_site``, the ``network`` of its result): the one plan.  The
device's side is what its vendor's module reads back: the lists module's
``gathered`` state on a live device, or its ``parsed`` state on a saved
running config, and, where the collection writes address groups with
commands of its own, the device's own text (``running``).

Only what the collection owns is compared: the lists, filters or rule sets
and the address groups it names (``DeviceConfig.owned``).  Any other list on
the device is never read into the result.  Per owned list the result has
the entries the device has and the plan has not (``added``), those the plan
has and the device has not (``removed``) and those both have under one key
(a sequence number, a term's name, a rule's number) that differ (``changed``),
each as its module shows it.  An entry the device shows without its key
(IOS shows IPv6 entries' sequence numbers after them, and its parser drops
them) is matched by what it permits; changed, it is one removed and one added.

Entries compare in one form: numbers as strings, ports as numbers (``eq
domain`` is port 53), an address in any of its spellings (``host A``, a
wildcard mask, a prefix, IPv6 in capitals) as its network, lists unordered.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Type

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import PLATFORMS
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import (
    NXOS_PORT_NAMES, DeviceRenderer, Owned, _member_key, _numbered, _vyos_key, running_blocks)

ACL, GROUP = "acl", "group"
# The spellings of one side's address in the vendors' modules; compared as ``network``.
ADDRESS_FIELDS = ("host", "prefix", "subnet_address", "address", "wildcard_bits")
# Where a device's running config is given instead of read (the drift playbook's variable).
RUNNING_CONFIG = "purecloud_drift_running_config"


@dataclass(frozen=True)
class Entry:
    """One entry of a list as its module shows it, and its key there (None where the device shows none)."""

    key: Optional[str]
    entry: Any

    def as_dict(self) -> Dict[str, Any]:
        return {"key": self.key, "entry": self.entry}


@dataclass(frozen=True)
class Changed:
    """One entry both sides have under one key, as the device has it and as the plan has it."""

    key: str
    device: Any
    desired: Any

    def as_dict(self) -> Dict[str, Any]:
        return {"key": self.key, "device": self.device, "desired": self.desired}


@dataclass(frozen=True)
class ListDrift:
    """What differs in one owned list (``acl``: an ACL, filter or rule set) or address group (``group``)."""

    afi: str
    name: str
    kind: str = ACL
    missing: bool = False  # the device has no such list: every entry of the plan's is removed
    added: Tuple[Entry, ...] = ()
    removed: Tuple[Entry, ...] = ()
    changed: Tuple[Changed, ...] = ()
    # The list's own fields that differ (a rule set's default action): (field, device's, plan's).
    attributes: Tuple[Tuple[str, Any, Any], ...] = ()

    @property
    def drifted(self) -> bool:
        return bool(self.missing or self.added or self.removed or self.changed or self.attributes)

    def counts(self) -> str:
        """``1 added, 1 removed, 1 changed`` (``missing`` for a list the device lacks)."""
        if self.missing:
            return "missing"
        counted = ((self.added, "added"), (self.removed, "removed"), (self.changed, "changed"))
        parts = ["%d %s" % (len(items), word) for items, word in counted if items]
        parts += ["%s changed" % field for field, _device, _desired in self.attributes]
        return ", ".join(parts)

    def as_dict(self) -> Dict[str, Any]:
        return {"afi": self.afi, "name": self.name, "kind": self.kind, "missing": self.missing,
                "added": [item.as_dict() for item in self.added],
                "removed": [item.as_dict() for item in self.removed],
                "changed": [item.as_dict() for item in self.changed],
                "attributes": dict((field, {"device": device, "desired": desired})
                                   for field, device, desired in self.attributes)}


@dataclass(frozen=True)
class DeviceDrift:
    """A device's drift: whether it could be compared, what was, and the owned lists that differ."""

    backend: str
    checked: bool
    reason: Optional[str] = None  # why it was not checked
    compared: Tuple[Tuple[str, str, str], ...] = ()  # (kind, afi, name) of every owned list compared
    lists: Tuple[ListDrift, ...] = ()  # only those that differ

    @property
    def drifted(self) -> Optional[bool]:
        """True or False; None where the device was not compared."""
        return bool(self.lists) if self.checked else None

    def summary(self) -> str:
        """One line: ``DRIFT on cisco_ios: PURECLOUD-EDGE-OUT (ipv4): 1 added, 1 removed``, or as desired, or why not
        checked."""
        if not self.checked:
            return "not checked on %s: %s" % (self.backend, self.reason)
        if not self.lists:
            return "as desired (%s, %d owned lists and groups compared)" % (self.backend, len(self.compared))
        return "DRIFT on %s: %s" % (self.backend, "; ".join(
            "%s%s (%s): %s" % ("group " if item.kind == GROUP else "", item.name, item.afi, item.counts())
            for item in self.lists))

    def as_dict(self) -> Dict[str, Any]:
        return {"drifted": self.drifted, "checked": self.checked, "reason": self.reason,
                "summary": self.summary(),
                "compared": [{"kind": kind, "afi": afi, "name": name} for kind, afi, name in self.compared],
                "lists": [item.as_dict() for item in self.lists]}


# ------------------------------------------------------------------ entry point
def device_drift(network: Any, device: Any) -> DeviceDrift:
    """The drift of one device: ``network`` is apply's rendering for it, ``device`` what was read back.

    ``device`` has ``lists`` (the lists module's ``gathered`` or ``parsed``
    config), ``groups`` (the groups module's, where it has one: Junos's
    prefix-lists) and ``running`` (the device's text, where the collection
    writes its groups or lists as commands); None where nothing was read.
    """
    if not isinstance(network, Mapping) or network.get("backend") not in PLATFORMS:
        raise PurecloudFirewallError("the apply result's network must be the rendering of a network device (with "
                                     "a backend among %s), got %s" % (", ".join(sorted(PLATFORMS)), _what(network)))
    backend = str(network["backend"])
    platform = PLATFORMS[backend]
    label = platform.label or backend
    if platform.drift_unchecked:
        return DeviceDrift(backend, False, "%s: %s" % (label, platform.drift_unchecked))
    if network.get("state") == "deleted":
        return DeviceDrift(backend, False, "purecloud_firewall_state is absent: drift compares a present site")
    if device is None:
        why = ("purecloud_network_render_only: the device is not contacted; give its running config in %s"
               % RUNNING_CONFIG) if network.get("render_only") else "the device's config was not read"
        return DeviceDrift(backend, False, why)
    if not isinstance(device, Mapping):
        raise PurecloudFirewallError("the device's config must be a mapping with lists, groups and running, got %r"
                                     % (device,))
    compared: List[Tuple[str, str, str]] = []
    drifted: List[ListDrift] = []
    for kind, part in ((ACL, network), (GROUP, network.get("groups"))):
        if not part:
            continue
        owned = _owned(part, kind)
        compared.extend((kind, afi, name) for afi, name in owned)
        found = _compare(platform, part, owned, device)
        drifted.extend(item for item in found if item.drifted)
    return DeviceDrift(backend, True, compared=tuple(compared), lists=tuple(drifted))


def _what(network: Any) -> str:
    return "backend %r" % (network.get("backend"),) if isinstance(network, Mapping) else repr(network)


def _owned(part: Mapping[str, Any], kind: str) -> List[Owned]:
    owned = part.get("acls")
    if not isinstance(owned, (list, tuple)) or not all(isinstance(o, (list, tuple)) and len(o) == 2 for o in owned):
        raise PurecloudFirewallError("the rendering's %s must list its owned (afi, name) pairs in acls, got %r"
                                     % ("lists" if kind == ACL else "groups", owned))
    return [(str(afi), str(name)) for afi, name in owned]


def _compare(platform: Type[DeviceRenderer], part: Mapping[str, Any], owned: Sequence[Owned],
             device: Mapping[str, Any]) -> List[ListDrift]:
    """One module run's owned objects against the device: by the module's config, or by the device's text."""
    module = part.get("module")
    text = TEXT_COMPARES.get(str(module))
    if text is not None:
        running = device.get("running")
        if not isinstance(running, str):
            raise PurecloudFirewallError("the device's running config (running) must be text to compare %s's "
                                         "blocks, got %r" % (module, running))
        return text(part, owned, running)
    if module == PREFIX_LISTS:
        return _prefix_lists(part["config"], _config(device.get("groups"), "groups"), owned)
    return [_list(platform, afi, name, wanted, found)
            for (afi, name), wanted, found in _pairs(platform.config_key, part["config"],
                                                     _config(device.get("lists"), "lists"), owned)]


def _config(value: Any, where: str) -> List[Any]:
    """A module's gathered or parsed config: a list (a device with none of these objects has an empty one)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PurecloudFirewallError("the device's %s must be its module's gathered or parsed config (a list), "
                                     "got %r" % (where, value))
    return value


# ------------------------------------------------------------- resource modules
def _pairs(config_key: str, desired: Sequence[Mapping[str, Any]], found: Sequence[Any], owned: Sequence[Owned]
           ) -> List[Tuple[Owned, Mapping[str, Any], Optional[Mapping[str, Any]]]]:
    """Each owned list as the plan has it and as the device has it (None: the device has none by that name)."""
    want, have = _by_name(desired, config_key), _by_name(found, config_key)
    return [((afi, name), want.get((afi, name)) or {"name": name}, have.get((afi, name))) for afi, name in owned]


def _by_name(config: Sequence[Any], config_key: str) -> Dict[Owned, Mapping[str, Any]]:
    result = {}
    for section in config:
        if not isinstance(section, Mapping):
            raise PurecloudFirewallError("a section of the device's lists must be a mapping with afi and %s, got %r"
                                         % (config_key, section))
        for item in section.get(config_key) or []:
            if isinstance(item, Mapping) and "name" in item:
                result[(str(section.get("afi")), str(item["name"]))] = item
    return result


def _list(platform: Type[DeviceRenderer], afi: str, name: str, wanted: Mapping[str, Any],
          found: Optional[Mapping[str, Any]]) -> ListDrift:
    entries_key, entry_key = platform.entries_key, platform.entry_key
    wanted_entries = list(wanted.get(entries_key) or [])
    if found is None:
        return ListDrift(afi, name, missing=True,
                         removed=tuple(Entry(_key(e.get(entry_key)), e) for e in wanted_entries))
    added, removed, changed = _entries(wanted_entries, list(found.get(entries_key) or []), entry_key)
    attributes = []
    for field in sorted(set(wanted) | set(found)):
        if field in ("name", entries_key):
            continue
        device, desired = found.get(field), wanted.get(field)
        if normal(device) != normal(desired):
            attributes.append((field, device, desired))
    return ListDrift(afi, name, added=tuple(added), removed=tuple(removed), changed=tuple(changed),
                     attributes=tuple(attributes))


def _entries(wanted: Sequence[Mapping[str, Any]], found: Sequence[Any], entry_key: str
             ) -> Tuple[List[Entry], List[Entry], List[Changed]]:
    """(added, removed, changed): by key where both sides have one, else by what the entry is."""
    desired = [(_key(entry.get(entry_key)), normal(_without(entry, entry_key)), entry) for entry in wanted]
    by_key = dict((key, item) for item in desired for key in [item[0]] if key is not None)
    matched = set()
    added: List[Entry] = []
    changed: List[Changed] = []
    unkeyed = []
    for entry in found:
        entry = entry if isinstance(entry, Mapping) else {"entry": entry}
        key, shape = _key(entry.get(entry_key)), normal(_without(entry, entry_key))
        if key is not None and key in by_key:
            matched.add(key)
            if by_key[key][1] != shape:
                changed.append(Changed(key, entry, by_key[key][2]))
        elif key is not None:
            added.append(Entry(key, entry))
        else:
            unkeyed.append((shape, entry))
    left = [item for item in desired if item[0] is None or item[0] not in matched]
    for shape, entry in unkeyed:
        same = next((item for item in left if item[1] == shape), None)
        if same is None:
            added.append(Entry(None, entry))
        else:
            left.remove(same)
    return added, [Entry(key, entry) for key, _shape, entry in left], changed


def _key(value: Any) -> Optional[str]:
    return None if value in (None, "") else str(value)


def _without(entry: Mapping[str, Any], field: str) -> Dict[str, Any]:
    return dict((key, value) for key, value in entry.items() if key != field)


PREFIX_LISTS = "junipernetworks.junos.junos_prefix_lists"


def _prefix_lists(desired: Sequence[Mapping[str, Any]], found: Sequence[Any], owned: Sequence[Owned]
                  ) -> List[ListDrift]:
    """Junos prefix-lists (junos_prefix_lists' config): each owned list's prefixes, as networks."""
    have = dict((str(item.get("name")), item) for item in found if isinstance(item, Mapping))
    want = dict((str(item.get("name")), item) for item in desired)

    def prefixes(item: Mapping[str, Any]) -> List[Tuple[str, str]]:
        return [(_network(p), str(p)) for p in item.get("address_prefixes") or []]

    return [_members(afi, name, prefixes(want.get(name) or {}), prefixes(have[name]) if name in have else None)
            for afi, name in owned]


def _members(afi: str, name: str, wanted: Sequence[Tuple[str, str]], shown: Optional[Sequence[Tuple[str, str]]]
             ) -> ListDrift:
    """A group as a set of members, each (what is compared, as written); ``shown`` None: the device has none."""
    if shown is None:
        return ListDrift(afi, name, GROUP, missing=True, removed=tuple(Entry(None, text) for _key, text in wanted))
    want, have = set(key for key, _text in wanted), set(key for key, _text in shown)
    return ListDrift(afi, name, GROUP, added=tuple(Entry(None, text) for key, text in shown if key not in want),
                     removed=tuple(Entry(None, text) for key, text in wanted if key not in have))


# -------------------------------------------------------- the device's own text
def _blocks(part: Mapping[str, Any], owned: Sequence[Owned], running: str
            ) -> List[Tuple[Owned, str, List[str], Optional[List[str]]]]:
    """Each block of the config (``parents`` a header ending in the object's name, ``lines``) as
    ((afi, name), header, its lines, the device's lines under that header or None where it has no such block)."""
    afis = dict((name, afi) for afi, name in owned)
    headers = [" ".join(str(block["parents"][0]).split()) for block in part.get("config") or []]
    current = running_blocks(running, headers)
    shown = set(" ".join(line.split()) for line in running.splitlines() if line.strip() and not line[0].isspace())
    return [((afis.get(header.split()[-1], ""), header.split()[-1]), header, list(block["lines"]),
             current[header] if header in shown else None)
            for header, block in zip(headers, part.get("config") or [])]


def _ios_blocks(part: Mapping[str, Any], owned: Sequence[Owned], running: str) -> List[ListDrift]:
    """IOS object-groups (``CiscoIos.groups_config``): members compared as addresses, descriptions aside."""
    return [_members(afi, name, [(_member_key(line), line) for line in lines],
                     None if have is None else [(_member_key(line), line) for line in have
                                                if not line.startswith("description ")])
            for (afi, name), _header, lines, have in _blocks(part, owned, running)]


def _nxos_blocks(part: Mapping[str, Any], owned: Sequence[Owned], running: str) -> List[ListDrift]:
    """NX-OS blocks (object-groups, or lists naming them): numbered lines compared by number."""
    result = []
    for (afi, name), header, lines, shown in _blocks(part, owned, running):
        kind = ACL if header.split()[1:2] == ["access-list"] else GROUP
        wanted = _numbered(lines)
        if shown is None:
            result.append(ListDrift(afi, name, kind, missing=True,
                                    removed=tuple(Entry(str(n), line) for n, (_k, line) in wanted.items())))
            continue
        have = _numbered(shown)
        result.append(ListDrift(
            afi, name, kind,
            added=tuple(Entry(str(n), line) for n, (_k, line) in have.items() if n not in wanted),
            removed=tuple(Entry(str(n), line) for n, (_k, line) in wanted.items() if n not in have),
            changed=tuple(Changed(str(n), have[n][1], line) for n, (key, line) in wanted.items()
                          if n in have and have[n][0] != key)))
    return result


def _vyos_groups(part: Mapping[str, Any], owned: Sequence[Owned], running: str) -> List[ListDrift]:
    """VyOS firewall groups (``Vyos.groups_config``): each group's ``set`` lines, quotes and spelling aside."""
    afis = dict((name, afi) for afi, name in owned)
    wanted: Dict[str, List[Tuple[str, str]]] = {}
    for command in part.get("commands") or []:
        if command.startswith("set "):
            wanted.setdefault(" ".join(command.split()[1:5]), []).append((_vyos_key(command), command))
    have: Dict[str, List[Tuple[str, str]]] = {}
    for line in running.splitlines():
        line = line.strip()
        if line.startswith("set firewall group ") and " ".join(line.split()[1:5]) in wanted:
            have.setdefault(" ".join(line.split()[1:5]), []).append((_vyos_key(line), line))
    return [_members(afis.get(path.split()[-1], ""), path.split()[-1], commands, have.get(path))
            for path, commands in wanted.items()]


# The modules whose objects the collection writes as the device's own commands: compared on its text.
TEXT_COMPARES: Dict[str, Callable[[Mapping[str, Any], Sequence[Owned], str], List[ListDrift]]] = {
    "cisco.ios.ios_config": _ios_blocks, "cisco.nxos.nxos_config": _nxos_blocks,
    "vyos.vyos.vyos_config": _vyos_groups}


# ---------------------------------------------------------------- one form
def normal(value: Any) -> Any:
    """An entry, or any part of one, in the one form both sides compare in."""
    if isinstance(value, Mapping):
        value = _address(value)
        result = {}
        for key, item in value.items():
            if item is None or item == "" or item == [] or item == {}:
                continue
            if key == "port_protocol" and isinstance(item, Mapping):
                item = _port_protocol(item)
            elif key == "port" and isinstance(item, (str, int)):
                item = ",".join(sorted(_ports(part) for part in str(item).split(",")))  # VyOS's port list
            result[str(key)] = normal(item)
        return result
    if isinstance(value, (list, tuple)):
        return sorted((normal(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _address(side: Mapping[str, Any]) -> Mapping[str, Any]:
    """A side with its address in any spelling as ``network``: a list of networks (Junos lists several)."""
    if not any(field in side for field in ADDRESS_FIELDS[:4]):
        return side
    rest = dict((key, value) for key, value in side.items() if key not in ADDRESS_FIELDS)
    if side.get("host"):
        rest["network"] = [_network(side["host"])]
    elif side.get("wildcard_bits") and side.get("address"):
        rest["network"] = [_network("%s/%s" % (side["address"], side["wildcard_bits"]))]
    else:
        value = side.get("prefix") or side.get("subnet_address") or side.get("address")
        values = value if isinstance(value, list) else [value]
        rest["network"] = sorted(_network(item) for item in values if item)
    return rest


def _network(value: Any) -> str:
    """An address or network in one spelling (``HOST`` is /32 or /128; a mask or hostmask as a prefix)."""
    try:
        return str(ipaddress.ip_network(str(value).strip(), strict=False))
    except ValueError:
        return str(value).strip().lower()


def _port_protocol(ports: Mapping[str, Any]) -> Dict[str, str]:
    """``{"eq": ...}``, ``{"range": ...}`` in any spelling as ``{"eq": "N"}`` or ``{"range": "A-B"}``."""
    result = {}
    for operator, value in ports.items():
        if operator == "range" and isinstance(value, Mapping):
            value = "%s-%s" % (value.get("start"), value.get("end"))
        text = _ports(str(value).replace(" ", "-"))
        if operator in ("eq", "range"):
            operator = "eq" if "-" not in text else "range"
        result[str(operator)] = text
    return result


def _ports(text: str) -> str:
    """``53``, ``domain``, ``16384-65535``, ``16384 65535``: numbers, a range as ``A-B``, one port as ``A``."""
    parts = [_port(part) for part in text.strip().replace(" ", "-").split("-") if part]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return "-".join(parts)


def _port(name: str) -> str:
    return str(NXOS_PORT_NAMES.get(name.lower(), name.lower()))
