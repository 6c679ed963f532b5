# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What changed upstream, and which of a site's rules it touches.

Two AWS feed versions: the prefixes added and removed for the site's region
("us-east-1 AMAZON IPv4: +N / -M prefixes since 2025-08-21"), and, when the
site is strict (cloud destinations from the feed), each rule whose
destinations move.  Two catalogs (two editions, or one with and without
overlays): every section compared by id (requirement rows, regions,
domains, CIDR sets, endpoint classes), each change with its sources, and
each of the site's rules that ends up different.  ``hosts_changes`` plans
each host of the site with its own settings, as apply plans it, and names
the hosts each moved rule is on.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Catalog, Provenance, provenance_dict
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.host_plans import distinct, naming, on_hosts
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import Feed, diff_feeds, select_prefixes
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import ANY, HostPlan, Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.site import (
    CLOUD_AWS, host_product_plans, plan_products)
from ansible_collections.purecloud.firewall.plugins.module_utils.site_feeds import strict_feeds

ROW_FIELDS = ("protocol", "ports", "ports_from", "source", "destination", "flags", "section")
UNTOUCHED = "none of this site's rules changes"
# (product, plan) for settings: a site's products as a gateway sees them, or one host's as it enforces them.
Planner = Callable[..., List[Tuple[str, HostPlan]]]


def _rules(settings: Mapping[str, Any], planner: Planner = plan_products, **plan_args: Any
           ) -> Dict[Tuple[str, ...], Rule]:
    rules: Dict[Tuple[str, ...], Rule] = {}
    for product, plan in planner(settings, **plan_args):
        for rule in plan.rules:
            rules[(product, rule.source_class, rule.destination_class, rule.protocol)] = rule
    return rules


def _name(key: Tuple[str, ...], rule: Rule) -> str:
    product, src, dst, protocol = key
    return "%s: %s -> %s %s (%s)" % (product, src, dst, protocol, ", ".join(rule.ids))


def _destinations(rule: Optional[Rule]) -> Set[str]:
    return set() if rule is None or rule.destinations == ANY else set(rule.destinations)


def feed_changes(settings: Mapping[str, Any], old: Feed, new: Feed, planner: Planner = plan_products
                 ) -> Dict[str, Any]:
    """The region's AWS prefix changes, and the strict site's rules whose destinations they move."""
    region = settings["region"]
    diff = diff_feeds(old, new, region=region, service="AMAZON")
    touched = []
    strict = settings.get("cloud_destinations") == CLOUD_AWS
    if strict:
        before = _rules(settings, planner, aws_prefixes=select_prefixes(old, region=region, aggregate=True))
        after = _rules(settings, planner, aws_prefixes=select_prefixes(new, region=region, aggregate=True))
        for key in sorted(set(before) | set(after)):
            was = _destinations(before.get(key))
            now = _destinations(after.get(key))
            if was != now:
                touched.append({"rule": _name(key, after.get(key) or before[key]),
                                "added": len(now - was), "removed": len(was - now)})
    lines = list(diff["summary"]) or ["%s AMAZON: no prefix changed since %s" % (region, diff["old"]["create_date"][:10])]
    if not strict:
        lines.append("this site allows the cloud at any address (purecloud_cloud_destinations: any): no rule changes")
    for item in touched:
        lines.append("rule %s: +%d / -%d destination prefixes" % (item["rule"], item["added"], item["removed"]))
    return {"feed": diff, "strict": strict, "touched_rules": touched, "lines": lines}


# --------------------------------------------------------------- catalogs
def _requirements(catalog: Catalog) -> Dict[str, Tuple[Dict[str, Any], Any]]:
    entries = {}
    for row in catalog.requirements:
        fields = dict((f, v) for f, v in row.as_dict().items() if f in ROW_FIELDS)
        fields["deprecated"] = row.deprecated.date if row.deprecated else None
        entries[row.id] = (fields, row.deprecated.sources if row.deprecated else row.provenance.sources)
    return entries


