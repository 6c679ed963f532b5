# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalog: the vendor's requirements as checked data, by edition, with the user's overlays.

``vars/catalog.yml`` is the 2018-11-21 page, every row, and the list of
editions; a later edition (``vars/editions/current.yml``) is written as
changes over its base, each with its source.  A user's overlays are YAML
files of the same shape, merged by id over the edition.  One merge, one
check: the result is checked whole (every problem at once, each naming the
file and the id that brought it), then turned into typed records that the
lookups, the site plan and the reports query.  Plain Python, no Ansible
objects, so unit tests call it directly.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import validate_cidr
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import (
    PurecloudFirewallError,
    choices_error,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.feed_cache import DEFAULT_CACHE_DIR
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import (
    PROTOCOLS,
    check_protocol,
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
# Where strict mode finds a cloud class's addresses: AWS's feed, or the catalog's CIDR sets.
IP_RANGE_KINDS = ("aws", "cidr_sets")
REGION_KINDS = ("core", "fedramp", "sovereign")

_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_-]+)+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_VARS = os.path.join(os.path.dirname(__file__), "..", "..", "vars")
_DEFAULT_PATH = os.path.join(_VARS, "catalog.yml")
# What each kind of layer may touch.  An edition is the vendor's data and may
# add endpoint classes; a user's overlay changes rows, regions, domains and CIDR sets.
_KEYED = ("regions", "endpoint_classes", "cidr_sets", "sources")
_LISTED = ("requirements", "domains")
_EDITION_KEYS = ("edition", "base", "title", "checked", "description", "changelog") + _KEYED + _LISTED
_OVERLAY_KEYS = ("overlay", "description", "sources", "regions", "cidr_sets", "requirements", "domains")


def default_catalog_path() -> str:
    return os.path.normpath(_DEFAULT_PATH)


# ------------------------------------------------------------------ records
@dataclass(frozen=True)
class Source:
    """Where a fact was read: an article, a repository file, the 2018 page, or a user's overlay."""

    id: str
    title: str
    where: str
    publisher: str = ""
    language: str = ""
    date: str = ""
    note: str = ""

    def as_dict(self) -> Dict[str, str]:
        return {"id": self.id, "title": self.title, "where": self.where, "publisher": self.publisher,
                "language": self.language, "date": self.date, "note": self.note}


@dataclass(frozen=True)
class Provenance:
    """Which sources state an entry, and from when it holds."""

    sources: Tuple[str, ...]
    effective: str = ""
    note: str = ""


@dataclass(frozen=True)
class Deprecation:
    """A row the vendor no longer lists: kept, never silently deleted, but not selected."""

    date: str
    reason: str
    sources: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Domain:
    """A row of the page's "Domains and IP Addresses" table, or a region's own domain.

    ``pattern`` may hold ``{region}``; :meth:`Catalog.domains` gives rows for
    one region with ``domain`` filled in and ``regions`` listed.
    """

    id: str
    owner: str
    pattern: str
    page_region: str
    regions: Union[str, Tuple[str, ...]]  # "all", or the region codes
    description: str
    provenance: Provenance
    flags: Tuple[str, ...] = ()
    note: str = ""
    deprecated: Optional[Deprecation] = None
    domain: str = ""

    @property
    def third_party(self) -> bool:
        return "third_party" in self.flags

    @property
    def legacy(self) -> bool:
        return "legacy" in self.flags

    def as_dict(self, sources: Mapping[str, Source]) -> Dict[str, Any]:
        return {"id": self.id, "owner": self.owner, "pattern": self.pattern, "domain": self.domain or self.pattern,
                "page_region": self.page_region, "regions": list(self.regions), "description": self.description,
                "third_party": self.third_party, "legacy": self.legacy, "note": self.note,
                "provenance": provenance_dict(self.provenance, sources)}


@dataclass(frozen=True)
class Region:
    """An organisation region: its AWS code, its domain (api., login., apps. prefixed) and its kind."""

    code: str
    domain: str
    kind: Optional[str]
    page_region: str
    byoc_cloud_servers: Tuple[str, ...]
    provenance: Provenance
    note: str = ""

    @property
    def hosts(self) -> Dict[str, str]:
        return {"api": "api." + self.domain, "login": "login." + self.domain, "apps": "apps." + self.domain}

    def as_dict(self) -> Dict[str, Any]:
        return {"code": self.code, "domain": self.domain, "kind": self.kind, "page_region": self.page_region,
                "hosts": self.hosts, "byoc_cloud_servers": list(self.byoc_cloud_servers), "note": self.note}


@dataclass(frozen=True)
class EndpointClass:
    """Who talks to whom: a site network or a remote service."""

    name: str
    location: str
    label: str
    short: str
    supplied: bool = False
    ip_ranges: Optional[str] = None
    domains: Tuple[str, ...] = ()
    domain_owners: Tuple[str, ...] = ()
    probe_name: str = ""
    provenance: Provenance = Provenance(())


@dataclass(frozen=True)
class CidrSet:
    """Published addresses of a remote class for some regions (the Genesys media blocks, say)."""

    id: str
    endpoint_class: str
    cidrs: Tuple[str, ...]
    region_kinds: Tuple[str, ...]
    regions: Tuple[str, ...]
    description: str
    provenance: Provenance

    def applies_to(self, region: Region) -> bool:
        return region.code in self.regions or (region.kind is not None and region.kind in self.region_kinds)


