# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-ins for what a host backend talks to: AnsibleModule, and firewalld's D-Bus client.

Both write every call into one shared log, so a test sees in which order
the real decision code read, armed, wrote and reloaded.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

Answer = Callable[[List[str], Optional[str]], Tuple[int, str, str]]


class FakeModule:
    """What a backend uses of AnsibleModule; the arguments are checked and defaulted by the module's own spec."""

    def __init__(self, argument_spec: Mapping[str, Any], args: Mapping[str, Any], check_mode: bool = False,
                 diff: bool = False, answer: Optional[Answer] = None, log: Optional[List[Any]] = None) -> None:
        checked = ArgumentSpecValidator(dict(argument_spec)).validate(dict(args))
        assert not checked.error_messages, checked.error_messages
        self.params = checked.validated_parameters
        self.check_mode = check_mode
        self._diff = diff
        self.log: List[Any] = [] if log is None else log
        self.answer: Answer = answer or (lambda argv, data: (0, "", ""))

    def run_command(self, args: List[str], data: Optional[str] = None, binary_data: bool = False,
                    ) -> Tuple[int, str, str]:
        self.log.append(("run", args[0].rsplit("/", 1)[-1], list(args)))
        return self.answer(list(args), data)

    def get_bin_path(self, name: str, required: bool = False) -> str:
        return "/usr/bin/%s" % name

    def commands(self, program: str) -> List[List[str]]:
        """The argument lists of every run of ``program``, in order."""
        return [entry[2] for entry in self.log if entry[0] == "run" and entry[1] == program]


def firewalld_settings(kind: str, normal: Mapping[str, Any]) -> Dict[str, Any]:
    """The settings dict firewalld keeps for an object given in the backend's normal form."""
    if kind == "ipsets":
        return {"type": normal["type"], "options": {"family": normal["family"]}, "entries": list(normal["entries"])}
    settings = copy.deepcopy(dict(normal))
    settings["ports"] = [tuple(pair) for pair in settings.get("ports", [])]
    if kind == "zones":
        settings["rules_str"] = settings.pop("rich_rules")  # what firewalld's zone settings call them
    return settings


WRITES = ("create", "update", "remove", "unbind", "set_runtime", "reload")


class FakeFirewalld:
    """firewalld as the D-Bus client shows it: permanent and runtime configuration, and bindings.

    Objects are firewalld's settings dicts.  Writes go to the permanent
    configuration; runtime follows it on reload() or set_runtime(), and an
    object created permanently is unknown at runtime until a reload, as in
    firewalld.
    """

    def __init__(self, permanent: Optional[Dict[str, Dict[str, Dict[str, Any]]]] = None,
                 log: Optional[List[Any]] = None, default_zone: str = "public",
                 runtime_source_zones: Optional[Dict[str, str]] = None,
                 runtime_interface_zones: Optional[Dict[str, str]] = None) -> None:
        kinds = ("ipsets", "services", "zones", "policies")
        self.permanent = dict((kind, copy.deepcopy((permanent or {}).get(kind, {}))) for kind in kinds)
        self.runtime = copy.deepcopy(self.permanent)
        self.log: List[Any] = [] if log is None else log
        self.default = default_zone
        self.runtime_source_zones = dict(runtime_source_zones or {})
        self.runtime_interface_zones = dict(runtime_interface_zones or {})
        self.refuse: Dict[str, Exception] = {}  # method name -> what firewalld answers instead

    def _call(self, name: str, *args: Any) -> None:
        self.log.append((name,) + args)
        if name in self.refuse:
            raise self.refuse[name]

    def writes(self) -> List[Tuple[Any, ...]]:
        return [entry for entry in self.log if entry[0] in WRITES]

    # reads
    def permanent_names(self, kind: str) -> List[str]:
        self._call("permanent_names", kind)
        return list(self.permanent[kind])

    def permanent_settings(self, kind: str, name: str) -> Dict[str, Any]:
        self._call("permanent_settings", kind, name)
        return copy.deepcopy(self.permanent[kind][name])

    def runtime_settings(self, kind: str, name: str) -> Optional[Dict[str, Any]]:
        self._call("runtime_settings", kind, name)
        return copy.deepcopy(self.runtime[kind].get(name))

    def permanent_zone_of(self, item: str, interface: bool) -> str:
        self._call("permanent_zone_of", item, interface)
        for zone, settings in self.permanent["zones"].items():
            if item in settings.get("interfaces" if interface else "sources", []):
                return zone
        return ""

    def runtime_zone_of_source(self, address: str) -> str:
        self._call("runtime_zone_of_source", address)
        return self.runtime_source_zones.get(address, "")

    def runtime_zone_of_interface(self, interface: str) -> str:
        self._call("runtime_zone_of_interface", interface)
        return self.runtime_interface_zones.get(interface, "")

    def default_zone(self) -> str:
        self._call("default_zone")
        return self.default

    # writes
    def create(self, kind: str, name: str, wanted: Mapping[str, Any]) -> None:
        self._call("create", kind, name)
        assert name not in self.permanent[kind], "firewalld refuses to create %s/%s twice" % (kind, name)
        self.permanent[kind][name] = firewalld_settings(kind, wanted)

    def update(self, kind: str, name: str, wanted: Mapping[str, Any]) -> None:
        self._call("update", kind, name)
        self.permanent[kind][name] = firewalld_settings(kind, wanted)

    def remove(self, kind: str, name: str) -> None:
        self._call("remove", kind, name)
        del self.permanent[kind][name]

    def unbind(self, zone: str, item: str, interface: bool) -> None:
        self._call("unbind", zone, item, interface)
        self.permanent["zones"][zone]["interfaces" if interface else "sources"].remove(item)

    def set_runtime(self, kind: str, name: str, wanted: Mapping[str, Any]) -> None:
        self._call("set_runtime", kind, name)
        assert kind != "services", "firewalld changes a service at runtime only by a reload"
        assert name in self.runtime[kind], "firewalld knows no %s/%s at runtime" % (kind, name)
        self.runtime[kind][name] = firewalld_settings(kind, wanted)

    def reload(self) -> None:
        self._call("reload")
        self.runtime = copy.deepcopy(self.permanent)