def _regions(catalog: Catalog) -> Dict[str, Tuple[Dict[str, Any], Any]]:
    return dict((code, ({"domain": r.domain, "kind": r.kind, "byoc_cloud_servers": list(r.byoc_cloud_servers)},
                        r.provenance.sources)) for code, r in catalog.regions.items())


def _domains(catalog: Catalog) -> Dict[str, Tuple[Dict[str, Any], Any]]:
    return dict((row.id, ({"pattern": row.pattern, "regions": list(row.regions) if row.regions != "all" else "all",
                           "owner": row.owner}, row.provenance.sources)) for row in catalog.domain_rows)


def _cidr_sets(catalog: Catalog) -> Dict[str, Tuple[Dict[str, Any], Any]]:
    return dict((name, ({"class": c.endpoint_class, "cidrs": list(c.cidrs), "region_kinds": list(c.region_kinds),
                         "regions": list(c.regions)}, c.provenance.sources)) for name, c in catalog.cidr_sets.items())


def _classes(catalog: Catalog) -> Dict[str, Tuple[Dict[str, Any], Any]]:
    return dict((name, ({"location": c.location, "label": c.label, "ip_ranges": c.ip_ranges},
                        c.provenance.sources)) for name, c in catalog.endpoint_classes.items())


SECTIONS: Tuple[Tuple[str, Callable[[Catalog], Dict[str, Tuple[Dict[str, Any], Any]]]], ...] = (
    ("requirements", _requirements), ("regions", _regions), ("domains", _domains), ("cidr_sets", _cidr_sets),
    ("endpoint_classes", _classes))


def _sources(catalog: Catalog, ids: Any) -> List[Dict[str, Any]]:
    return provenance_dict(Provenance(tuple(ids or ())), catalog.sources)["sources"]


def section_changes(old: Catalog, new: Catalog) -> Dict[str, Dict[str, Any]]:
    """Per section: the ids added and removed, and the changed ones (old -> new field by field), with sources."""
    result: Dict[str, Dict[str, Any]] = {}
    for section, entries_of in SECTIONS:
        before, after = entries_of(old), entries_of(new)
        changed = []
        for key in sorted(set(before) & set(after), key=str):
            fields = [f for f in after[key][0] if before[key][0].get(f) != after[key][0][f]]
            if fields:
                changed.append({"id": key, "fields": fields,
                                "before": dict((f, before[key][0].get(f)) for f in fields),
                                "after": dict((f, after[key][0][f]) for f in fields),
                                "sources": _sources(new, after[key][1])})
        result[section] = {
            "added": [{"id": key, "entry": after[key][0], "sources": _sources(new, after[key][1])}
                      for key in after if key not in before],
            "removed": [{"id": key, "entry": before[key][0], "sources": _sources(old, before[key][1])}
                        for key in before if key not in after],
            "changed": changed}
    return result


def _described(sources: List[Mapping[str, Any]]) -> str:
    """`` [source title; ...]``: where a change was read (the JSON has each source's address)."""
    return " [%s]" % "; ".join(s["title"] for s in sources) if sources else ""


def _field(rule: Optional[Rule], name: str) -> Any:
    """A rule's ports or destinations as the JSON gives them (None: no such rule on that side)."""
    return None if rule is None else rule.as_dict()[name]


def _site_rules(settings: Mapping[str, Any], catalog: Catalog, feeds: Mapping[str, Any], planner: Planner
                ) -> Tuple[Dict[Tuple[str, ...], Rule], Optional[str]]:
    """The site's rules under ``catalog``, or why they cannot be planned there (a region it lacks)."""
    if settings.get("region") not in catalog.regions:
        return {}, "region %s is not in edition %s" % (settings.get("region"), catalog.edition)
    try:
        return _rules(settings, planner, catalog=catalog, **feeds), None
    except PurecloudFirewallError as exc:
        return {}, str(exc)


