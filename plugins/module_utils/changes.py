# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What changed upstream, and which of a site's rules it touches.

Two AWS feed versions: the prefixes added and removed for the site's region
("us-east-1 AMAZON IPv4: +N / -M prefixes since 2025-08-21"), and, when the
site is strict (cloud destinations from the feed), each rule whose
destinations move.  Two catalog versions: the requirement rows added,
removed or changed, and each of the site's rules that ends up different.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import Feed, diff_feeds, select_prefixes
from ansible_collections.purecloud.firewall.plugins.module_utils.site import CLOUD_AWS, plan_products

ROW_FIELDS = ("protocol", "ports", "ports_from", "source", "destination", "flags", "section")


def _rules(settings: Mapping[str, Any], **plan_args: Any) -> Dict[Tuple[str, ...], Mapping[str, Any]]:
    rules: Dict[Tuple[str, ...], Mapping[str, Any]] = {}
    for product, plan in plan_products(settings, **plan_args):
        for rule in plan["rules"]:
            rules[(product, rule["source_class"], rule["destination_class"], rule["protocol"])] = rule
    return rules


def _name(key: Tuple[str, ...], rule: Mapping[str, Any]) -> str:
    product, src, dst, protocol = key
    return "%s: %s -> %s %s (%s)" % (product, src, dst, protocol, ", ".join(rule["ids"]))


def feed_changes(settings: Mapping[str, Any], old: Feed, new: Feed) -> Dict[str, Any]:
    """The region's AWS prefix changes, and the strict site's rules whose destinations they move."""
    region = settings["region"]
    diff = diff_feeds(old, new, region=region, service="AMAZON")
    touched = []
    strict = settings.get("cloud_destinations") == CLOUD_AWS
    if strict:
        before = _rules(settings, aws_prefixes=select_prefixes(old, region=region, aggregate=True))
        after = _rules(settings, aws_prefixes=select_prefixes(new, region=region, aggregate=True))
        for key in sorted(set(before) | set(after)):
            was = set(before[key]["destinations"]) if key in before and before[key]["destinations"] != "any" else set()
            now = set(after[key]["destinations"]) if key in after and after[key]["destinations"] != "any" else set()
            if was != now:
                touched.append({"rule": _name(key, after.get(key) or before[key]),
                                "added": len(now - was), "removed": len(was - now)})
    lines = list(diff["summary"]) or ["%s AMAZON: no prefix changed since %s" % (region, diff["old"]["create_date"][:10])]
    if not strict:
        lines.append("this site allows the cloud at any address (purecloud_cloud_destinations: any): no rule changes")
    for item in touched:
        lines.append("rule %s: +%d / -%d destination prefixes" % (item["rule"], item["added"], item["removed"]))
    return {"feed": diff, "strict": strict, "touched_rules": touched, "lines": lines}


def _row_changes(old: Catalog, new: Catalog) -> Dict[str, Any]:
    before = dict((row.id, row.as_dict()) for row in old.requirements)
    after = dict((row.id, row.as_dict()) for row in new.requirements)
    changed = []
    for rid in sorted(set(before) & set(after)):
        fields = [f for f in ROW_FIELDS if before[rid][f] != after[rid][f]]
        if fields:
            changed.append({"id": rid, "fields": fields,
                            "before": dict((f, before[rid][f]) for f in fields),
                            "after": dict((f, after[rid][f]) for f in fields)})
    return {"added": sorted(set(after) - set(before)), "removed": sorted(set(before) - set(after)),
            "changed": changed}


def catalog_changes(settings: Mapping[str, Any], old: Catalog, new: Catalog) -> Dict[str, Any]:
    """The rows that differ between two catalogs, and the site's rules that end up different."""
    rows = _row_changes(old, new)
    before, after = _rules(settings, catalog=old), _rules(settings, catalog=new)
    touched = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        if was is None or now is None or was["ports"] != now["ports"] or was["ids"] != now["ids"]:
            touched.append({"rule": _name(key, now or was), "before": was and was["ports"],
                            "after": now and now["ports"]})
    versions = (old.data.get("catalog_version"), new.data.get("catalog_version"))
    lines = ["catalog %s -> %s: +%d / -%d / ~%d requirement rows" % (
        versions + (len(rows["added"]), len(rows["removed"]), len(rows["changed"])))]
    lines += ["row %s: %s" % (item["id"], ", ".join("%s %s -> %s" % (f, item["before"][f], item["after"][f])
                                                    for f in item["fields"])) for item in rows["changed"]]
    lines += ["row %s added" % rid for rid in rows["added"]] + ["row %s removed" % rid for rid in rows["removed"]]
    for item in touched:
        lines.append("rule %s: ports %s -> %s" % (item["rule"], ", ".join(item["before"] or []) or "none",
                                                  ", ".join(item["after"] or []) or "none"))
    if not touched:
        lines.append("none of this site's rules changes")
    return {"rows": rows, "touched_rules": touched, "lines": lines}


def site_changes(settings: Mapping[str, Any], old_feed: Optional[Feed] = None, new_feed: Optional[Feed] = None,
                 old_catalog: Optional[Catalog] = None, new_catalog: Optional[Catalog] = None) -> Dict[str, Any]:
    result: Dict[str, Any] = {"lines": []}
    if old_feed is not None and new_feed is not None:
        result["feed"] = feed_changes(settings, old_feed, new_feed)
        result["lines"] += result["feed"]["lines"]
    if old_catalog is not None and new_catalog is not None:
        result["catalog"] = catalog_changes(settings, old_catalog, new_catalog)
        result["lines"] += result["catalog"]["lines"]
    return result


__all__: List[str] = ["catalog_changes", "feed_changes", "site_changes"]