@dataclass(frozen=True)
class Requirement:
    """One row of one table of the page (or of a later edition, or one the user added)."""

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
    provenance: Provenance = Provenance(())
    deprecated: Optional[Deprecation] = None

    def has(self, flag: str) -> bool:
        return flag in self.flags

    @classmethod
    def from_row(cls, row: Any, where: str = "requirement") -> "Requirement":
        """A row as the requirements lookup returns it, handed back by a playbook: checked, not trusted."""
        if not isinstance(row, Mapping):
            raise PurecloudFirewallError("%s must be a mapping (a row of purecloud.firewall.requirements), got %r"
                                         % (where, row))
        label = "%s (%s)" % (where, row["id"]) if isinstance(row.get("id"), str) else where
        missing = [name for name in ("id", "protocol", "ports", "source", "destination") if name not in row]
        if missing:
            raise PurecloudFirewallError("%s has no %s" % (label, ", ".join(missing)))
        if not isinstance(row["id"], str) or not row["id"]:
            raise PurecloudFirewallError("%s: id must be a string, got %r" % (label, row["id"]))
        for name in ("source", "destination"):
            if not _is_str_list(row[name]) or not row[name]:
                raise PurecloudFirewallError("%s: %s must be a list of endpoint classes, got %r"
                                             % (label, name, row[name]))
        if not isinstance(row["ports"], (list, tuple)):
            raise PurecloudFirewallError("%s: ports must be a list of ports, got %r" % (label, row["ports"]))
        try:
            protocol = check_protocol(row["protocol"])
            ports = tuple(normalize_ports(row["ports"]))
        except PurecloudFirewallError as exc:
            raise PurecloudFirewallError("%s: %s" % (label, exc)) from None
        flags = row.get("flags") or {}
        on = [name for name, value in flags.items() if value] if isinstance(flags, Mapping) else list(flags)
        return cls(id=row["id"], product=_text(row.get("product")), section=_text(row.get("section")),
                   table=row.get("table") if isinstance(row.get("table"), int) else 0,
                   page_port=_text(row.get("page_port")), application=_text(row.get("application")),
                   protocol=protocol, ports=ports, ports_from=row.get("ports_from") or None,
                   source=tuple(row["source"]), destination=tuple(row["destination"]),
                   description=_text(row.get("description")), flags=frozenset(f for f in on if f in FLAG_NAMES),
                   note=_text(row.get("note")))

    def as_dict(self, sources: Optional[Mapping[str, Source]] = None) -> Dict[str, Any]:
        """The row as the requirements lookup returns it; ``sources`` (the catalog's) titles its provenance."""
        return {
            "id": self.id,
            "product": self.product,
            "section": self.section,
            "table": self.table,
            "page_port": self.page_port,
            "application": self.application,
            "description": self.description,
            "protocol": self.protocol,
            "ports": list(self.ports),
            "ports_from": self.ports_from,
            "source": list(self.source),
            "destination": list(self.destination),
            "flags": dict((name, name in self.flags) for name in FLAG_NAMES),
            "note": self.note,
            "provenance": provenance_dict(self.provenance, sources or {}),
            "deprecated": deprecation_dict(self.deprecated),
        }


def provenance_dict(provenance: Provenance, sources: Mapping[str, Source]) -> Dict[str, Any]:
    """The provenance as a row carries it: each source's id, title and where it was read."""
    cited = []
    for name in provenance.sources:
        source = sources.get(name)
        cited.append({"id": name, "title": source.title, "where": source.where} if source
                     else {"id": name, "title": name, "where": ""})
    return {"effective": provenance.effective, "note": provenance.note, "sources": cited}


def deprecation_dict(deprecated: Optional[Deprecation]) -> Optional[Dict[str, Any]]:
    if deprecated is None:
        return None
    return {"date": deprecated.date, "reason": deprecated.reason, "sources": list(deprecated.sources)}


@dataclass(frozen=True)
class CatalogInfo:
    """Which catalog a result was made from (edition, overlays, version), with its sources to cite."""

    edition: str
    overlays: Tuple[str, ...]
    version: str
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False, repr=False)

    def as_dict(self) -> Dict[str, Any]:
        return {"edition": self.edition, "overlays": list(self.overlays), "catalog_version": self.version}


@dataclass
class SelectOptions:
    """How to narrow and resolve a selection; every field has the page's default."""

    include_legacy: bool = True
    include_backward_compat: bool = True
    include_conditional_ldap: bool = True
    include_internal_dns_exempt: bool = True
    include_vendor_specified: bool = True
    include_deprecated: bool = False
    port_variables: Dict[str, List[str]] = field(default_factory=dict)
    port_overrides: Dict[str, List[str]] = field(default_factory=dict)
    extra_requirements: List[Dict[str, Any]] = field(default_factory=list)


# ----------------------------------------------------------------- problems
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


REGION_FIELDS = ("byoc_cloud_servers", "domain", "kind", "note", "page_region", "provenance")
CLASS_FIELDS = ("domain_owners", "domains", "ip_ranges", "label", "location", "probe_name", "provenance", "short",
                "supplied")
CIDR_SET_FIELDS = ("cidrs", "class", "description", "provenance", "region_kinds", "regions")


def _known_fields(where: str, entry: Any, allowed: Sequence[str], problems: _Problems) -> bool:
    """Whether ``entry`` is a mapping; each field it has that ``allowed`` lacks is a problem."""
    if not isinstance(entry, Mapping):
        problems.add(where, "expected a mapping")
        return False
    for key in entry:
        if key not in allowed:
            problems.add(where, "unknown field %r; allowed: %s" % (key, ", ".join(allowed)))
    return True


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _sources_of(value: Any) -> Tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if _is_str_list(value):
        return tuple(value)
    return ()


# ------------------------------------------------------------------ merging
def _read_yaml(path: str, what: str) -> Any:
    """A YAML file's data, parsed once per file version.

    The collection's own files (vars/) are also kept parsed, as JSON in its
    cache folder, keyed by the file's path, size and modification time: the
    roles plan each host in a fresh process, and reading JSON costs a tenth of
    parsing YAML.  A copy that cannot be written or read is skipped.
    """
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise PurecloudFirewallError("cannot read %s %s: %s" % (what, path, exc.strerror or exc)) from None
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _RAW:
        own = path.startswith(os.path.abspath(_VARS) + os.sep)
        copy_path = _parsed_copy(key) if own else None
        data = _read_parsed_copy(copy_path) if copy_path else None
        if data is None:
            data = _parse_yaml(path, what)
            if copy_path:
                _write_parsed_copy(copy_path, data)
        _RAW[key] = data
    return _RAW[key]