def catalog_changes(settings: Mapping[str, Any], old: Catalog, new: Catalog, planner: Planner = plan_products
                    ) -> Dict[str, Any]:
    """Every section that differs between two catalogs, and the site's rules that end up different."""
    sections = section_changes(old, new)
    warnings: List[str] = []
    feeds = strict_feeds(settings, warnings, new)  # a strict site: the same feeds on both sides
    before, old_problem = _site_rules(settings, old, feeds, planner)
    after, new_problem = _site_rules(settings, new, feeds, planner)
    touched = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        if was is None or now is None or (was.ports, was.ids, was.destinations) != (
                now.ports, now.ids, now.destinations):
            touched.append({"rule": _name(key, now or was),
                            "before": _field(was, "ports"), "after": _field(now, "ports"),
                            "destinations_before": _field(was, "destinations"),
                            "destinations_after": _field(now, "destinations")})
    lines = ["catalog %s -> %s: %s" % (_label(old), _label(new), "; ".join(
        "%s +%d / -%d / ~%d" % (section, len(c["added"]), len(c["removed"]), len(c["changed"]))
        for section, c in sections.items() if c["added"] or c["removed"] or c["changed"]) or "no differences")]
    for section, change in sections.items():
        for item in change["changed"]:
            fields = ", ".join("%s %s -> %s" % (f, _show(item["before"][f]), _show(item["after"][f]))
                               for f in item["fields"])
            lines.append("%s %s: %s%s" % (_singular(section), item["id"], fields, _described(item["sources"])))
        for item in change["added"]:
            lines.append("%s %s added%s" % (_singular(section), item["id"], _described(item["sources"])))
        for item in change["removed"]:
            lines.append("%s %s removed" % (_singular(section), item["id"]))
    for problem in (old_problem, new_problem):
        if problem:
            lines.append("the site cannot be planned with %s: %s" % (
                _label(old if problem is old_problem else new), problem))
    for item in touched:
        lines.append("rule %s: %s" % (item["rule"], _rule_change(item)))
    if not touched and not (old_problem or new_problem):
        lines.append(UNTOUCHED)
    lines += warnings
    return {"old": old.describe(), "new": new.describe(), "sections": sections,
            "rows": dict((k, [i["id"] for i in v] if k != "changed" else v)
                         for k, v in sections["requirements"].items()),
            "touched_rules": touched, "lines": lines}


def _rule_change(item: Mapping[str, Any]) -> str:
    """What moved in one rule: its ports, else its destinations, else only the rows behind it."""
    def show(ports: Any) -> str:
        return ", ".join(ports or []) or "none"

    if item["before"] != item["after"]:
        return "ports %s -> %s" % (show(item["before"]), show(item["after"]))
    if item["destinations_before"] != item["destinations_after"]:
        return "destinations %s -> %s" % (_show(item["destinations_before"]), _show(item["destinations_after"]))
    return "the same ports and destinations, other rows"


def _label(catalog: Catalog) -> str:
    overlays = " + %d overlay%s" % (len(catalog.overlays), "" if len(catalog.overlays) == 1 else "s") \
        if catalog.overlays else ""
    return "%s (catalog %s)%s" % (catalog.edition, catalog.version, overlays)


def _singular(section: str) -> str:
    return {"requirements": "row", "regions": "region", "domains": "domain", "cidr_sets": "CIDR set",
            "endpoint_classes": "endpoint class"}[section]


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return ",".join(k for k, v in value.items() if v) or "none"
    if isinstance(value, list):
        return ",".join(str(v) for v in value) or "none"
    return str(value)


def site_changes(settings: Mapping[str, Any], old_feed: Optional[Feed] = None, new_feed: Optional[Feed] = None,
                 old_catalog: Optional[Catalog] = None, new_catalog: Optional[Catalog] = None,
                 planner: Planner = plan_products) -> Dict[str, Any]:
    result: Dict[str, Any] = {"lines": []}
    if old_feed is not None and new_feed is not None:
        result["feed"] = feed_changes(settings, old_feed, new_feed, planner)
        result["lines"] += result["feed"]["lines"]
    if old_catalog is not None and new_catalog is not None:
        result["catalog"] = catalog_changes(settings, old_catalog, new_catalog, planner)
        result["lines"] += result["catalog"]["lines"]
    return result


