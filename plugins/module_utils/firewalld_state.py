# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The firewalld objects the collection owns: check, normalise, plan, apply.

The decisions (what to create, update and remove, in which order, when to
reload, what runtime drift to put back, which bindings to take) are made
by :class:`FirewalldState` on plain data; only :class:`DbusClient` talks to
firewalld, so unit tests run the decisions against a fake client.
Everything is compared in one normal form: ports merged per protocol
(firewalld merges overlapping ranges itself, so a desired state compared
unmerged never converges), lists sorted, ipset entries collapsed (firewalld
refuses overlapping entries in hash:net).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import aggregate_cidrs, contains, network
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.host_backend import (
    Change,
    HostBackend,
    Management,
    SshSession,
    ssh_server_address,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import PROTOCOLS, normalize_ports, ports_contain

try:
    import dbus
    import dbus.mainloop.glib
    from firewall import client as fw_client

    HAS_FIREWALL = True
except ImportError:
    HAS_FIREWALL = False

KINDS = ("ipsets", "services", "zones", "policies")  # the order of writes: what others use comes first
CONFIG_DIRS = KINDS  # firewalld keeps each kind's permanent XML in a directory of that name
ZONE_TARGETS = ("default", "ACCEPT", "DROP", "%%REJECT%%")
POLICY_TARGETS = ("CONTINUE", "ACCEPT", "DROP", "REJECT")
SPECIAL_ZONES = ("HOST", "ANY")
IPSET_FAMILIES = ("inet", "inet6")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,17}$")  # firewalld limits zone names to 17 characters


def normal_ports(ports: Sequence[Any], where: str) -> List[Tuple[str, str]]:
    """``["5060/tcp", "5061/tcp", ("16384-32768", "udp")]`` -> merged ``[(port, protocol)]``, sorted."""
    by_protocol: Dict[str, List[str]] = {}
    for item in ports or []:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            port, protocol = item
        else:
            port, _sep, protocol = str(item).partition("/")
        if protocol not in PROTOCOLS:
            raise PurecloudFirewallError("%s: bad port %r; expected PORT/PROTOCOL with tcp or udp, e.g. '443/tcp'"
                                         % (where, item))
        try:
            by_protocol.setdefault(protocol, []).append(str(port))
        except PurecloudFirewallError as exc:
            raise PurecloudFirewallError("%s: %s" % (where, exc)) from None
    result = []
    for protocol in sorted(by_protocol):
        try:
            merged = normalize_ports(by_protocol[protocol])
        except PurecloudFirewallError as exc:
            raise PurecloudFirewallError("%s: %s" % (where, exc)) from None
        result.extend((port, protocol) for port in merged)
    return result


def _names(values: Any, where: str) -> List[str]:
    if values is None:
        return []
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) and v for v in values):
        raise PurecloudFirewallError("%s must be a list of names, got %r" % (where, values))
    return sorted(set(values))


def _networks(values: Any, where: str, family: Optional[int] = None) -> List[str]:
    networks = []
    for value in values or []:
        try:
            parsed = network(value)
        except PurecloudFirewallError:
            raise PurecloudFirewallError("%s: bad address or network %r" % (where, value)) from None
        if family and parsed.version != family:
            raise PurecloudFirewallError("%s: %s is IPv%d, the ipset is IPv%d" % (where, value, parsed.version, family))
        networks.append(parsed)
    return aggregate_cidrs(networks)


def _owned(name: Any, prefix: str, kind: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name) or not name.startswith(prefix):
        raise PurecloudFirewallError("%s name %r: must start with %r (the objects this collection owns) and use at "
                                     "most 17 letters, digits, - or _" % (kind, name, prefix))
    return name