def _parse_yaml(path: str, what: str) -> Any:
    if not HAS_YAML:  # pragma: no cover
        raise PurecloudFirewallError("PyYAML is required to read the catalog")
    # The parser makes a node per scalar, garbage at once and never in a cycle: collecting the
    # cyclic garbage meanwhile would only scan the whole process's objects, again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as handle:
            # libyaml's loader when PyYAML has it: the same safe loader, twice as fast.
            return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise PurecloudFirewallError("%s %s is not valid YAML: %s" % (what, path, exc)) from None
    finally:
        if collecting:
            gc.enable()


def _parsed_copy(key: Tuple[str, int, int]) -> str:
    """``<cache>/catalog/<the file>-<its version>.json``."""
    path, mtime, size = key
    name = "%s-%s.json" % (hashlib.sha256(path.encode("utf-8")).hexdigest()[:16],
                           hashlib.sha256(b"%d:%d" % (mtime, size)).hexdigest()[:16])
    return os.path.join(os.path.expanduser(DEFAULT_CACHE_DIR), "catalog", name)


def _read_parsed_copy(copy_path: str) -> Any:
    try:
        with open(copy_path, "rb") as handle:
            return json.loads(handle.read())
    except (OSError, ValueError):
        return None


def _write_parsed_copy(copy_path: str, data: Any) -> None:
    """Keep ``data`` as JSON, in place of any copy of an older version of the same file."""
    try:
        text = json.dumps(data)
    except (TypeError, ValueError):
        return  # a value JSON cannot hold (an unquoted date, say): parse the YAML each time instead
    if json.loads(text) != data:
        return  # JSON would change it (a number as a mapping key, say)
    folder, name = os.path.split(copy_path)
    partial = "%s.%d.tmp" % (copy_path, os.getpid())
    try:
        os.makedirs(folder, exist_ok=True)
        with open(partial, "w") as handle:
            handle.write(text)
        os.replace(partial, copy_path)
        for other in os.listdir(folder):
            if other.startswith(name.split("-")[0] + "-") and other != name and other.endswith(".json"):
                os.unlink(os.path.join(folder, other))
    except OSError:
        try:
            os.unlink(partial)
        except OSError:
            pass


EDITION, OVERLAY = "edition", "overlay"


@dataclass(frozen=True)
class _Layer:
    """One edition file or user overlay: its kind and the name problems are reported under."""

    kind: str
    origin: str

    @property
    def by_user(self) -> bool:
        return self.kind == OVERLAY


@dataclass(frozen=True)
class _Touch:
    """Which layers changed an entry, where in each file (the trail), and which layer brought it in."""

    trail: Tuple[Tuple[_Layer, str], ...]
    added_by: Optional[_Layer]

    @property
    def last(self) -> _Layer:
        return self.trail[-1][0]

    def where(self) -> str:
        """``overlay /a.yml: requirements[0]``, and every later file that changed the entry."""
        return "; ".join("%s: %s" % (layer.origin, label) for layer, label in self.trail)


Touched = Dict[Tuple[str, str], _Touch]


def _merged(old: Optional[Mapping[str, Any]], change: Mapping[str, Any]) -> Dict[str, Any]:
    """``old`` with the fields ``change`` gives: a field given as null is removed."""
    result = dict(old or {})
    for key, value in change.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


class _Merge:
    """One layer merged by id over the data beneath it; the data beneath is never changed (copy on write)."""

    def __init__(self, data: Any, layer: _Layer) -> None:
        self.data, self.layer = data, layer

    @property
    def edition(self) -> bool:
        return self.layer.kind == EDITION

    def merge(self, merged: Dict[str, Any], touched: Touched, problems: _Problems) -> None:
        if not isinstance(self.data, Mapping):
            problems.add(self.layer.origin, "expected a mapping, got %s" % type(self.data).__name__)
            return
        allowed = _EDITION_KEYS if self.edition else _OVERLAY_KEYS
        for key in self.data:
            if key not in allowed:
                problems.add(self.layer.origin, "unknown key %r; an %s may hold: %s"
                             % (key, self.layer.kind, ", ".join(allowed)))
        for section in _KEYED + _LISTED:
            if section in self.data and section in allowed:
                self._merge_section(section, merged, touched, problems)

    def _check_entry(self, section: str, where: str, entry: Any, problems: _Problems) -> bool:
        if not isinstance(entry, Mapping) or not all(isinstance(k, str) for k in entry):
            problems.add(where, "expected a mapping of field names")
            return False
        if self.edition and section != "sources" and not entry.get("drop") and \
                "provenance" not in entry and "deprecated" not in entry:
            problems.add(where, "an edition's entry must give its provenance (sources and effective date)")
        return True

    def _stamped(self, entry: Mapping[str, Any]) -> Dict[str, Any]:
        """The change as merged: a user's change without provenance is the overlay's own."""
        entry = dict((k, v) for k, v in entry.items() if k != "drop")
        if not self.edition and "provenance" not in entry:
            entry["provenance"] = {"source": self.layer.origin}
        return entry

    def _touch(self, touched: Touched, section: str, key: str, label: str, new: bool) -> None:
        earlier = touched.get((section, key))
        trail = (earlier.trail if earlier and not new else ()) + ((self.layer, label),)
        touched[(section, key)] = _Touch(trail, self.layer if new else earlier.added_by if earlier else None)

    def _merge_section(self, section: str, merged: Dict[str, Any], touched: Touched, problems: _Problems) -> None:
        listed = section in _LISTED
        given = self.data[section]
        if not isinstance(given, list if listed else dict):
            problems.add("%s: %s" % (self.layer.origin, section), "must be a %s" % ("list" if listed else "mapping"))
            return
        if listed:
            rows = list(merged.get(section) or [])
            index: Dict[Any, int] = {}
            for n, row in enumerate(rows):
                if isinstance(row, Mapping):
                    if row.get("id") in index:
                        problems.add(section, "duplicate id %r" % row.get("id"))
                    index.setdefault(row.get("id"), n)
            current: Dict[Any, Any] = dict((rid, rows[n]) for rid, n in index.items())
            entries = [(entry.get("id") if isinstance(entry, Mapping) else None, "%s[%d]" % (section, n), entry)
                       for n, entry in enumerate(given)]
        else:
            current = dict(merged.get(section) or {})
            entries = [(key, "%s.%s" % (section, key), entry) for key, entry in given.items()]
        seen = set()  # type: set
        for key, label, entry in entries:
            where = "%s: %s%s" % (self.layer.origin, label, " (%s)" % key if listed and key else "")
            if not self._check_entry(section, where, entry, problems):
                continue
            if not isinstance(key, str) or not key:
                problems.add(where, "missing 'id'" if listed else "the name must be a string")
                continue
            if key in seen:
                problems.add(where, "%r is given twice in this file" % key)
                continue
            seen.add(key)
            if entry.get("drop"):
                if key not in current:
                    problems.add(where, "drop: there is no %s %s %r to drop" % (section, "row" if listed else "entry", key))
                current.pop(key, None)
                continue
            self._touch(touched, section, key, label, key not in current)
            current[key] = dict(entry) if section == "sources" else _merged(current.get(key), self._stamped(entry))
        if listed:
            kept = [row for row in rows if not isinstance(row, Mapping) or row.get("id") in current]
            known = set(row.get("id") for row in kept if isinstance(row, Mapping))
            merged[section] = [current[row["id"]] if isinstance(row, Mapping) else row for row in kept] + \
                [entry for key, entry in current.items() if key not in known]
        else:
            merged[section] = current