# What each comparison has besides the rules it touches: the feeds', or the catalogs', compared.
_PER_HOST = ("touched_rules", "lines", "strict")


def _lines(parts: Sequence[Tuple[Tuple[str, ...], Sequence[str]]], everyone: Sequence[str]) -> List[str]:
    """Each line once, in order; one that holds for only some of the hosts names them."""
    holders: Dict[str, List[str]] = {}
    for hosts, lines in parts:
        for line in lines:
            holders.setdefault(line, []).extend(hosts)
    return [line if set(names) == set(everyone) else on_hosts(line, names) for line, names in holders.items()]


def _united(parts: Sequence[Tuple[Tuple[str, ...], Mapping[str, Any]]], everyone: Sequence[str]) -> Dict[str, Any]:
    """One comparison (the feed's or the catalogs') from each group of hosts' own.

    The details are the first group's; a group that compared other feeds
    or catalogs (another region, edition or overlays) follows under
    ``others`` with its hosts.  Each touched rule comes once, with the hosts
    it moves on.
    """
    first = dict(parts[0][1])
    touched: Dict[str, Dict[str, Any]] = {}
    for hosts, part in parts:
        for item in part["touched_rules"]:
            touched.setdefault(json.dumps(item, sort_keys=True), dict(item, hosts=[]))["hosts"].extend(hosts)
    context = dict((key, value) for key, value in first.items() if key not in _PER_HOST)
    others = []
    for hosts, part in parts[1:]:
        own = dict((key, value) for key, value in part.items() if key not in _PER_HOST)
        if own != context:
            others.append(dict(own, hosts=list(hosts)))
    lines = _lines([(hosts, [line for line in part["lines"] if line != UNTOUCHED]) for hosts, part in parts], everyone)
    untouched = [host for hosts, part in parts if UNTOUCHED in part["lines"] for host in hosts]
    if untouched:
        lines.append(UNTOUCHED if len(untouched) == len(everyone) else
                     "none of the rules of %s changes" % ", ".join(untouched))
    first.update(touched_rules=list(touched.values()), lines=lines)
    if "strict" in first:
        first["strict"] = any(part["strict"] for _hosts, part in parts)
    if others:
        first["others"] = others
    return first


def hosts_changes(hosts: Mapping[str, Mapping[str, Any]], old_feed: Optional[Feed] = None,
                  new_feed: Optional[Feed] = None,
                  catalogs: Optional[Callable[[Mapping[str, Any]], Tuple[Catalog, Catalog]]] = None
                  ) -> Dict[str, Any]:
    """``site_changes`` for each host of a site (host name -> settings), planned as its apply plans it.

    ``catalogs`` gives the old and new catalog for a host's settings (its
    edition and overlays).  Hosts with the same settings are compared once.
    A line, or a touched rule, that holds for only some hosts names them.
    """
    everyone = list(hosts)
    parts = []
    for names, settings in distinct(hosts):
        try:
            old, new = catalogs(settings) if catalogs else (None, None)
            parts.append((names, site_changes(settings, old_feed, new_feed, old, new, planner=host_product_plans)))
        except PurecloudFirewallError as exc:
            raise naming(names, exc) from None
    result: Dict[str, Any] = {"hosts": everyone, "lines": []}
    for part in ("feed", "catalog"):
        if part in parts[0][1]:
            result[part] = _united([(names, changes[part]) for names, changes in parts], everyone)
            result["lines"] += result[part]["lines"]
    return result


__all__: List[str] = ["catalog_changes", "feed_changes", "hosts_changes", "section_changes", "site_changes"]
