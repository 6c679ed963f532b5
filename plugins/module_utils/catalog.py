# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalog: the vendor page as checked data, and selections from it.

``vars/catalog.yml`` is the one source of truth.  This module loads it,
checks it (every problem reported at once, with the row id), and answers
the questions the lookups ask: which requirements a product has, with which
options, and which domains a region needs.  Plain Python, no Ansible
objects, so unit tests call it directly.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import (
    PurecloudFirewallError,
    choices_error,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import (
    PROTOCOLS,
    normalize_ports,
    parse_port_spec,
    split_protocol_port,
)

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
    HAS_YAML = False

# The flags every requirement carries, in display order.  The catalog's own
# "flags" section documents them and must name exactly these.
FLAG_NAMES = (
    "third_party",
    "optional_secure",
    "configurable_default",
    "conditional_ldap",
    "legacy",
    "backward_compat",
    "internal_dns_exempt",
    "vendor_specified",
)

# Selection options that drop rows by flag: option name -> flag.
EXCLUDABLE_FLAGS = {
    "include_legacy": "legacy",
    "include_backward_compat": "backward_compat",
    "include_conditional_ldap": "conditional_ldap",
    "include_internal_dns_exempt": "internal_dns_exempt",
    "include_vendor_specified": "vendor_specified",
}

ALL_PRODUCTS = "all"
GENERAL_PRODUCT = "general"
USER_SECTION = "site-specific (user defined)"

_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_-]+)+$")
_DEFAULT_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "vars", "catalog.yml")


def default_catalog_path() -> str:
    return os.path.normpath(_DEFAULT_PATH)


@dataclass(frozen=True)
class Requirement:
    """One row of one table of the page (or one row the user added)."""

    id: str
    product: str
    section: str
    table: int
    page_port: str
    application: str
    protocol: str
    ports: Tuple[str, ...]
    ports_from: Optional[str]
    source: Tuple[str, ...]
    destination: Tuple[str, ...]
    description: str
    flags: frozenset
    note: str = ""

    def has(self, flag: str) -> bool:
        return flag in self.flags

    def as_dict(self, product: Optional[str] = None, source: Optional[Sequence[str]] = None,
                ports: Optional[Sequence[str]] = None) -> Dict[str, Any]:
        return {
            "id": self.id,
            "product": product or self.product,
            "section": self.section,
            "table": self.table,
            "page_port": self.page_port,
            "application": self.application,
            "description": self.description,
            "protocol": self.protocol,
            "ports": list(self.ports if ports is None else ports),
            "ports_from": self.ports_from,
            "source": list(self.source if source is None else source),
            "destination": list(self.destination),
            "flags": dict((name, name in self.flags) for name in FLAG_NAMES),
            "note": self.note,
        }


@dataclass
class SelectOptions:
    """How to narrow and resolve a selection; every field has the page's default."""

    include_legacy: bool = True
    include_backward_compat: bool = True
    include_conditional_ldap: bool = True
    include_internal_dns_exempt: bool = True
    include_vendor_specified: bool = True
    port_variables: Dict[str, List[str]] = field(default_factory=dict)
    port_overrides: Dict[str, List[str]] = field(default_factory=dict)
    extra_requirements: List[Dict[str, Any]] = field(default_factory=list)