# ------------------------------------------------------------------ catalog
class Catalog:
    """The checked catalog of one edition, with overlays.  Build it with :func:`load_catalog`.

    ``data`` is the merged mapping in the layout of ``vars/catalog.yml``;
    ``touched`` says which file last changed an entry, so a problem names it.
    """

    def __init__(self, data: Mapping[str, Any], origin: str = "catalog",
                 touched: Optional[Touched] = None,
                 overlays: Sequence[str] = (), earlier: Sequence[str] = ()) -> None:
        self.origin = origin
        self.data = data
        self.overlays: Tuple[str, ...] = tuple(overlays)
        self._touched = dict(touched or {})
        problems = _Problems()
        self._check_top(problems)
        problems.raise_if_any(origin)  # nothing below can be read without the top level
        problems.items.extend(earlier)  # the merge's own, reported with the rest
        self.version: str = data["catalog_version"]
        self.edition: str = str(data["edition"])
        self.page_revision: str = str(data["page"]["revision"])
        # The edition's title and the date its sources were read; the page's own for the page's edition.
        info = data.get("edition_info") or {}
        self.title: str = _text(info.get("title") or data["page"].get("title"))
        self.checked: str = str(info.get("checked") or self.page_revision)
        self.port_variables: Dict[str, Dict[str, Any]] = data["port_variables"]
        self.products: Dict[str, Dict[str, Any]] = data["products"]
        default = data.get("default_provenance") or {}
        self._default_provenance = Provenance(_sources_of(default.get("source")), str(default.get("effective", "")))
        self.sources: Dict[str, Source] = self._sources(problems)
        self.endpoint_classes: Dict[str, EndpointClass] = self._classes(problems)
        self._check_product_devices(problems)
        self.regions: Dict[str, Region] = self._regions(problems)
        self.cidr_sets: Dict[str, CidrSet] = self._cidr_sets(problems)
        self.requirements: Tuple[Requirement, ...] = tuple(
            self._requirement(row, problems, self._where("requirements", index, row), user=self._added_by_user(row))
            for index, row in enumerate(data["requirements"])
        )
        self._check_requirement_ids(self.requirements, problems)
        self.domain_rows: Tuple[Domain, ...] = self._domains(problems)
        self._check_byoc_cloud(problems)
        problems.raise_if_any(origin)
        self._by_id = dict((r.id, r) for r in self.requirements)

    # ------------------------------------------------------------ checking
    def _where(self, section: str, key: Any, entry: Any = None) -> str:
        """``requirements[3] (edge.https)``, or where the files that brought and changed the entry have it."""
        listed = section in _LISTED
        rid = entry.get("id") if listed and isinstance(entry, Mapping) else None
        touch = self._touch(section, rid if listed else key)
        if touch:
            place = touch.where()
        else:
            place = "%s[%d]" % (section, key) if listed else "%s.%s" % (section, key)
        return place + (" (%s)" % rid if isinstance(rid, str) else "")

    def _from_edition(self, section: str, key: Any) -> bool:
        """Whether an edition (not the page, not a user) last changed the entry: it must say from when."""
        touch = self._touch(section, key)
        return bool(touch and touch.last.kind == EDITION)

    def _added_by_user(self, row: Any) -> bool:
        """A row a user's overlay brought in: like extra_requirements, it needs no page fields."""
        touch = self._touch("requirements", row.get("id")) if isinstance(row, Mapping) else None
        return bool(touch and touch.added_by and touch.added_by.by_user)

    def _touch(self, section: str, key: Any) -> Optional[_Touch]:
        return self._touched.get((section, str(key)))

    def _check_top(self, problems: _Problems) -> None:
        data = self.data
        if not isinstance(data, Mapping):
            problems.add("top", "expected a mapping, got %s" % type(data).__name__)
            return
        for key, kind in (
            ("catalog_version", str), ("edition", str), ("page", dict), ("changelog", list), ("flags", dict),
            ("regions", dict), ("endpoint_classes", dict), ("port_variables", dict),
            ("products", dict), ("requirements", list), ("byoc_cloud", dict),
            ("domains", list), ("ip_range_sources", list),
        ):
            if not isinstance(data.get(key), kind):
                problems.add(key, "missing or not a %s" % kind.__name__)
        for key, kind in (("sources", dict), ("cidr_sets", dict)):
            if not isinstance(data.get(key, {}), kind):
                problems.add(key, "not a %s" % kind.__name__)
        if problems.items:
            return
        if not data["page"].get("revision"):
            problems.add("page", "missing revision")
        if set(data["flags"]) != set(FLAG_NAMES):
            problems.add("flags", "must document exactly: %s" % ", ".join(FLAG_NAMES))
        versions = [entry.get("version") for entry in data["changelog"] if isinstance(entry, dict)]
        if not versions or versions[0] != data["catalog_version"]:
            problems.add("changelog", "the first entry must be catalog_version %r" % data["catalog_version"])
        for name, var in data["port_variables"].items():
            if not isinstance(var, dict) or not isinstance(var.get("default"), list):
                problems.add("port_variables.%s" % name, "default must be a list")
                continue
            for spec in var["default"]:
                try:
                    split_protocol_port(spec)
                except PurecloudFirewallError as exc:
                    problems.add("port_variables.%s" % name, str(exc))

    def _provenance(self, entry: Mapping[str, Any], where: str, problems: _Problems,
                    from_edition: bool = False) -> Provenance:
        """An entry's provenance: its own, else the edition's default (the page, for the page's rows)."""
        given = entry.get("provenance")
        if given is None:
            return self._default_provenance
        if not isinstance(given, Mapping):
            problems.add(where, "provenance must be a mapping with source and effective")
            return self._default_provenance
        sources = _sources_of(given.get("source"))
        if not sources:
            problems.add(where, "provenance.source must name one or more sources")
        for source in sources:
            if source not in self.sources:
                problems.add(where, "provenance.source %r is not in sources; known: %s"
                             % (source, ", ".join(sorted(self.sources))))
        effective = str(given.get("effective", ""))
        if effective and not _DATE.match(effective):
            problems.add(where, "provenance.effective %r must be a date, YYYY-MM-DD" % effective)
        if from_edition and not effective:
            problems.add(where, "provenance.effective: an edition's entry must give the date it takes effect")
        for key in given:
            if key not in ("source", "effective", "note"):
                problems.add(where, "provenance: unknown field %r; allowed: source, effective, note" % key)
        return Provenance(sources, effective, _text(given.get("note")))

    def _deprecation(self, entry: Mapping[str, Any], where: str, problems: _Problems) -> Optional[Deprecation]:
        given = entry.get("deprecated")
        if given is None:
            return None
        if not isinstance(given, Mapping) or not _DATE.match(str(given.get("date", ""))) or not given.get("reason"):
            problems.add(where, "deprecated needs a date (YYYY-MM-DD) and a reason")
            return None
        sources = _sources_of(given.get("source"))
        for source in sources:
            if source not in self.sources:
                problems.add(where, "deprecated.source %r is not in sources" % source)
        return Deprecation(str(given["date"]), _text(given["reason"]), sources)

    def _sources(self, problems: _Problems) -> Dict[str, Source]:
        result = {}
        for key, entry in (self.data.get("sources") or {}).items():
            where = self._where("sources", key)
            if not isinstance(entry, Mapping) or not entry.get("title") or not entry.get("where"):
                problems.add(where, "a source needs a title and where it was read (a URL or repository path)")
                continue
            result[key] = Source(str(key), _text(entry["title"]), _text(entry["where"]), _text(entry.get("publisher")),
                                 _text(entry.get("language")), str(entry.get("date", "")), _text(entry.get("note")))
        for touch in self._touched.values():
            for layer, _label in touch.trail:
                if layer.by_user:
                    result[layer.origin] = Source(layer.origin, "user overlay", layer.origin[len("overlay "):])
        return result

    def _classes(self, problems: _Problems) -> Dict[str, EndpointClass]:
        result = {}
        shorts: Dict[str, str] = {}
        for name, cls in self.data["endpoint_classes"].items():
            where = self._where("endpoint_classes", name)
            if not _known_fields(where, cls, CLASS_FIELDS, problems):
                continue
            if cls.get("location") not in ("site", "remote"):
                problems.add(where, "location must be site or remote")
                continue
            short = cls.get("short")
            if not isinstance(short, str) or not re.match(r"^[a-z][a-z0-9]{0,5}$", short):
                problems.add(where, "short must be a name of 1-6 lower-case letters and digits (firewalld objects)")
            elif short in shorts:
                problems.add(where, "short %r is already %s's" % (short, shorts[short]))
            else:
                shorts[short] = name
            if cls.get("ip_ranges") not in (None,) + IP_RANGE_KINDS:
                problems.add(where, "ip_ranges %r; expected one of: %s" % (cls.get("ip_ranges"), ", ".join(IP_RANGE_KINDS)))
            result[name] = EndpointClass(
                name=name, location=cls["location"], label=_text(cls.get("label")), short=str(short),
                supplied=bool(cls.get("supplied")), ip_ranges=cls.get("ip_ranges"),
                domains=tuple(cls.get("domains") or ()), domain_owners=tuple(cls.get("domain_owners") or ()),
                probe_name=str(cls.get("probe_name") or ""),
                provenance=self._provenance(cls, where, problems, self._from_edition("endpoint_classes", name)))
        return result

    def _check_product_devices(self, problems: _Problems) -> None:
        for name, product in self.products.items():
            if not isinstance(product, dict) or not product.get("section"):
                problems.add("products.%s" % name, "missing section")
                continue
            for device in product.get("devices", []):
                if getattr(self.endpoint_classes.get(device), "location", None) != "site":
                    problems.add("products.%s" % name, "device %r is not a site endpoint class" % device)

    def _regions(self, problems: _Problems) -> Dict[str, Region]:
        result = {}
        for code, entry in self.data["regions"].items():
            where = self._where("regions", code)
            if not _known_fields(where, entry, REGION_FIELDS, problems):
                continue
            domain = entry.get("domain")
            if not isinstance(code, str) or not re.match(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]+$", code):
                problems.add(where, "the key must be an AWS region code, like 'us-west-2'")
            if not isinstance(domain, str) or not re.match(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", domain):
                problems.add(where, "domain must be the organisation's domain, like 'usw2.pure.cloud'")
                domain = ""
            kind = entry.get("kind")
            if kind is not None and kind not in REGION_KINDS:
                problems.add(where, "kind %r; expected one of: %s" % (kind, ", ".join(REGION_KINDS)))
            servers = entry.get("byoc_cloud_servers", [])
            under_domain = isinstance(servers, list) and all(
                isinstance(s, str) and s.endswith("." + domain) for s in servers)
            if not under_domain:
                problems.add(where, "byoc_cloud_servers must be host names under the region's domain %r" % domain)
                servers = []
            result[code] = Region(code=code, domain=domain, kind=kind, page_region=str(entry.get("page_region", "")),
                                  byoc_cloud_servers=tuple(servers),
                                  provenance=self._provenance(entry, where, problems, self._from_edition("regions", code)),
                                  note=_text(entry.get("note")))
        return result

    def _cidr_sets(self, problems: _Problems) -> Dict[str, CidrSet]:
        result = {}
        for name, entry in (self.data.get("cidr_sets") or {}).items():
            where = self._where("cidr_sets", name)
            if not _known_fields(where, entry, CIDR_SET_FIELDS, problems):
                continue
            cls = entry.get("class")
            if getattr(self.endpoint_classes.get(cls), "ip_ranges", None) != "cidr_sets":
                problems.add(where, "class %r must be an endpoint class whose ip_ranges is cidr_sets: %s"
                             % (cls, ", ".join(sorted(n for n, c in self.endpoint_classes.items()
                                                      if c.ip_ranges == "cidr_sets"))))
            cidrs = entry.get("cidrs")
            if not _is_str_list(cidrs) or not cidrs:
                problems.add(where, "cidrs must be a non-empty list of CIDRs")
                cidrs = []
            for cidr in cidrs:
                try:
                    if validate_cidr(cidr) != cidr:
                        problems.add(where, "CIDR %r has host bits set; write %r" % (cidr, validate_cidr(cidr)))
                except PurecloudFirewallError as exc:
                    problems.add(where, str(exc))
            kinds, regions = entry.get("region_kinds", []), entry.get("regions", [])
            if not isinstance(kinds, list) or any(k not in REGION_KINDS for k in kinds):
                problems.add(where, "region_kinds must be a list of: %s" % ", ".join(REGION_KINDS))
                kinds = []
            if not isinstance(regions, list) or any(r not in self.regions for r in regions):
                problems.add(where, "regions must be a list of: %s" % ", ".join(sorted(self.regions)))
                regions = []
            if not kinds and not regions:
                problems.add(where, "give the regions it serves: region_kinds, regions, or both")
            result[name] = CidrSet(id=name, endpoint_class=str(cls), cidrs=tuple(cidrs), region_kinds=tuple(kinds),
                                   regions=tuple(regions), description=_text(entry.get("description")),
                                   provenance=self._provenance(entry, where, problems,
                                                               self._from_edition("cidr_sets", name)))
        return result

    def _requirement(self, row: Any, problems: _Problems, where: str, user: bool, extra: bool = False) -> Requirement:
        """One row, checked; ``user`` rows (an overlay's new ones, extra_requirements) need no page fields."""
        if not isinstance(row, Mapping):
            problems.add(where, "expected a mapping")
            row = {}
        rid = row.get("id")
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
            description=_text(row.get("description")),
            flags=frozenset(f for f in flags if f in FLAG_NAMES),
            note=_text(row.get("note")),
            provenance=Provenance(("extra_requirements",)) if extra else self._provenance(
                row, where, problems, self._from_edition("requirements", rid)),
            deprecated=self._deprecation(row, where, problems),
        )

    @staticmethod
    def _check_requirement_ids(rows: Iterable[Requirement], problems: _Problems) -> None:
        seen = set()  # type: set
        for row in rows:
            if row.id in seen:
                problems.add("requirements", "duplicate id %r" % row.id)
            seen.add(row.id)

    def _domains(self, problems: _Problems) -> Tuple[Domain, ...]:
        """The domain rows, and each region's own domain where no row names it (from the region table)."""
        rows = []
        seen = set()  # type: set
        for index, row in enumerate(self.data["domains"]):
            where = self._where("domains", index, row)
            known_problems = len(problems.items)
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
                problems.add(where, "regions must be 'all' or a list of: %s" % ", ".join(sorted(self.regions)))
            for flag in row.get("flags", []):
                if flag not in FLAG_NAMES:
                    problems.add(where, "flag %r; expected one of: %s" % (flag, ", ".join(FLAG_NAMES)))
            provenance = self._provenance(row, where, problems, self._from_edition("domains", row.get("id")))
            deprecated = self._deprecation(row, where, problems)
            if len(problems.items) > known_problems:
                continue  # the catalog is refused anyway; no record from a broken row
            rows.append(Domain(
                id=str(row["id"]), owner=str(row["owner"]), pattern=str(row["pattern"]),
                page_region=str(row["page_region"]), regions="all" if regions == "all" else tuple(regions),
                description=_text(row["description"]), provenance=provenance,
                flags=tuple(row.get("flags", [])), note=_text(row.get("note")), deprecated=deprecated))
        named = set(r.pattern for r in rows)
        for code, region in self.regions.items():
            pattern = "*." + region.domain
            rid = "purecloud.app.%s" % code
            if pattern not in named and rid not in seen:
                rows.append(Domain(id=rid, owner="PureCloud", pattern=pattern, page_region=code, regions=(code,),
                                   provenance=region.provenance,
                                   description="The organisation's region domain: its api., login. and apps. hosts "
                                               "(from the region table)."))
        return tuple(rows)

    def _check_byoc_cloud(self, problems: _Problems) -> None:
        byoc = self.data["byoc_cloud"]
        for key in ("domain", "srv_pattern"):
            if not isinstance(byoc.get(key), str):
                problems.add("byoc_cloud", "missing %r" % key)

    # ------------------------------------------------------------- classes
    @property
    def site_classes(self) -> Tuple[str, ...]:
        """The organisation's own networks (the site inventory maps them to CIDRs)."""
        return tuple(n for n, c in self.endpoint_classes.items() if c.location == "site")

    @property
    def required_classes(self) -> Tuple[str, ...]:
        """Classes whose flows are skipped, not opened to any address, while they have no networks."""
        return tuple(n for n, c in self.endpoint_classes.items() if c.location == "site" or c.supplied)

    @property
    def needed_classes(self) -> Tuple[str, ...]:
        """Site classes a gateway cannot filter without (the supplied ones wait with a warning)."""
        return tuple(n for n, c in self.endpoint_classes.items() if c.location == "site" and not c.supplied)

    @property
    def cloud_classes(self) -> Tuple[str, ...]:
        """Remote classes whose addresses a cloud_destinations setting decides."""
        return tuple(n for n, c in self.endpoint_classes.items() if c.ip_ranges)

    def short_names(self) -> Dict[str, str]:
        return dict((n, c.short) for n, c in self.endpoint_classes.items())

    def probe_names(self) -> Dict[str, str]:
        """Remote class -> a name preflight resolves and tries (``{domain}`` is the region's domain)."""
        return dict((n, c.probe_name) for n, c in self.endpoint_classes.items() if c.probe_name)

    # ------------------------------------------------------------- regions
    def region(self, code: Any, what: str = "region") -> Region:
        """The region ``code``; an unknown one is an error naming the near miss and every region."""
        try:
            return self.regions[code]
        except (KeyError, TypeError):
            raise choices_error(what, code, self.regions) from None

    def cidrs_for(self, cls: str, region: Region) -> List[str]:
        """The CIDR sets' addresses of class ``cls`` in ``region``, in catalog order."""
        found: List[str] = []
        for cidr_set in self.cidr_sets.values():
            if cidr_set.endpoint_class == cls and cidr_set.applies_to(region):
                found.extend(c for c in cidr_set.cidrs if c not in found)
        return found

    def info(self) -> CatalogInfo:
        """The edition and overlays a result was built from, for every output that describes rules."""
        return CatalogInfo(self.edition, self.overlays, self.version, self.sources)

    def describe(self) -> Dict[str, Any]:
        return self.info().as_dict()

    # ----------------------------------------------------------- selecting
    def requirement(self, rid: str) -> Requirement:
        try:
            return self._by_id[rid]
        except KeyError:
            raise choices_error("requirement id", rid, self._by_id) from None

    def product_names(self) -> List[str]:
        return list(self.products)

    def role_products(self) -> List[str]:
        """The products a role applies (every product but the general rows they all include)."""
        return [p for p in self.products if p != GENERAL_PRODUCT]

    def select(self, products: Sequence[str], options: Optional[SelectOptions] = None) -> List[Requirement]:
        """The requirements of ``products`` as a site takes them, in page order.

        Each row comes back under the product that selected it, with its
        ports resolved (a port variable's, or an override).  A product
        includes the general rows (DNS, NTP) that apply to its devices,
        narrowed to those devices.  ``all`` gives every row once, under the
        product that owns it.  Deprecated rows come back only with
        ``include_deprecated``.
        """
        options = options or SelectOptions()
        wanted = self._check_products(products)
        rows = self.requirements + self._extra_requirements(options.extra_requirements)
        resolver = _PortResolver(self, rows, options)
        chosen: List[Requirement] = []
        seen = set()  # type: set
        for product, row, source in self._rows_for(wanted, rows):
            if (row.id, product) in seen or not _kept(row, options):
                continue
            seen.add((row.id, product))
            chosen.append(replace(row, product=product, source=tuple(source or row.source),
                                  ports=tuple(resolver.ports(row))))
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
        rows = tuple(self._requirement(row, problems, "extra_requirements[%d]%s" % (
            i, " (%s)" % row["id"] if isinstance(row, Mapping) and isinstance(row.get("id"), str) else ""),
            user=True, extra=True) for i, row in enumerate(extra))
        self._check_requirement_ids(self.requirements + rows, problems)
        problems.raise_if_any("extra_requirements")
        return rows

    # ------------------------------------------------------------- domains
    def domains(self, region: Optional[str] = None, owners: Optional[Sequence[str]] = None,
                include_legacy: bool = True, include_third_party: bool = True,
                include_byoc_cloud: bool = False) -> List[Domain]:
        """The domain rows for ``region`` (all rows when None), {region} filled in, regions listed."""
        if region is not None:
            self.region(region)
        all_owners = sorted(set(row.owner for row in self.domain_rows))
        for owner in owners or []:
            if owner not in all_owners:
                raise choices_error("owner", owner, all_owners)
        result = []
        for row in self.domain_rows + (self._byoc_domains(region) if include_byoc_cloud else ()):
            if row.deprecated:
                continue
            if region is not None and row.regions != "all" and region not in row.regions:
                continue
            if owners and row.owner not in owners:
                continue
            if (row.legacy and not include_legacy) or (row.third_party and not include_third_party):
                continue
            result.append(replace(
                row, domain=row.pattern.replace("{region}", region) if region else row.pattern,
                regions=tuple(sorted(self.regions)) if row.regions == "all" else row.regions))
        return result

    def _byoc_domains(self, region: Optional[str]) -> Tuple[Domain, ...]:
        byoc = self.data["byoc_cloud"]
        note = _text(byoc.get("note"))
        rows = [
            Domain(id="byoc_cloud.domain", owner="PureCloud", pattern=byoc["domain"], page_region="All",
                   regions="all", description="BYOC Cloud domain.", note=note, provenance=self._default_provenance),
            Domain(id="byoc_cloud.srv", owner="PureCloud", pattern=byoc["srv_pattern"], page_region="All",
                   regions="all", description="DNS SRV and SIP FQDN.", note=note,
                   provenance=self._default_provenance),
        ]
        for name, entry in self.regions.items():
            if region is None or name == region:
                for server in entry.byoc_cloud_servers:
                    rows.append(Domain(id="byoc_cloud.server.%s.%s" % (name, server.split(".")[0]),
                                       owner="PureCloud", pattern=server, page_region=name, regions=(name,),
                                       description="Server DNS (if SRV not supported).", note=note,
                                       provenance=entry.provenance))
        return tuple(rows)