def check_state(spec: Mapping[str, Any], prefix: str = "purecloud") -> Dict[str, Dict[str, Dict[str, Any]]]:
    """Validate the module's input; returns {kind: {name: normal settings}}."""
    state: Dict[str, Dict[str, Dict[str, Any]]] = dict((kind, {}) for kind in KINDS)
    for index, item in enumerate(spec.get("ipsets") or []):
        where = "ipsets[%d]" % index
        name = _owned(item.get("name"), prefix, "ipset")
        family = item.get("family", "inet")
        if family not in IPSET_FAMILIES:
            raise PurecloudFirewallError("%s: bad family %r; expected inet or inet6" % (where, family))
        state["ipsets"][name] = {"type": "hash:net", "family": family,
                                 "entries": _networks(item.get("entries"), where, 4 if family == "inet" else 6)}
    for index, item in enumerate(spec.get("services") or []):
        where = "services[%d]" % index
        name = _owned(item.get("name"), prefix, "service")
        state["services"][name] = {"ports": normal_ports(item.get("ports"), where),
                                   "description": str(item.get("description") or "")}
    for index, item in enumerate(spec.get("zones") or []):
        where = "zones[%d]" % index
        name = _owned(item.get("name"), prefix, "zone")
        target = item.get("target", "default")
        if target not in ZONE_TARGETS:
            raise PurecloudFirewallError("%s: bad target %r; expected one of: %s" % (where, target, ", ".join(ZONE_TARGETS)))
        sources = list(item.get("sources") or [])
        plain = [s for s in sources if not str(s).startswith("ipset:")]
        state["zones"][name] = {"target": target, "interfaces": _names(item.get("interfaces"), where + ".interfaces"),
                                "sources": sorted(_networks(plain, where + ".sources")
                                                  + [s for s in sources if str(s).startswith("ipset:")]),
                                "services": _names(item.get("services"), where + ".services"),
                                "ports": normal_ports(item.get("ports"), where),
                                "rich_rules": sorted(set(item.get("rich_rules") or []))}
    for index, item in enumerate(spec.get("policies") or []):
        where = "policies[%d]" % index
        name = _owned(item.get("name"), prefix, "policy")
        target = item.get("target", "CONTINUE")
        if target not in POLICY_TARGETS:
            raise PurecloudFirewallError("%s: bad target %r; expected one of: %s" % (where, target, ", ".join(POLICY_TARGETS)))
        priority = item.get("priority", -1)
        if not isinstance(priority, int) or isinstance(priority, bool) or priority == 0:
            raise PurecloudFirewallError("%s: priority must be a non-zero whole number, got %r" % (where, priority))
        policy = {"target": target, "priority": priority,
                  "ingress_zones": _names(item.get("ingress_zones"), where + ".ingress_zones"),
                  "egress_zones": _names(item.get("egress_zones"), where + ".egress_zones"),
                  "services": _names(item.get("services"), where + ".services"),
                  "ports": normal_ports(item.get("ports"), where),
                  "rich_rules": sorted(set(item.get("rich_rules") or []))}
        if not policy["ingress_zones"] or not policy["egress_zones"]:
            raise PurecloudFirewallError("%s: a policy needs ingress_zones and egress_zones (zones, HOST or ANY)" % where)
        state["policies"][name] = policy
    return state


def normal_live(kind: str, settings: Mapping[str, Any]) -> Dict[str, Any]:
    """The same normal form, from firewalld's settings dict of one object."""
    if kind == "ipsets":
        family = dict(settings.get("options") or {}).get("family", "inet")
        return {"type": settings.get("type", "hash:net"), "family": family,
                "entries": _networks(settings.get("entries") or [], "live ipset")}
    if kind == "services":
        return {"ports": normal_ports(settings.get("ports") or [], "live service"),
                "description": str(settings.get("description") or "")}
    ports = normal_ports(settings.get("ports") or [], "live %s" % kind)
    if kind == "zones":
        sources = settings.get("sources") or []
        return {"target": _zone_target(settings.get("target", "default")),
                "interfaces": sorted(settings.get("interfaces") or []),
                "sources": sorted(_networks([s for s in sources if not s.startswith("ipset:")], "live zone")
                                  + [s for s in sources if s.startswith("ipset:")]),
                "services": sorted(settings.get("services") or []), "ports": ports,
                # firewalld's zone settings call them rules_str; its policy settings rich_rules.
                "rich_rules": sorted(settings.get("rules_str") or settings.get("rich_rules") or [])}
    return {"target": settings.get("target", "CONTINUE"), "priority": int(settings.get("priority", -1)),
            "ingress_zones": sorted(settings.get("ingress_zones") or []),
            "egress_zones": sorted(settings.get("egress_zones") or []),
            "services": sorted(settings.get("services") or []), "ports": ports,
            "rich_rules": sorted(settings.get("rich_rules") or [])}


