# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: firewalld_state
author: purecloud.firewall contributors (@purecloud)
version_added: "0.1.0"
short_description: Reconcile the firewalld zones, policies, ipsets and services the collection owns, in one run
description:
  - Declares the complete set of firewalld objects whose names start with O(prefix) (default C(purecloud))
    and makes permanent and runtime configuration match it in one module run. Owned objects not declared are
    removed (O(purge)); objects the collection does not own are left alone, except that an interface or source
    the user binds to an owned zone is taken from the zone it was bound to.
  - Ports are normalised before comparing (merged per protocol), as firewalld merges overlapping ranges
    itself; so the second run with the same input reports no change.
  - ipsets (C(hash:net), IPv4 or IPv6) are written whole in one call, however many entries they hold.
  - Existing objects are updated in permanent and runtime configuration directly; firewalld is reloaded only
    when an owned object is created or removed (firewalld cannot create them at runtime) or a service changes.
    A reload also drops runtime-only changes other tools made; make such changes permanent.
  - Uses firewalld's Python bindings on the managed host; fails with a clear message when firewalld is not running.
options:
  prefix:
    description: Name prefix of the objects this module owns.
    type: str
    default: purecloud
  purge:
    description: Remove owned objects that are not declared.
    type: bool
    default: true
  ipsets:
    description: ipsets of type C(hash:net).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: ipset name, starting with O(prefix).
        type: str
        required: true
      family:
        description: V(inet) for IPv4, V(inet6) for IPv6.
        type: str
        choices: [inet, inet6]
        default: inet
      entries:
        description: Networks and addresses; overlapping entries are merged first.
        type: list
        elements: str
        default: []
  services:
    description: Services grouping a product's ports.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Service name, starting with O(prefix).
        type: str
        required: true
      ports:
        description: Ports as C(PORT/PROTOCOL), e.g. V(5060-5061/tcp).
        type: list
        elements: str
        default: []
      description:
        description: Description of the service.
        type: str
  zones:
    description: Zones.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Zone name, starting with O(prefix), at most 17 characters.
        type: str
        required: true
      target:
        description: Zone target.
        type: str
        choices: [default, ACCEPT, DROP, "%%REJECT%%"]
        default: default
      interfaces:
        description: Interfaces bound to the zone.
        type: list
        elements: str
        default: []
      sources:
        description: Source networks, or C(ipset:NAME).
        type: list
        elements: str
        default: []
      services:
        description: Services allowed into the zone (to this host).
        type: list
        elements: str
        default: []
      ports:
        description: Ports allowed into the zone, as C(PORT/PROTOCOL).
        type: list
        elements: str
        default: []
      rich_rules:
        description: Rich rules of the zone, written as firewalld prints them.
        type: list
        elements: str
        default: []
  policies:
    description: Policies between zones (forwarded traffic, or HOST for this host's own traffic).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Policy name, starting with O(prefix).
        type: str
        required: true
      ingress_zones:
        description: Zones the traffic comes from; V(HOST) or V(ANY) allowed.
        type: list
        elements: str
        required: true
      egress_zones:
        description: Zones the traffic goes to; V(HOST) or V(ANY) allowed.
        type: list
        elements: str
        required: true
      target:
        description: What happens to traffic no rule of the policy matches.
        type: str
        choices: [CONTINUE, ACCEPT, DROP, REJECT]
        default: CONTINUE
      priority:
        description: Policy priority; negative runs before zone rules.
        type: int
        default: -1
      services:
        description: Services allowed.
        type: list
        elements: str
        default: []
      ports:
        description: Ports allowed, as C(PORT/PROTOCOL).
        type: list
        elements: str
        default: []
      rich_rules:
        description: Rich rules, e.g. V(rule family="ipv4" source ipset="purecloud_sites" port port="443" protocol="tcp" accept).
        type: list
        elements: str
        default: []
  management:
    description:
      - Sources and port of management SSH. A state in which the SSH session the module runs in would land in
        an owned zone, or meet an owned policy to V(HOST), that does not allow it is refused before anything
        changes, unless these sources cover the session; they are then accepted in every owned zone and every
        owned policy to V(HOST) that drops or rejects.
    type: dict
    suboptions:
      sources:
        description: Source networks allowed to reach SSH.
        type: list
        elements: str
        default: []
      port:
        description: SSH port.
        type: int
        default: 22
  rollback_timeout:
    description:
      - Seconds after which the host restores the previous permanent configuration of the owned objects (and of
        zones whose bindings were moved) and reloads firewalld, unless O(confirm_rollback) runs first. V(0) applies
        for good.
    type: int
    default: 0
  confirm_rollback:
    description: Cancel the pending rollback; run it over a fresh connection after applying.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports what would change and changes nothing.
  diff_mode:
    support: full
    description: The owned objects before and after.
requirements:
  - firewalld and its Python bindings (C(python3-firewall)) on the managed host
notes:
  - Compared with C(ansible.posix.firewalld), which changes one port, service or source of one zone per task
    and knows neither policies nor ipsets, this module reaches the whole state in one run.
seealso:
  - module: purecloud.firewall.nft_table
"""

EXAMPLES = r"""
- name: A site gateway forwarding the Edges' flows to the internet
  purecloud.firewall.firewalld_state:
    ipsets:
      - {name: purecloud_edges, entries: [198.51.100.130/31]}
    zones:
      - {name: purecloud_site, interfaces: [lan0]}
      - {name: purecloud_wan, interfaces: [wan0]}
    policies:
      - name: purecloud_site_out
        ingress_zones: [purecloud_site]
        egress_zones: [purecloud_wan]
        target: REJECT
        rich_rules:
          - rule family="ipv4" source ipset="purecloud_edges" port port="443" protocol="tcp" accept
          - rule family="ipv4" source ipset="purecloud_edges" port port="16384-32768" protocol="udp" accept

- name: Remove every object the collection owns
  purecloud.firewall.firewalld_state:
    purge: true
"""

RETURN = r"""
plan:
  description: Objects created, updated and removed, as C(kind/name).
  returned: always
  type: dict
  sample: {"create": ["zones/purecloud_site"], "update": [], "remove": []}
reloaded:
  description: Whether firewalld was reloaded to bring runtime in line.
  returned: always
  type: bool
rollback:
  description: The pending rollback, with C(deadline) (seconds since the epoch) and C(dir).
  returned: when O(rollback_timeout) is set and something changed
  type: dict
"""

import glob
import os
import shutil
import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.respawn import has_respawned, probe_interpreters_for_module, respawn_module

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.firewalld_state import (
    KINDS,
    check_state,
    describe,
    normal_live,
    plan,
    session_cut_reason,
    session_zone,
    with_management,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.nft import MANAGEMENT_OPTION, ssh_session

try:
    import dbus
    import dbus.mainloop.glib
    from firewall import client as fw_client

    HAS_FIREWALL = True
except ImportError:
    HAS_FIREWALL = False

ARGUMENT_SPEC = dict(
    prefix=dict(type="str", default="purecloud"),
    purge=dict(type="bool", default=True),
    ipsets=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        family=dict(type="str", default="inet", choices=["inet", "inet6"]),
        entries=dict(type="list", elements="str", default=[]),
    )),
    services=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        ports=dict(type="list", elements="str", default=[]),
        description=dict(type="str"),
    )),
    zones=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        target=dict(type="str", default="default", choices=["default", "ACCEPT", "DROP", "%%REJECT%%"]),
        interfaces=dict(type="list", elements="str", default=[]),
        sources=dict(type="list", elements="str", default=[]),
        services=dict(type="list", elements="str", default=[]),
        ports=dict(type="list", elements="str", default=[]),
        rich_rules=dict(type="list", elements="str", default=[]),
    )),
    policies=dict(type="list", elements="dict", default=[], options=dict(
        name=dict(type="str", required=True),
        ingress_zones=dict(type="list", elements="str", required=True),
        egress_zones=dict(type="list", elements="str", required=True),
        target=dict(type="str", default="CONTINUE", choices=["CONTINUE", "ACCEPT", "DROP", "REJECT"]),
        priority=dict(type="int", default=-1),
        services=dict(type="list", elements="str", default=[]),
        ports=dict(type="list", elements="str", default=[]),
        rich_rules=dict(type="list", elements="str", default=[]),
    )),
    management=MANAGEMENT_OPTION,
    rollback_timeout=dict(type="int", default=0),
    confirm_rollback=dict(type="bool", default=False),
)

ROLLBACK_ROOT = "/run/purecloud-firewall"
CONFIG_DIRS = ("ipsets", "services", "zones", "policies")


def _ports(pairs):
    return [list(pair) for pair in pairs]


class _Uninspected:
    """A system bus for reads: proxies without D-Bus introspection, and no signal subscriptions.

    firewalld builds the introspection XML in Python for every object proxy,
    most of a no-change run's D-Bus time; the reads pass only strings, which
    need no signature from it. The client subscribes to sixteen signals, a
    round trip to the bus each, that a run which only reads never waits for.
    """

    def __init__(self, bus):
        self._bus = bus

    def get_object(self, bus_name, path, introspect=True, **kwargs):
        return self._bus.get_object(bus_name, path, introspect=False, **kwargs)

    def add_signal_receiver(self, *args, **kwargs):
        return None

    def __getattr__(self, name):
        return getattr(self._bus, name)


class Firewalld:
    """The D-Bus side: read owned objects, write settings, permanent and runtime."""

    def __init__(self, prefix):
        self.prefix = prefix
        hint = "start it, or use purecloud.firewall.nft_table"
        try:
            dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)  # as FirewallClient() does for its own bus
            self.fw = fw_client.FirewallClient(bus=_Uninspected(dbus.SystemBus()))
        except Exception as exc:  # no system D-Bus at all
            raise PurecloudFirewallError("firewalld is not running (%s); %s" % (exc, hint)) from None
        if not self.fw.connected:
            raise PurecloudFirewallError("firewalld is not running (not on the system D-Bus); %s" % hint)
        self.config = self.fw.config()
        self._writer = None

    @property
    def writer(self):
        """The client for changes: its proxies introspect, so settings go out with firewalld's signatures."""
        if self._writer is None:
            self._writer = fw_client.FirewallClient()
        return self._writer

    # Each kind: (list names, get object, add, settings class)
    def _permanent_names(self, kind):
        return {"ipsets": self.config.getIPSetNames, "services": self.config.getServiceNames,
                "zones": self.config.getZoneNames, "policies": self.config.getPolicyNames}[kind]()

    @staticmethod
    def _object(config, kind, name):
        return {"ipsets": config.getIPSetByName, "services": config.getServiceByName,
                "zones": config.getZoneByName, "policies": config.getPolicyByName}[kind](name)

    @staticmethod
    def settings_dict(kind, settings):
        if kind == "ipsets":
            return {"type": settings.getType(), "options": settings.getOptions(), "entries": settings.getEntries()}
        return settings.getSettingsDict()

    def permanent(self):
        found = dict((kind, {}) for kind in KINDS)
        for kind in KINDS:
            for name in self._permanent_names(kind):
                if name.startswith(self.prefix):
                    settings = self._object(self.config, kind, name).getSettings()
                    found[kind][name] = normal_live(kind, self.settings_dict(kind, settings))
        return found

    def runtime(self, kind, name):
        getter = {"ipsets": self.fw.getIPSetSettings, "services": self.fw.getServiceSettings,
                  "zones": self.fw.getZoneSettings, "policies": self.fw.getPolicySettings}[kind]
        try:
            return normal_live(kind, self.settings_dict(kind, getter(name)))
        except Exception:  # not known at runtime yet: created permanently, not reloaded
            return None

    @staticmethod
    def build(kind, name, wanted):
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
        values = dict(wanted, ports=_ports(wanted["ports"]), short=name)
        settings.setSettingsDict(values)
        return settings

    def create(self, kind, name, settings):
        config = self.writer.config()
        {"ipsets": config.addIPSet, "services": config.addService,
         "zones": config.addZone, "policies": config.addPolicy}[kind](name, settings)

    def update(self, kind, name, settings):
        self._object(self.writer.config(), kind, name).update(settings)

    def remove(self, kind, name):
        self._object(self.writer.config(), kind, name).remove()

    def set_runtime(self, kind, name, settings, wanted):
        if kind == "ipsets":
            self.writer.setEntries(name, wanted["entries"])  # one call, however many entries
        elif kind == "zones":
            self.writer.setZoneSettings(name, settings)
        elif kind == "policies":
            self.writer.setPolicySettings(name, settings)

    def reload(self):
        self.writer.reload()

    def take_bindings(self, desired):
        """Unbind interfaces and sources wanted by owned zones from the foreign zones holding them."""
        moved = []
        for zone, wanted in desired["zones"].items():
            for item in wanted["interfaces"] + wanted["sources"]:
                lookup = self.config.getZoneOfInterface if item in wanted["interfaces"] else self.config.getZoneOfSource
                holder = lookup(item)
                if holder and holder != zone and not holder.startswith(self.prefix):
                    moved.append((holder, item, item in wanted["interfaces"]))
        return moved

    def unbind(self, holder, item, interface):
        obj = self._object(self.writer.config(), "zones", holder)
        if interface:
            obj.removeInterface(item)
        else:
            obj.removeSource(item)


def refuse_cutting_ssh(module, fwd, desired):
    """Fail, before any change, when the desired state would cut the SSH session the module runs in."""
    session = ssh_session(os.environ)
    if session is None:
        return
    client, port = session
    server = os.environ.get("SSH_CONNECTION", "").split()[2]
    interface = None
    _rc, out, _err = module.run_command(["ip", "-o", "addr", "show"])
    for line in out.splitlines():
        fields = line.split()
        if len(fields) > 3 and fields[3].split("/")[0] == server:
            interface = fields[1]
    current = fwd.fw.getZoneOfSource(client) or (interface and fwd.fw.getZoneOfInterface(interface)) \
        or fwd.fw.getDefaultZone()
    zone = session_zone(desired, client, interface, current)
    reason = session_cut_reason(desired, client, port, zone, module.params["management"])
    if reason:
        raise PurecloudFirewallError("refusing to apply: %s" % reason)


def _config_files(prefix, foreign_zones):
    files = []
    for kind in CONFIG_DIRS:
        files.extend(glob.glob("/etc/firewalld/%s/%s*.xml" % (kind, prefix)))
    files.extend("/etc/firewalld/zones/%s.xml" % zone for zone in foreign_zones)
    return files


def arm_rollback(module, rollback_dir, prefix, foreign_zones, timeout):
    """Snapshot the permanent XML of what this run may change; restore it and reload unless confirmed."""
    if os.path.isdir(rollback_dir):
        shutil.rmtree(rollback_dir)
    saved = os.path.join(rollback_dir, "saved")
    os.makedirs(saved)
    for path in _config_files(prefix, foreign_zones):
        if os.path.exists(path):
            target = os.path.join(saved, os.path.relpath(path, "/etc/firewalld"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(path, target)
    pending = os.path.join(rollback_dir, "pending")
    with open(pending, "w") as handle:
        handle.write("%d\n" % (time.time() + timeout))
    owned = " ".join("/etc/firewalld/%s/%s*.xml" % (kind, prefix) for kind in CONFIG_DIRS)
    script = ('exec </dev/null >/dev/null 2>&1; sleep %d; if [ -e "%s" ]; then rm -f %s; '
              'cp -a "%s/." /etc/firewalld/; firewall-cmd --reload; mv "%s" "%s.done"; fi'
              % (timeout, pending, owned, saved, pending, pending))
    module.run_command([module.get_bin_path("setsid", required=True), "-f", "/bin/sh", "-c", script], check_rc=True)
    return {"deadline": int(time.time()) + timeout, "dir": rollback_dir}


def confirm(rollback_dir, check_mode):
    pending = os.path.join(rollback_dir, "pending")
    if os.path.exists(pending):
        if not check_mode:
            os.unlink(pending)
        return {"changed": True, "msg": "rollback cancelled"}
    if os.path.exists(pending + ".done"):
        raise PurecloudFirewallError("too late: the host already restored the previous firewalld configuration "
                                     "(no confirmation in time)")
    return {"changed": False, "msg": "no rollback pending"}


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    if not HAS_FIREWALL and not has_respawned():
        # firewalld's bindings live in the system Python; use it when this one lacks them.
        interpreter = probe_interpreters_for_module(["/usr/bin/python3", "/usr/libexec/platform-python"], "firewall")
        if interpreter:
            respawn_module(interpreter)
    if not HAS_FIREWALL:
        module.fail_json(msg="firewalld's Python bindings (firewall.client, package python3-firewall) are missing")
    params = module.params
    rollback_dir = os.path.join(ROLLBACK_ROOT, "firewalld-%s" % params["prefix"])
    try:
        if params["confirm_rollback"]:
            module.exit_json(**confirm(rollback_dir, module.check_mode))
        fwd = Firewalld(params["prefix"])
        desired = check_state(params, prefix=params["prefix"])
        refuse_cutting_ssh(module, fwd, desired)
        desired = with_management(desired, params["management"])
        live = fwd.permanent()
        steps = plan(desired, live, purge=params["purge"], prefix=params["prefix"])
        moves = fwd.take_bindings(desired)
        runtime_drift = [
            "%s/%s" % (kind, name) for kind in KINDS for name, wanted in desired[kind].items()
            if name in live[kind] and live[kind][name] == wanted and fwd.runtime(kind, name) != wanted
        ]
        changed = bool(steps["create"] or steps["update"] or steps["remove"] or moves or runtime_drift)
        result = {"changed": changed, "plan": steps, "reloaded": False,
                  "diff": {"before": describe(live), "after": describe(desired)}}
        if module.check_mode or not changed:
            module.exit_json(**result)
        built = dict(("%s/%s" % (kind, name), fwd.build(kind, name, wanted))
                     for kind in KINDS for name, wanted in desired[kind].items())
        if params["rollback_timeout"] > 0:
            result["rollback"] = arm_rollback(module, rollback_dir, params["prefix"],
                                              [holder for holder, _item, _interface in moves],
                                              params["rollback_timeout"])
        for holder, item, interface in moves:
            fwd.unbind(holder, item, interface)
        # ipsets and services before the zones and policies that use them; removals last, in reverse.
        for kind in KINDS:
            for name, wanted in sorted(desired[kind].items()):
                key = "%s/%s" % (kind, name)
                if key in steps["create"]:
                    fwd.create(kind, name, built[key])
                elif key in steps["update"]:
                    fwd.update(kind, name, built[key])
        for key in reversed(steps["remove"]):
            kind, name = key.split("/", 1)
            fwd.remove(kind, name)
        needs_reload = bool(steps["create"] or steps["remove"] or moves) or any(
            key.startswith("services/") for key in steps["update"] + runtime_drift)
        if needs_reload:
            fwd.reload()
            result["reloaded"] = True
        else:
            for key in steps["update"] + runtime_drift:
                kind, name = key.split("/", 1)
                fwd.set_runtime(kind, name, built[key], desired[kind][name])
        module.exit_json(**result)
    except PurecloudFirewallError as exc:
        module.fail_json(msg=str(exc))
    except Exception as exc:  # D-Bus and firewalld errors: say what firewalld said
        module.fail_json(msg="firewalld refused the change: %s" % exc)


if __name__ == "__main__":
    main()