def _kept(row: Requirement, options: SelectOptions) -> bool:
    if row.deprecated is not None and not options.include_deprecated:
        return False
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
                    "port_overrides: requirement %r has no configurable port; the page lets these move: %s. "
                    "To change what the vendor requires of another row, replace it with a catalog overlay "
                    "(purecloud_catalog_overlays, see docs/catalog.md)" % (rid, ", ".join(sorted(movable))))
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


# ------------------------------------------------------------------ loading
_RAW: Dict[Tuple[str, int, int], Any] = {}
_CACHE: Dict[Tuple[Any, ...], Catalog] = {}
_CACHE_SIZE = 8


def editions(path: Optional[str] = None) -> Dict[str, Any]:
    """``{"default", "names", "files", "bases", "root"}`` of a catalog file: its editions and how each is built.

    The file holds one edition itself (its ``edition``); each edition it
    lists is a file of changes over a ``base``, and every chain of bases ends
    at the file's own.
    """
    path = os.path.abspath(path or default_catalog_path())
    data = _read_yaml(path, "catalog")
    if not isinstance(data, Mapping) or not isinstance(data.get("edition"), str):
        raise PurecloudFirewallError("catalog %s: missing 'edition' (the edition the file itself holds)" % path)
    root = data["edition"]
    registry = data.get("editions") or {"default": root, "list": []}
    files, bases = {root: path}, {root: None}
    for n, entry in enumerate(registry.get("list") or []):
        if not isinstance(entry, Mapping) or not all(isinstance(entry.get(k), str) for k in ("name", "file", "base")):
            raise PurecloudFirewallError("catalog %s: editions.list[%d] needs a name, a file and a base" % (path, n))
        files[entry["name"]] = os.path.normpath(os.path.join(os.path.dirname(path), entry["file"]))
        bases[entry["name"]] = entry["base"]
    for name in files:
        seen = [name]
        while bases[seen[-1]] is not None:
            base = bases[seen[-1]]
            if base not in files or base in seen:
                raise PurecloudFirewallError("catalog %s: edition %s is built on %r, which %s" % (
                    path, seen[-1], base, "is not an edition of it" if base not in files else "is built on it"))
            seen.append(base)
    default = registry.get("default", root)
    if default not in files:
        raise PurecloudFirewallError("catalog %s: the default edition %r is not one of its editions" % (path, default))
    return {"default": default, "names": list(files), "files": files, "bases": bases, "root": root}