def _zone_target(target: str) -> str:
    # firewalld stores a zone's REJECT target as %%REJECT%%.
    return "%%REJECT%%" if target == "REJECT" else target


def plan(desired: Mapping[str, Mapping[str, Any]], live: Mapping[str, Mapping[str, Any]], purge: bool = True,
         prefix: str = "purecloud") -> Dict[str, List[str]]:
    """What to create, update and remove, kind by kind (``live`` holds owned objects only)."""
    steps: Dict[str, List[str]] = {"create": [], "update": [], "remove": []}
    for kind in KINDS:
        for name, settings in sorted(desired[kind].items()):
            if name not in live.get(kind, {}):
                steps["create"].append("%s/%s" % (kind, name))
            elif live[kind][name] != settings:
                steps["update"].append("%s/%s" % (kind, name))
        if purge:
            for name in sorted(live.get(kind, {})):
                if name.startswith(prefix) and name not in desired[kind]:
                    steps["remove"].append("%s/%s" % (kind, name))
    return steps


def describe(state: Mapping[str, Mapping[str, Any]]) -> str:
    """A readable listing of owned objects, for --diff."""
    lines = []
    for kind in KINDS:
        for name, settings in sorted(state.get(kind, {}).items()):
            lines.append("%s %s" % (kind[:-1] if kind != "policies" else "policy", name))
            for key in sorted(settings):
                value = settings[key]
                if key == "ports":
                    value = ", ".join("%s/%s" % p for p in value)
                elif key == "entries":
                    value = "%d entries: %s%s" % (len(value), ", ".join(value[:5]), ", ..." if len(value) > 5 else "")
                elif isinstance(value, list):
                    value = ", ".join(value)
                lines.append("  %s: %s" % (key, value))
    return "\n".join(lines) + ("\n" if lines else "")


def _allows(settings: Mapping[str, Any], port: int) -> bool:
    if settings.get("target") == "ACCEPT":
        return True
    if port == 22 and "ssh" in settings.get("services", []):
        return True
    return ports_contain([spec for spec, protocol in settings.get("ports", []) if protocol == "tcp"], port)


def session_blocked(desired: Mapping[str, Mapping[str, Any]], client: str, port: int, zone: Optional[str]) -> str:
    """Why the desired state would keep the SSH session from ``client`` to ``port`` out, or "".

    ``zone`` is the zone the session arrives in after the change (the owned
    zone holding its source or interface, else the zone firewalld uses now).
    """
    if zone in desired["zones"] and not _allows(desired["zones"][zone], port):
        return ("the SSH session from %s to port %d would arrive in zone %s, which does not allow it; allow the "
                "port there or add the source to management.sources" % (client, port, zone))
    for name, policy in desired["policies"].items():
        if _guards_host(policy) and ("ANY" in policy["ingress_zones"] or zone in policy["ingress_zones"]) \
                and not _allows(policy, port):
            return ("policy %s would %s the SSH session from %s to port %d on this host; allow the port there or add "
                    "the source to management.sources" % (name, policy["target"].lower(), client, port))
    return ""


def _guards_host(policy: Mapping[str, Any]) -> bool:
    """A policy to this host that drops or rejects what its rules do not allow."""
    return "HOST" in policy["egress_zones"] and policy["target"] in ("DROP", "REJECT")


