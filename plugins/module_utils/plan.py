# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The records a plan is made of: rules, the rows left out, and the plan of one host.

Everything between the catalog and a renderer passes as these frozen
records; they become plain dicts only at the Ansible boundary (``as_dict``),
and a rule handed back by a playbook is read with ``Rule.from_mapping``,
which checks it.  A catalog row is ``catalog.Requirement``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

if TYPE_CHECKING:  # pragma: no cover
    from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import CatalogInfo, Requirement
    from ansible_collections.purecloud.firewall.plugins.module_utils.dns_sets import DnsPlan

ANY = "any"
# Any address, or the CIDRs (aggregated, IPv4 before IPv6).
Addresses = Union[str, Tuple[str, ...]]

NO_PORTS, NO_NETWORKS = "no_ports", "no_networks"
SKIP_KINDS = (NO_PORTS, NO_NETWORKS)
RULE_FIELDS = ("source_class", "destination_class", "sources", "destinations", "protocol", "ports", "ids",
               "applications")


def addresses(value: Any, where: str) -> Addresses:
    """``any`` or a tuple of CIDR strings, as given (checking them is the CIDR parser's)."""
    if value == ANY:
        return ANY
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)) and value and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise PurecloudFirewallError("%s must be 'any' or a non-empty list of CIDRs, got %r" % (where, value))


def _strings(value: Any, where: str, empty: bool = True) -> Tuple[str, ...]:
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value) and (empty or value):
        return tuple(value)
    raise PurecloudFirewallError("%s must be a list of strings, got %r" % (where, value))


@dataclass(frozen=True)
class Rule:
    """One compiled flow: a source class to a destination class on one protocol, its ports merged."""

    source_class: str
    destination_class: str
    sources: Addresses
    destinations: Addresses
    protocol: str
    ports: Tuple[str, ...]
    ids: Tuple[str, ...]
    applications: Tuple[str, ...] = ()

    def as_dict(self) -> Dict[str, Any]:
        return {"source_class": self.source_class, "destination_class": self.destination_class,
                "sources": _listed(self.sources), "destinations": _listed(self.destinations),
                "protocol": self.protocol, "ports": list(self.ports), "ids": list(self.ids),
                "applications": list(self.applications)}

    @classmethod
    def from_mapping(cls, value: Any, where: str = "rule") -> "Rule":
        """A rule as a playbook hands it back (the ``rules`` of apply or compile_rules), checked."""
        if not isinstance(value, Mapping):
            raise PurecloudFirewallError("%s must be a mapping with %s, got %r" % (where, ", ".join(RULE_FIELDS),
                                                                                   value))
        missing = [name for name in RULE_FIELDS[:-1] if name not in value]
        if missing:
            raise PurecloudFirewallError("%s has no %s" % (where, ", ".join(missing)))
        for name in ("source_class", "destination_class", "protocol"):
            if not isinstance(value[name], str) or not value[name]:
                raise PurecloudFirewallError("%s.%s must be a string, got %r" % (where, name, value[name]))
        return cls(source_class=value["source_class"], destination_class=value["destination_class"],
                   sources=addresses(value["sources"], where + ".sources"),
                   destinations=addresses(value["destinations"], where + ".destinations"),
                   protocol=value["protocol"], ports=_strings(value["ports"], where + ".ports", empty=False),
                   ids=_strings(value["ids"], where + ".ids"),
                   applications=_strings(value.get("applications") or [], where + ".applications"))


def _listed(value: Addresses) -> Any:
    return value if value == ANY else list(value)


def rules_from(value: Any, where: str = "rules") -> Tuple[Rule, ...]:
    """Rules from a playbook: a list of rule mappings (records pass through)."""
    if not isinstance(value, (list, tuple)):
        raise PurecloudFirewallError("%s must be a list of rules, got %r" % (where, value))
    return tuple(item if isinstance(item, Rule) else Rule.from_mapping(item, "%s[%d]" % (where, index))
                 for index, item in enumerate(value))


@dataclass(frozen=True)
class Skip:
    """A row left out of the rules, and what would bring it in: a port variable, or a class's networks."""

    id: str
    kind: str
    missing: str

    @property
    def reason(self) -> str:
        if self.kind == NO_PORTS:
            return "no ports: set port variable %r" % self.missing
        return "no networks given for class %r" % self.missing

    def as_dict(self) -> Dict[str, str]:
        return {"id": self.id, "reason": self.reason, "kind": self.kind, "missing": self.missing}

    @classmethod
    def from_mapping(cls, value: Any, where: str = "skipped") -> "Skip":
        """A skipped row as compile_rules or apply return it (``id``, ``kind``, ``missing``), checked."""
        if not isinstance(value, Mapping) or not all(isinstance(value.get(k), str) for k in ("id", "kind", "missing")):
            raise PurecloudFirewallError("%s must be a mapping with id, kind and missing (as compile_rules returns "
                                         "it), got %r" % (where, value))
        if value["kind"] not in SKIP_KINDS:
            raise PurecloudFirewallError("%s.kind %r; expected one of: %s"
                                         % (where, value["kind"], ", ".join(SKIP_KINDS)))
        return cls(value["id"], value["kind"], value["missing"])


@dataclass(frozen=True)
class Compiled:
    """What compiling rows for a site's networks gives: the rules, and the rows it could not resolve."""

    rules: Tuple[Rule, ...]
    skipped: Tuple[Skip, ...] = ()

    def as_dict(self) -> Dict[str, Any]:
        return {"rules": [rule.as_dict() for rule in self.rules], "skipped": [skip.as_dict() for skip in self.skipped]}


@dataclass(frozen=True)
class HostPlan:
    """The rules one host (or, per product, one device) enforces, and everything they were made from."""

    products: Tuple[str, ...]
    region: str
    mode: str
    host_class: Optional[str]
    default_policy: str
    egress_filtering: bool
    requirements: Tuple["Requirement", ...]
    rules: Tuple[Rule, ...]
    excluded: Tuple[Rule, ...]
    skipped: Tuple[Skip, ...]
    warnings: Tuple[str, ...]
    catalog: "CatalogInfo"
    backend: Optional[str] = None
    dns: Optional["DnsPlan"] = None  # DNS-fed destinations (cloud_destinations: domains)

    @property
    def compiled(self) -> Compiled:
        return Compiled(self.rules, self.skipped)

    def as_dict(self) -> Dict[str, Any]:
        return {"products": list(self.products), "region": self.region, "mode": self.mode,
                "host_class": self.host_class, "default_policy": self.default_policy,
                "egress_filtering": self.egress_filtering,
                "requirements": [row.as_dict(self.catalog.sources) for row in self.requirements],
                "rules": [rule.as_dict() for rule in self.rules],
                "excluded": [rule.as_dict() for rule in self.excluded],
                "skipped": [skip.as_dict() for skip in self.skipped], "warnings": list(self.warnings),
                "catalog": self.catalog.as_dict(), **({"dns": self.dns.as_dict()} if self.dns else {})}


def all_ids(rules: Sequence[Rule]) -> List[str]:
    """Every requirement id the rules carry, once, in order."""
    return list(dict.fromkeys(rid for rule in rules for rid in rule.ids))