def _overlay_paths(overlays: Any) -> Tuple[str, ...]:
    if overlays in (None, "", []):
        return ()
    if isinstance(overlays, str):
        overlays = [overlays]
    if not isinstance(overlays, (list, tuple)) or not all(isinstance(o, str) and o for o in overlays):
        raise PurecloudFirewallError("catalog overlays must be a list of YAML file paths, got %r" % (overlays,))
    return tuple(os.path.abspath(os.path.expanduser(o)) for o in overlays)


def load_catalog(path: Optional[str] = None, edition: Optional[str] = None, overlays: Any = None) -> Catalog:
    """The checked catalog: ``edition`` (the default one when None) of the collection's catalog
    (or the file at ``path``), with the ``overlays`` merged over it in order.  Cached per file version.
    """
    path = os.path.abspath(path or default_catalog_path())
    known = editions(path)
    edition = edition or known["default"]
    if edition not in known["files"]:
        raise choices_error("catalog edition", edition, known["names"])
    overlay_paths = _overlay_paths(overlays)
    chain = []
    name: Optional[str] = edition
    while name is not None:
        chain.insert(0, name)
        name = known["bases"][name]
    files = [known["files"][n] for n in chain] + list(overlay_paths)
    key = (edition,) + tuple((f, _version(f, "catalog overlay" if f in overlay_paths else "catalog edition"))
                             for f in files)
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))  # the oldest: a process plans with one or two catalogs
        _CACHE[key] = _build(path, chain, known, overlay_paths)
    return _CACHE[key]