def session_zone(desired: Mapping[str, Mapping[str, Any]], client: str, interface: Optional[str],
                 current: Optional[str]) -> Optional[str]:
    """The zone a session from ``client`` on ``interface`` lands in once ``desired`` is applied."""
    for name, zone in desired["zones"].items():
        if any(not s.startswith("ipset:") and contains(s, client) for s in zone["sources"]):
            return name
    for name, zone in desired["zones"].items():
        if interface and interface in zone["interfaces"]:
            return name
    return current


def with_management(desired: Mapping[str, Mapping[str, Any]], management: Management,
                    ) -> Dict[str, Dict[str, Dict[str, Any]]]:
    """Accept the management sources' SSH in every owned zone and HOST policy that would not."""
    state = dict((kind, dict((name, dict(settings)) for name, settings in desired[kind].items())) for kind in KINDS)
    if not management.networks:
        return state
    rules = ['rule family="%s" source address="%s" port port="%d" protocol="tcp" accept'
             % ("ipv4" if source.version == 4 else "ipv6", source, management.port)
             for source in management.networks]
    for zone in state["zones"].values():
        if not _allows(zone, management.port):
            zone["rich_rules"] = sorted(set(zone["rich_rules"]) | set(rules))
    for policy in state["policies"].values():
        if _guards_host(policy) and not _allows(policy, management.port):
            policy["rich_rules"] = sorted(set(policy["rich_rules"]) | set(rules))
    return state


# ---------------------------------------------------------------- firewalld
class _Uninspected:
    """A system bus for reads: proxies without D-Bus introspection, and no signal subscriptions.

    firewalld builds the introspection XML in Python for every object proxy,
    most of a no-change run's D-Bus time; the reads pass only strings, which
    need no signature from it. The client subscribes to sixteen signals, a
    round trip to the bus each, that a run which only reads never waits for.
    """

    def __init__(self, bus: Any) -> None:
        self._bus = bus

    def get_object(self, bus_name: str, path: str, introspect: bool = True, **kwargs: Any) -> Any:
        return self._bus.get_object(bus_name, path, introspect=False, **kwargs)

    def add_signal_receiver(self, *args: Any, **kwargs: Any) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bus, name)


def _ports(pairs: Sequence[Sequence[str]]) -> List[List[str]]:
    return [list(pair) for pair in pairs]