class _Problems:
    """Collects every schema problem so one run reports them all."""

    def __init__(self) -> None:
        self.items: List[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append("%s: %s" % (where, message))

    def raise_if_any(self, what: str) -> None:
        if self.items:
            raise PurecloudFirewallError(
                "%s is invalid (%d problem%s):\n  - %s"
                % (what, len(self.items), "" if len(self.items) == 1 else "s", "\n  - ".join(self.items))
            )


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


class Catalog:
    """The checked catalog.  Build it with :func:`load_catalog`."""

    def __init__(self, data: Mapping[str, Any], origin: str = "catalog") -> None:
        self.origin = origin
        self.data = data
        problems = _Problems()
        self._check_top(problems)
        problems.raise_if_any(origin)
        self.version: str = data["catalog_version"]
        self.page_revision: str = str(data["page"]["revision"])
        self.products: Dict[str, Dict[str, Any]] = data["products"]
        self.endpoint_classes: Dict[str, Dict[str, Any]] = data["endpoint_classes"]
        self.regions: Dict[str, Dict[str, Any]] = data["regions"]
        self.port_variables: Dict[str, Dict[str, Any]] = data["port_variables"]
        self.requirements: Tuple[Requirement, ...] = tuple(
            self._requirement(row, problems, "requirements[%d]" % index, user=False)
            for index, row in enumerate(data["requirements"])
        )
        self._check_requirement_ids(self.requirements, problems)
        self._check_domains(problems)
        self._check_byoc_cloud(problems)
        problems.raise_if_any(origin)
        self._by_id = dict((r.id, r) for r in self.requirements)

    # ------------------------------------------------------------ checking
    def _check_top(self, problems: _Problems) -> None:
        data = self.data
        if not isinstance(data, Mapping):
            problems.add("top", "expected a mapping, got %s" % type(data).__name__)
            return
        for key, kind in (
            ("catalog_version", str), ("page", dict), ("changelog", list), ("flags", dict),
            ("regions", dict), ("endpoint_classes", dict), ("port_variables", dict),
            ("products", dict), ("requirements", list), ("byoc_cloud", dict),
            ("domains", list), ("ip_range_sources", list),
        ):
            if not isinstance(data.get(key), kind):
                problems.add(key, "missing or not a %s" % kind.__name__)
        if problems.items:
            return
        if not data["page"].get("revision"):
            problems.add("page", "missing revision")
        if set(data["flags"]) != set(FLAG_NAMES):
            problems.add("flags", "must document exactly: %s" % ", ".join(FLAG_NAMES))
        versions = [entry.get("version") for entry in data["changelog"] if isinstance(entry, dict)]
        if not versions or versions[0] != data["catalog_version"]:
            problems.add("changelog", "the first entry must be catalog_version %r" % data["catalog_version"])
        for name, cls in data["endpoint_classes"].items():
            if not isinstance(cls, dict) or cls.get("location") not in ("site", "remote"):
                problems.add("endpoint_classes.%s" % name, "location must be site or remote")
        for name, product in data["products"].items():
            if not isinstance(product, dict) or not product.get("section"):
                problems.add("products.%s" % name, "missing section")
                continue
            for device in product.get("devices", []):
                if data["endpoint_classes"].get(device, {}).get("location") != "site":
                    problems.add("products.%s" % name, "device %r is not a site endpoint class" % device)
        for name, var in data["port_variables"].items():
            if not isinstance(var, dict) or not isinstance(var.get("default"), list):
                problems.add("port_variables.%s" % name, "default must be a list")
                continue
            for spec in var["default"]:
                try:
                    split_protocol_port(spec)
                except PurecloudFirewallError as exc:
                    problems.add("port_variables.%s" % name, str(exc))

    def _requirement(self, row: Any, problems: _Problems, where: str, user: bool) -> Requirement:
        if not isinstance(row, Mapping):
            problems.add(where, "expected a mapping")
            row = {}
        rid = row.get("id")
        if isinstance(rid, str):
            where = "%s (%s)" % (where, rid)
        required = ("id", "product", "protocol", "source", "destination")
        if not user:
            required += ("table", "page_port", "application", "description", "flags")
        for key in required:
            if key not in row:
                problems.add(where, "missing %r" % key)
        known = set(Requirement.__dataclass_fields__) - {"section"}
        for key in row:
            if key not in known:
                problems.add(where, "unknown field %r; allowed: %s" % (key, ", ".join(sorted(known))))
        if not isinstance(rid, str) or not _ID.match(rid):
            problems.add(where, "id %r must be dotted lower-case words, e.g. 'edge.media.srtp'" % (rid,))
        product = row.get("product")
        if product not in self.products:
            problems.add(where, "product %r; expected one of: %s" % (product, ", ".join(self.products)))
        elif not user and isinstance(rid, str) and not rid.startswith(product + "."):
            problems.add(where, "id must start with its product %r" % product)
        protocol = row.get("protocol")
        if protocol not in PROTOCOLS:
            problems.add(where, "protocol %r; expected one of: %s" % (protocol, ", ".join(PROTOCOLS)))
        ports: Tuple[str, ...] = ()
        ports_from = row.get("ports_from")
        if ("ports" in row) == (ports_from is not None):
            problems.add(where, "give exactly one of 'ports' or 'ports_from'")
        if "ports" in row:
            if not isinstance(row["ports"], list) or not row["ports"]:
                problems.add(where, "ports must be a non-empty list like ['443', '16384-32768']")
            else:
                try:
                    ports = tuple(normalize_ports(row["ports"]))
                except PurecloudFirewallError as exc:
                    problems.add(where, str(exc))
        if ports_from is not None and ports_from not in self.port_variables:
            problems.add(where, "ports_from %r; expected one of: %s" % (ports_from, ", ".join(self.port_variables)))
        for key in ("source", "destination"):
            value = row.get(key)
            if not _is_str_list(value) or not value:
                problems.add(where, "%s must be a non-empty list of endpoint classes" % key)
                continue
            for cls in value:
                if cls not in self.endpoint_classes:
                    problems.add(where, "%s class %r; expected one of: %s"
                                 % (key, cls, ", ".join(sorted(self.endpoint_classes))))
        flags = row.get("flags", [])
        if not isinstance(flags, list):
            problems.add(where, "flags must be a list")
            flags = []
        for flag in flags:
            if flag not in FLAG_NAMES:
                problems.add(where, "flag %r; expected one of: %s" % (flag, ", ".join(FLAG_NAMES)))
        if "vendor_specified" in flags and ports_from is None:
            problems.add(where, "a vendor_specified row takes its ports from a port variable (ports_from)")
        table = row.get("table", 0)
        if not isinstance(table, int) or isinstance(table, bool) or table < 0:
            problems.add(where, "table must be a whole number")
        section = self.products.get(product, {}).get("section", "") if not user else USER_SECTION
        return Requirement(
            id=str(rid),
            product=str(product),
            section=section,
            table=table if isinstance(table, int) else 0,
            page_port=str(row.get("page_port", "")),
            application=str(row.get("application", "")),
            protocol=str(protocol),
            ports=ports,
            ports_from=ports_from,
            source=tuple(row.get("source") or ()),
            destination=tuple(row.get("destination") or ()),
            description=" ".join(str(row.get("description", "")).split()),
            flags=frozenset(f for f in flags if f in FLAG_NAMES),
            note=" ".join(str(row.get("note", "")).split()),
        )

    @staticmethod
    def _check_requirement_ids(rows: Iterable[Requirement], problems: _Problems) -> None:
        seen = set()  # type: set
        for row in rows:
            if row.id in seen:
                problems.add("requirements", "duplicate id %r" % row.id)
            seen.add(row.id)

    def _check_domains(self, problems: _Problems) -> None:
        seen = set()  # type: set
        for index, row in enumerate(self.data["domains"]):
            where = "domains[%d]" % index
            if not isinstance(row, dict):
                problems.add(where, "expected a mapping")
                continue
            for key in ("id", "owner", "pattern", "page_region", "regions", "description"):
                if not row.get(key):
                    problems.add(where, "missing %r" % key)
            if row.get("id") in seen:
                problems.add(where, "duplicate id %r" % row.get("id"))
            seen.add(row.get("id"))
            regions = row.get("regions")
            if regions != "all" and not (_is_str_list(regions) and set(regions) <= set(self.regions)):
                problems.add(where, "regions must be 'all' or a list of: %s" % ", ".join(self.regions))
            for flag in row.get("flags", []):
                if flag not in FLAG_NAMES:
                    problems.add(where, "flag %r; expected one of: %s" % (flag, ", ".join(FLAG_NAMES)))

    def _check_byoc_cloud(self, problems: _Problems) -> None:
        servers = self.data["byoc_cloud"].get("servers")
        if not isinstance(servers, dict) or set(servers) != set(self.regions):
            problems.add("byoc_cloud.servers", "needs one list of servers for each region: %s"
                         % ", ".join(self.regions))

    # ----------------------------------------------------------- selecting
    def requirement(self, rid: str) -> Requirement:
        try:
            return self._by_id[rid]
        except KeyError:
            raise PurecloudFirewallError("unknown requirement id %r" % rid) from None

    def product_names(self) -> List[str]:
        return list(self.products)

    def select(self, products: Sequence[str], options: Optional[SelectOptions] = None) -> List[Dict[str, Any]]:
        """The requirements of ``products`` as plain dicts, in page order.

        A product includes the general rows (DNS, NTP) that apply to its
        devices, narrowed to those devices.  ``all`` gives every row once,
        under the product that owns it.
        """
        options = options or SelectOptions()
        wanted = self._check_products(products)
        rows = self.requirements + self._extra_requirements(options.extra_requirements)
        resolver = _PortResolver(self, rows, options)
        chosen: List[Dict[str, Any]] = []
        seen = set()  # type: set
        for product, row, source in self._rows_for(wanted, rows):
            if (row.id, product) in seen or not _kept(row, options):
                continue
            seen.add((row.id, product))
            chosen.append(row.as_dict(product=product, source=source, ports=resolver.ports(row)))
        return chosen

    def _check_products(self, products: Sequence[str]) -> List[str]:
        if isinstance(products, str):
            products = [products]
        if not products:
            raise PurecloudFirewallError("no product given; expected one or more of: %s"
                                         % ", ".join(self.product_names() + [ALL_PRODUCTS]))
        for product in products:
            if product != ALL_PRODUCTS and product not in self.products:
                raise choices_error("product", product, self.product_names() + [ALL_PRODUCTS])
        return list(products)

    def _rows_for(self, wanted: Sequence[str], rows: Sequence[Requirement]):
        for product in wanted:
            if product == ALL_PRODUCTS:
                for row in rows:
                    yield row.product, row, None
                continue
            devices = self.products[product].get("devices", [])
            if product != GENERAL_PRODUCT:
                for row in rows:
                    narrowed = [cls for cls in row.source if cls in devices]
                    if row.product == GENERAL_PRODUCT and narrowed:
                        yield product, row, narrowed
            for row in rows:
                if row.product == product:
                    yield product, row, None

    def _extra_requirements(self, extra: Sequence[Mapping[str, Any]]) -> Tuple[Requirement, ...]:
        if not extra:
            return ()
        if not isinstance(extra, (list, tuple)):
            raise PurecloudFirewallError("extra_requirements must be a list of requirement mappings")
        problems = _Problems()
        rows = tuple(self._requirement(row, problems, "extra_requirements[%d]" % i, user=True)
                     for i, row in enumerate(extra))
        self._check_requirement_ids(self.requirements + rows, problems)
        problems.raise_if_any("extra_requirements")
        return rows

    # ------------------------------------------------------------- domains
    def domains(self, region: Optional[str] = None, owners: Optional[Sequence[str]] = None,
                include_legacy: bool = True, include_third_party: bool = True,
                include_byoc_cloud: bool = False) -> List[Dict[str, Any]]:
        """The domain rows for ``region`` (all rows when None), {region} filled in."""
        if region is not None and region not in self.regions:
            raise choices_error("region", region, self.regions)
        all_owners = sorted(set(row["owner"] for row in self.data["domains"]))
        for owner in owners or []:
            if owner not in all_owners:
                raise choices_error("owner", owner, all_owners)
        result = []
        for row in self.data["domains"] + (self._byoc_domains(region) if include_byoc_cloud else []):
            flags = set(row.get("flags", []))
            if region is not None and row["regions"] != "all" and region not in row["regions"]:
                continue
            if owners and row["owner"] not in owners:
                continue
            if ("legacy" in flags and not include_legacy) or ("third_party" in flags and not include_third_party):
                continue
            pattern = row["pattern"]
            result.append({
                "id": row["id"],
                "owner": row["owner"],
                "pattern": pattern,
                "domain": pattern.replace("{region}", region) if region else pattern,
                "page_region": row["page_region"],
                "regions": list(self.regions) if row["regions"] == "all" else list(row["regions"]),
                "description": " ".join(row["description"].split()),
                "third_party": "third_party" in flags,
                "legacy": "legacy" in flags,
                "note": " ".join(str(row.get("note", "")).split()),
            })
        return result

    def _byoc_domains(self, region: Optional[str]) -> List[Dict[str, Any]]:
        byoc = self.data["byoc_cloud"]
        note = " ".join(byoc.get("note", "").split())
        rows = [
            {"id": "byoc_cloud.domain", "owner": "PureCloud", "pattern": byoc["domain"], "page_region": "All",
             "regions": "all", "description": "BYOC Cloud domain.", "note": note},
            {"id": "byoc_cloud.srv", "owner": "PureCloud", "pattern": byoc["srv_pattern"], "page_region": "All",
             "regions": "all", "description": "DNS SRV and SIP FQDN.", "note": note},
        ]
        for name, servers in byoc["servers"].items():
            if region is None or name == region:
                for server in servers:
                    rows.append({"id": "byoc_cloud.server.%s.%s" % (name, server.split(".")[0]),
                                 "owner": "PureCloud", "pattern": server, "page_region": name,
                                 "regions": [name], "description": "Server DNS (if SRV not supported).",
                                 "note": note})
        return rows


def _kept(row: Requirement, options: SelectOptions) -> bool:
    return all(getattr(options, option) or flag not in row.flags for option, flag in EXCLUDABLE_FLAGS.items())


class _PortResolver:
    """Gives each row its ports: catalog value, port variable or user override."""

    def __init__(self, catalog: Catalog, rows: Sequence[Requirement], options: SelectOptions) -> None:
        self.catalog = catalog
        self.variables = self._variables(options.port_variables or {})
        self.overrides = self._overrides(rows, options.port_overrides or {})

    def _variables(self, given: Mapping[str, Any]) -> Dict[str, List[Tuple[Optional[str], str]]]:
        if not isinstance(given, Mapping):
            raise PurecloudFirewallError("port_variables must be a mapping of variable name to a list of ports")
        values = {}
        for name, spec in self.catalog.port_variables.items():
            values[name] = [split_protocol_port(p) for p in spec["default"]]
        for name, ports in given.items():
            if name not in self.catalog.port_variables:
                raise choices_error("port variable", name, self.catalog.port_variables)
            values[name] = [split_protocol_port(p) for p in _as_list(ports, "port_variables.%s" % name)]
        return values

    @staticmethod
    def _overrides(rows: Sequence[Requirement], given: Mapping[str, Any]) -> Dict[str, List[str]]:
        if not isinstance(given, Mapping):
            raise PurecloudFirewallError("port_overrides must be a mapping of requirement id to a list of ports")
        movable = dict((r.id, r) for r in rows if r.has("configurable_default") or r.ports_from)
        result = {}
        for rid, ports in given.items():
            if rid not in movable:
                raise PurecloudFirewallError(
                    "port_overrides: requirement %r has no configurable port; the page lets these move: %s"
                    % (rid, ", ".join(sorted(movable)))
                )
            result[rid] = normalize_ports(_as_list(ports, "port_overrides.%s" % rid))
        return result

    def ports(self, row: Requirement) -> List[str]:
        if row.id in self.overrides:
            return self.overrides[row.id]
        if row.ports_from:
            return normalize_ports(port for proto, port in self.variables[row.ports_from]
                                   if proto in (None, row.protocol))
        return list(row.ports)


def _as_list(value: Any, where: str) -> List[Any]:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [value]
    if not isinstance(value, (list, tuple)):
        raise PurecloudFirewallError("%s must be a list of ports, got %r" % (where, value))
    return list(value)


_CACHE: Dict[Tuple[str, float], Catalog] = {}


def load_catalog(path: Optional[str] = None) -> Catalog:
    """Load and check the catalog (the collection's own unless ``path``); cached per file version."""
    path = os.path.abspath(path or default_catalog_path())
    try:
        mtime = os.stat(path).st_mtime
    except OSError as exc:
        raise PurecloudFirewallError("cannot read catalog %s: %s" % (path, exc)) from None
    key = (path, mtime)
    if key not in _CACHE:
        if not HAS_YAML:  # pragma: no cover
            raise PurecloudFirewallError("PyYAML is required to read the catalog")
        with open(path, "rb") as handle:
            try:
                # libyaml's loader when PyYAML has it: the same safe loader, twice as fast.
                data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            except yaml.YAMLError as exc:
                raise PurecloudFirewallError("catalog %s is not valid YAML: %s" % (path, exc)) from None
        _CACHE.clear()
        _CACHE[key] = Catalog(data, origin="catalog %s" % path)
    return _CACHE[key]


def options_from_mapping(values: Mapping[str, Any]) -> SelectOptions:
    """Build :class:`SelectOptions` from plugin options, refusing unknown names."""
    allowed = set(SelectOptions.__dataclass_fields__)
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise choices_error("option", unknown[0], allowed)
    cleaned = dict((k, copy.deepcopy(v)) for k, v in values.items() if v is not None)
    for name in EXCLUDABLE_FLAGS:
        if name in cleaned and not isinstance(cleaned[name], bool):
            raise PurecloudFirewallError("%s must be true or false, got %r" % (name, cleaned[name]))
    return SelectOptions(**cleaned)


__all__ = [
    "ALL_PRODUCTS", "Catalog", "EXCLUDABLE_FLAGS", "FLAG_NAMES", "Requirement", "SelectOptions",
    "default_catalog_path", "load_catalog", "options_from_mapping", "parse_port_spec",
]