def _version(path: str, what: str) -> Tuple[int, int]:
    try:
        stat = os.stat(path)
        return stat.st_mtime_ns, stat.st_size
    except OSError as exc:
        raise PurecloudFirewallError("cannot read %s %s: %s" % (what, path, exc.strerror or exc)) from None


def _build(path: str, chain: Sequence[str], known: Mapping[str, Any], overlay_paths: Sequence[str]) -> Catalog:
    base = _read_yaml(path, "catalog")
    merged = dict(base)  # each layer copies what it changes; the parsed file stays as read
    merged.pop("editions", None)
    touched: Touched = {}
    problems = _Problems()
    for name in chain[1:]:
        layer_path = known["files"][name]
        data = _read_yaml(layer_path, "catalog edition")
        _Merge(data, _Layer(EDITION, "edition %s" % name)).merge(merged, touched, problems)
        merged["edition"] = name
        if isinstance(data, Mapping):
            merged["edition_info"] = dict((k, data.get(k)) for k in ("title", "checked", "description"))
        if isinstance(data, Mapping) and isinstance(data.get("changelog"), list):
            merged["changelog"] = list(data["changelog"]) + list(merged.get("changelog") or [])
    for overlay in overlay_paths:
        _Merge(_read_yaml(overlay, "catalog overlay"), _Layer(OVERLAY, "overlay %s" % overlay)).merge(
            merged, touched, problems)
    origin = "catalog %s, edition %s%s" % (path, chain[-1], "".join(", overlay %s" % o for o in overlay_paths))
    return Catalog(merged, origin=origin, touched=touched, overlays=overlay_paths, earlier=problems.items)


def options_from_mapping(values: Mapping[str, Any]) -> SelectOptions:
    """Build :class:`SelectOptions` from plugin options, refusing unknown names."""
    allowed = set(SelectOptions.__dataclass_fields__)
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise choices_error("option", unknown[0], allowed)
    cleaned = dict((k, copy.deepcopy(v)) for k, v in values.items() if v is not None)
    for name in list(EXCLUDABLE_FLAGS) + ["include_deprecated"]:
        if name in cleaned and not isinstance(cleaned[name], bool):
            raise PurecloudFirewallError("%s must be true or false, got %r" % (name, cleaned[name]))
    return SelectOptions(**cleaned)


__all__ = [
    "ALL_PRODUCTS", "Catalog", "CidrSet", "Deprecation", "EXCLUDABLE_FLAGS", "EndpointClass", "FLAG_NAMES",
    "Provenance", "Region", "Requirement", "SelectOptions", "Source", "default_catalog_path", "editions",
    "load_catalog", "options_from_mapping", "parse_port_spec",
]