class DbusClient:
    """firewalld on the system D-Bus, through its Python bindings; the only code that talks to firewalld.

    Settings go in and come out as plain data: the normal form's settings
    going in, firewalld's own settings dicts coming out (an ipset's as its
    type, options and entries).  Permanent configuration unless said runtime.
    """

    def __init__(self) -> None:
        hint = "start it, or use purecloud.firewall.nft_table"
        try:
            dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)  # as FirewallClient() does for its own bus
            self.fw = fw_client.FirewallClient(bus=_Uninspected(dbus.SystemBus()))
        except Exception as exc:  # no system D-Bus at all
            raise PurecloudFirewallError("firewalld is not running (%s); %s" % (exc, hint)) from None
        if not self.fw.connected:
            raise PurecloudFirewallError("firewalld is not running (not on the system D-Bus); %s" % hint)
        self.config = self.fw.config()
        self._writer: Any = None

    @property
    def writer(self) -> Any:
        """The client for changes: its proxies introspect, so settings go out with firewalld's signatures."""
        if self._writer is None:
            self._writer = fw_client.FirewallClient()
        return self._writer

    @staticmethod
    def _object(config: Any, kind: str, name: str) -> Any:
        return {"ipsets": config.getIPSetByName, "services": config.getServiceByName,
                "zones": config.getZoneByName, "policies": config.getPolicyByName}[kind](name)

    @staticmethod
    def _settings_dict(kind: str, settings: Any) -> Dict[str, Any]:
        if kind == "ipsets":
            return {"type": settings.getType(), "options": settings.getOptions(), "entries": settings.getEntries()}
        return settings.getSettingsDict()

    @staticmethod
    def _build(kind: str, name: str, wanted: Mapping[str, Any]) -> Any:
        if kind == "ipsets":
            settings = fw_client.FirewallClientIPSetSettings()
            settings.setType("hash:net")
            settings.setOptions({"family": wanted["family"]})
            settings.setEntries(wanted["entries"])
            return settings
        if kind == "services":
            settings = fw_client.FirewallClientServiceSettings()
            settings.setShort(name)
            settings.setDescription(wanted["description"])
            settings.setPorts(_ports(wanted["ports"]))
            return settings
        if kind == "zones":
            settings = fw_client.FirewallClientZoneSettings()
            settings.setShort(name)
            settings.setTarget(wanted["target"])
            settings.setInterfaces(wanted["interfaces"])
            settings.setSources(wanted["sources"])
            settings.setServices(wanted["services"])
            settings.setPorts(_ports(wanted["ports"]))
            settings.setRichRules(wanted["rich_rules"])
            return settings
        settings = fw_client.FirewallClientPolicySettings()
        settings.setSettingsDict(dict(wanted, ports=_ports(wanted["ports"]), short=name))
        return settings

    # ------------------------------------------------------------- reads
    def permanent_names(self, kind: str) -> List[str]:
        return list({"ipsets": self.config.getIPSetNames, "services": self.config.getServiceNames,
                     "zones": self.config.getZoneNames, "policies": self.config.getPolicyNames}[kind]())

    def permanent_settings(self, kind: str, name: str) -> Dict[str, Any]:
        return self._settings_dict(kind, self._object(self.config, kind, name).getSettings())

    def runtime_settings(self, kind: str, name: str) -> Optional[Dict[str, Any]]:
        """The object's runtime settings, or None when firewalld does not know it at runtime."""
        getter = {"ipsets": self.fw.getIPSetSettings, "services": self.fw.getServiceSettings,
                  "zones": self.fw.getZoneSettings, "policies": self.fw.getPolicySettings}[kind]
        try:
            return self._settings_dict(kind, getter(name))
        except Exception:  # not known at runtime yet: created permanently, not reloaded
            return None

    def permanent_zone_of(self, item: str, interface: bool) -> str:
        """The zone an interface (or a source) is bound to in the permanent configuration, or ""."""
        return (self.config.getZoneOfInterface if interface else self.config.getZoneOfSource)(item)

    def runtime_zone_of_source(self, address: str) -> str:
        return self.fw.getZoneOfSource(address)

    def runtime_zone_of_interface(self, interface: str) -> str:
        return self.fw.getZoneOfInterface(interface)

    def default_zone(self) -> str:
        return self.fw.getDefaultZone()

    # ------------------------------------------------------------ writes
    def create(self, kind: str, name: str, wanted: Mapping[str, Any]) -> None:
        config = self.writer.config()
        {"ipsets": config.addIPSet, "services": config.addService,
         "zones": config.addZone, "policies": config.addPolicy}[kind](name, self._build(kind, name, wanted))

    def update(self, kind: str, name: str, wanted: Mapping[str, Any]) -> None:
        self._object(self.writer.config(), kind, name).update(self._build(kind, name, wanted))

    def remove(self, kind: str, name: str) -> None:
        self._object(self.writer.config(), kind, name).remove()

    def unbind(self, zone: str, item: str, interface: bool) -> None:
        obj = self._object(self.writer.config(), "zones", zone)
        if interface:
            obj.removeInterface(item)
        else:
            obj.removeSource(item)

    def set_runtime(self, kind: str, name: str, wanted: Mapping[str, Any]) -> None:
        """Runtime settings of an ipset, zone or policy (a service changes at runtime only by a reload)."""
        if kind == "ipsets":
            self.writer.setEntries(name, wanted["entries"])  # one call, however many entries
        elif kind == "zones":
            self.writer.setZoneSettings(name, self._build(kind, name, wanted))
        elif kind == "policies":
            self.writer.setPolicySettings(name, self._build(kind, name, wanted))

    def reload(self) -> None:
        self.writer.reload()


# ------------------------------------------------------------------ backend
State = Dict[str, Dict[str, Dict[str, Any]]]
Binding = Tuple[str, str, bool]  # (zone holding it now, interface or source, whether an interface)


@dataclass
class StateChange(Change):
    """The plan of one run: the desired objects, the steps, the bindings to take, the runtime drift."""

    desired: State = field(default_factory=dict)
    steps: Dict[str, List[str]] = field(default_factory=dict)
    moves: List[Binding] = field(default_factory=list)
    drift: List[str] = field(default_factory=list)  # kind/name: permanent is right, runtime is not
    unknown_at_runtime: List[str] = field(default_factory=list)  # drift where runtime lacks the object

    @property
    def needs_reload(self) -> bool:
        """firewalld creates and removes objects, moves bindings and changes services only by a reload."""
        return bool(self.steps["create"] or self.steps["remove"] or self.moves or self.unknown_at_runtime) or any(
            key.startswith("services/") for key in self.steps["update"] + self.drift)


class FirewalldState(HostBackend):
    """The firewalld_state module's backend: every object named with the prefix, reconciled in one run.

    Objects without the prefix are never read, written or removed; the one
    exception is a binding an owned zone asks for, taken from the foreign
    zone holding it (and that zone's file saved for a rollback).
    """

    def __init__(self, module: Any, client: Any = None, config_dir: str = "/etc/firewalld", **kwargs: Any) -> None:
        super().__init__(module, **kwargs)
        self.prefix: str = self.params["prefix"]
        self.config_dir = config_dir
        self.rollback_dir = os.path.join(self.rollback_root, "firewalld-%s" % self.prefix)
        self._client = client

    @property
    def client(self) -> Any:
        """firewalld's client, connected when first needed (confirming a rollback needs none)."""
        if self._client is None:
            self._client = DbusClient()
        return self._client

    def run(self) -> Dict[str, Any]:
        try:
            return super().run()
        except PurecloudFirewallError:
            raise
        except Exception as exc:  # D-Bus and firewalld errors: say what firewalld said
            raise PurecloudFirewallError("firewalld refused the change: %s" % exc) from None

    # -------------------------------------------------------------- hooks
    def desired_state(self) -> State:
        return check_state(self.params, prefix=self.prefix)

    def session_blocked(self, desired: State, session: SshSession, management: Management) -> str:
        interface = self._interface_holding(ssh_server_address(self.environ))
        current = self.client.runtime_zone_of_source(session.client) or (
            interface and self.client.runtime_zone_of_interface(interface)) or self.client.default_zone()
        zone = session_zone(desired, session.client, interface, current)
        return session_blocked(desired, session.client, session.port, zone)

    def allow_management(self, desired: State, management: Management) -> State:
        return with_management(desired, management)

    def read_live(self) -> State:
        """The owned objects' permanent settings, in the normal form."""
        found: State = dict((kind, {}) for kind in KINDS)
        for kind in KINDS:
            for name in self.client.permanent_names(kind):
                if name.startswith(self.prefix):
                    found[kind][name] = normal_live(kind, self.client.permanent_settings(kind, name))
        return found

    def plan(self, desired: State, live: State) -> StateChange:
        steps = plan(desired, live, purge=self.params["purge"], prefix=self.prefix)
        moves = self.bindings_to_take(desired)
        drift, unknown = [], []
        for kind in KINDS:
            for name, wanted in sorted(desired[kind].items()):
                if live[kind].get(name) != wanted:
                    continue  # created or updated, permanent and runtime
                runtime = self.runtime(kind, name)
                if runtime != wanted:
                    drift.append("%s/%s" % (kind, name))
                    if runtime is None:  # created permanently by a run that never reloaded
                        unknown.append("%s/%s" % (kind, name))
        changed = bool(steps["create"] or steps["update"] or steps["remove"] or moves or drift)
        return StateChange(changed=changed, risky=changed, result={"plan": steps, "reloaded": False},
                           diff={"before": describe(live), "after": describe(desired)},
                           desired=desired, steps=steps, moves=moves, drift=drift, unknown_at_runtime=unknown)

    def apply(self, change: StateChange) -> Dict[str, Any]:  # type: ignore[override]
        for holder, item, interface in change.moves:
            self.client.unbind(holder, item, interface)
        # ipsets and services before the zones and policies that use them; removals last, in reverse.
        for kind in KINDS:
            for name, wanted in sorted(change.desired[kind].items()):
                key = "%s/%s" % (kind, name)
                if key in change.steps["create"]:
                    self.client.create(kind, name, wanted)
                elif key in change.steps["update"]:
                    self.client.update(kind, name, wanted)
        for key in reversed(change.steps["remove"]):
            kind, name = key.split("/", 1)
            self.client.remove(kind, name)
        if change.needs_reload:
            self.client.reload()
            return {"reloaded": True}
        for key in change.steps["update"] + change.drift:
            kind, name = key.split("/", 1)
            self.client.set_runtime(kind, name, change.desired[kind][name])
        return {}

    def prepare_rollback(self, change: StateChange, timeout: int) -> str:  # type: ignore[override]
        """Snapshot the permanent XML of what the change may touch: owned objects, zones losing a binding."""
        if os.path.isdir(self.rollback_dir):
            shutil.rmtree(self.rollback_dir)
        saved = os.path.join(self.rollback_dir, "saved")
        os.makedirs(saved)
        for path in self._config_files([holder for holder, _item, _interface in change.moves]):
            if os.path.exists(path):
                target = os.path.join(saved, os.path.relpath(path, self.config_dir))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(path, target)
        with open(self.rollback_marker, "w") as handle:
            handle.write("%d\n" % (time.time() + timeout))
        owned = " ".join("%s/%s/%s*.xml" % (self.config_dir, kind, self.prefix) for kind in CONFIG_DIRS)
        return 'rm -f %s; cp -a "%s/." %s/; firewall-cmd --reload' % (owned, saved, self.config_dir)

    @property
    def rollback_marker(self) -> str:
        return os.path.join(self.rollback_dir, "pending")

    def rollback_info(self) -> Dict[str, str]:
        return {"dir": self.rollback_dir}

    @property
    def scope(self) -> str:
        return ""

    @property
    def whole(self) -> str:
        return "firewalld configuration"

    # ------------------------------------------------------------ helpers
    def runtime(self, kind: str, name: str) -> Optional[Dict[str, Any]]:
        settings = self.client.runtime_settings(kind, name)
        return None if settings is None else normal_live(kind, settings)

    def bindings_to_take(self, desired: State) -> List[Binding]:
        """Interfaces and sources wanted by owned zones that a foreign zone holds now."""
        moves = []
        for zone, wanted in desired["zones"].items():
            for item in wanted["interfaces"] + wanted["sources"]:
                interface = item in wanted["interfaces"]
                holder = self.client.permanent_zone_of(item, interface)
                if holder and holder != zone and not holder.startswith(self.prefix):
                    moves.append((holder, item, interface))
        return moves

    def _interface_holding(self, address: Optional[str]) -> Optional[str]:
        """The interface with ``address`` on this host (the one the SSH session arrives on), if any."""
        _rc, out, _err = self.run_command(["ip", "-o", "addr", "show"], check=False)
        interface = None
        for line in out.splitlines():
            fields = line.split()
            if len(fields) > 3 and fields[3].split("/")[0] == address:
                interface = fields[1]
        return interface

    def _config_files(self, foreign_zones: Sequence[str]) -> List[str]:
        files = []
        for kind in CONFIG_DIRS:
            files.extend(glob.glob("%s/%s/%s*.xml" % (self.config_dir, kind, self.prefix)))
        files.extend("%s/zones/%s.xml" % (self.config_dir, zone) for zone in foreign_zones)
        return files
