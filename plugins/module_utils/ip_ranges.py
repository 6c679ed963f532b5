# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS's ip-ranges.json feed: load (file or URL, cached), check, select, compare.

The page points at https://ip-ranges.amazonaws.com/ip-ranges.json for the
addresses PureCloud's cloud side may use.  Strict mode narrows the cloud
destinations to the organisation's region from this feed, and the reports
say what changed between two versions of it.  The feed is 2-3 MB; parsing
is most of the cost, so selection works on plain strings and only
aggregation builds network objects.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Union

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import aggregate_cidrs
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

AWS_FEED_URL = "https://ip-ranges.amazonaws.com/ip-ranges.json"
FAMILIES = ("ipv4", "ipv6", "both")
DEFAULT_SERVICE = "AMAZON"
_LISTS = (("prefixes", "ip_prefix", "ipv4"), ("ipv6_prefixes", "ipv6_prefix", "ipv6"))
_ENTRY_KEYS = ("region", "service", "network_border_group")

Feed = Dict[str, Any]
Selector = Union[None, str, Sequence[str]]


def parse_feed(data: Union[bytes, str, Mapping[str, Any]], origin: str = "feed") -> Feed:
    """Parse and check a feed document; the error says what is missing or wrong."""
    if isinstance(data, Mapping):
        doc = data
    else:
        try:
            doc = json.loads(data)
        except ValueError as exc:
            raise PurecloudFirewallError("%s is not JSON: %s" % (origin, exc)) from None
    if not isinstance(doc, Mapping):
        raise PurecloudFirewallError("%s: expected a JSON object with syncToken, createDate, prefixes, "
                                     "ipv6_prefixes" % origin)
    for key in ("syncToken", "createDate"):
        if not isinstance(doc.get(key), str):
            raise PurecloudFirewallError("%s: missing or malformed %r (not an AWS ip-ranges document?)" % (origin, key))
    for list_key, prefix_key, _family in _LISTS:
        entries = doc.get(list_key)
        if not isinstance(entries, list):
            raise PurecloudFirewallError("%s: missing list %r" % (origin, list_key))
        # One pass over ~17,000 entries; the error names the first bad one.
        bad = next((index for index, entry in enumerate(entries)
                    if not isinstance(entry, dict) or not isinstance(entry.get(prefix_key), str)
                    or not isinstance(entry.get("region"), str) or not isinstance(entry.get("service"), str)
                    or not isinstance(entry.get("network_border_group"), str)), None)
        if bad is not None:
            raise PurecloudFirewallError(
                "%s: %s[%d] must have %s, %s: %r" % (origin, list_key, bad, prefix_key,
                                                     ", ".join(_ENTRY_KEYS), entries[bad]))
    return dict(doc)


def load_feed(src: str, timeout: float = 10.0, cache_dir: Optional[str] = None, cache_ttl: float = 86400,
              validate_certs: bool = True) -> Feed:
    """The feed at ``src``: a file, or an http(s) URL fetched through an on-disk cache.

    A cached copy younger than ``cache_ttl`` seconds is used without asking
    the network; when a download fails, an older cached copy is used and the
    result says so (``_stale`` with the error).  Files need no network at all.
    """
    if not isinstance(src, str) or not src:
        raise PurecloudFirewallError("src must be a path or an http(s) URL, got %r" % (src,))
    if not src.startswith(("http://", "https://")):
        path = os.path.expanduser(src[7:] if src.startswith("file://") else src)
        try:
            with open(path, "rb") as handle:
                return parse_feed(handle.read(), origin=path)
        except OSError as exc:
            raise PurecloudFirewallError("cannot read feed %s: %s" % (path, exc.strerror or exc)) from None
    cache_dir = os.path.expanduser(cache_dir or "~/.cache/purecloud.firewall")
    cache = os.path.join(cache_dir, "ip-ranges-%s.json" % hashlib.sha256(src.encode()).hexdigest()[:16])
    fresh = os.path.exists(cache) and time.time() - os.path.getmtime(cache) < cache_ttl
    if not fresh:
        try:
            body = _download(src, timeout, validate_certs)
            doc = parse_feed(body, origin=src)
        except PurecloudFirewallError as exc:
            if not os.path.exists(cache):
                raise
            with open(cache, "rb") as handle:
                doc = parse_feed(handle.read(), origin=cache)
            doc["_stale"] = "download failed, using the cached copy of %s: %s" % (
                time.strftime("%Y-%m-%d %H:%M", time.gmtime(os.path.getmtime(cache))), exc)
            return doc
        os.makedirs(cache_dir, exist_ok=True)
        partial = "%s.%d" % (cache, os.getpid())
        with open(partial, "wb") as handle:
            handle.write(body)
        os.replace(partial, cache)
        return doc
    with open(cache, "rb") as handle:
        return parse_feed(handle.read(), origin=cache)


def _download(url: str, timeout: float, validate_certs: bool) -> bytes:
    from ansible.module_utils.urls import open_url  # only the URL path needs ansible

    try:
        return open_url(url, timeout=timeout, validate_certs=validate_certs, http_agent="purecloud.firewall").read()
    except Exception as exc:  # urllib raises many kinds; the message is what matters
        raise PurecloudFirewallError("cannot download %s: %s" % (url, exc)) from None


def _as_set(name: str, value: Selector) -> Optional[Set[str]]:
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, str):
        return {value}
    if not isinstance(value, (list, tuple, set)) or not all(isinstance(v, str) for v in value):
        raise PurecloudFirewallError("%s must be a string or a list of strings, got %r" % (name, value))
    return set(value)


def _check_family(family: str) -> Tuple[str, ...]:
    if family not in FAMILIES:
        raise PurecloudFirewallError("unknown family %r; expected one of: %s" % (family, ", ".join(FAMILIES)))
    return ("ipv4", "ipv6") if family == "both" else (family,)


def _check_present(doc: Feed, key: str, wanted: Optional[Set[str]]) -> None:
    if not wanted:
        return
    present = set()
    for list_key, _prefix_key, _family in _LISTS:
        present.update(entry[key] for entry in doc[list_key])
    missing = sorted(wanted - present)
    if missing:
        raise PurecloudFirewallError("%s %r is not in the feed; it has: %s"
                                     % (key.replace("_", " "), missing[0], ", ".join(sorted(present))))


def select_prefixes(doc: Feed, region: Selector = None, service: Selector = DEFAULT_SERVICE,
                    network_border_group: Selector = None, family: str = "both",
                    aggregate: bool = False) -> List[str]:
    """Prefixes of the given regions, services and border groups, IPv4 first.

    Without ``aggregate`` they come back as the feed lists them (duplicates
    removed, feed order); with it, merged into the fewest covering CIDRs.
    """
    regions, services, groups = (_as_set("region", region), _as_set("service", service),
                                 _as_set("network_border_group", network_border_group))
    families = _check_family(family)
    _check_present(doc, "region", regions)
    _check_present(doc, "service", services)
    _check_present(doc, "network_border_group", groups)
    chosen: Dict[str, None] = {}
    for list_key, prefix_key, fam in _LISTS:
        if fam not in families:
            continue
        for entry in doc[list_key]:
            if (regions is None or entry["region"] in regions) and \
                    (services is None or entry["service"] in services) and \
                    (groups is None or entry["network_border_group"] in groups):
                chosen[entry[prefix_key]] = None
    return aggregate_cidrs(chosen) if aggregate else list(chosen)


def feed_metadata(doc: Feed) -> Dict[str, Any]:
    regions: Set[str] = set()
    services: Set[str] = set()
    for list_key, _prefix_key, _family in _LISTS:
        for entry in doc[list_key]:
            regions.add(entry["region"])
            services.add(entry["service"])
    meta = {
        "sync_token": doc["syncToken"],
        "create_date": doc["createDate"],
        "ipv4_count": len(doc["prefixes"]),
        "ipv6_count": len(doc["ipv6_prefixes"]),
        "regions": sorted(regions),
        "services": sorted(services),
    }
    if doc.get("_stale"):
        meta["stale"] = doc["_stale"]
    return meta


def _keyed(doc: Feed, regions: Optional[Set[str]], services: Optional[Set[str]],
           families: Iterable[str]) -> Dict[Tuple[str, str, str], Set[str]]:
    keyed: Dict[Tuple[str, str, str], Set[str]] = {}
    for list_key, prefix_key, fam in _LISTS:
        if fam not in families:
            continue
        for entry in doc[list_key]:
            if (regions is None or entry["region"] in regions) and (services is None or entry["service"] in services):
                keyed.setdefault((entry["region"], entry["service"], fam), set()).add(entry[prefix_key])
    return keyed


def _date(doc: Feed) -> str:
    return doc["createDate"][:10]


def diff_feeds(old: Feed, new: Feed, region: Selector = None, service: Selector = None,
               family: str = "both") -> Dict[str, Any]:
    """Prefixes added and removed between two feed versions, per (region, service, family) and in total."""
    regions, services = _as_set("region", region), _as_set("service", service)
    families = _check_family(family)
    # Either version may lack a region the other has; refuse only names neither knows.
    for key, wanted in (("region", regions), ("service", services)):
        if wanted:
            merged = {"prefixes": old["prefixes"] + new["prefixes"],
                      "ipv6_prefixes": old["ipv6_prefixes"] + new["ipv6_prefixes"]}
            _check_present(merged, key, wanted)
    before, after = _keyed(old, regions, services, families), _keyed(new, regions, services, families)
    changes = []
    for key in sorted(set(before) | set(after)):
        added = sorted(after.get(key, set()) - before.get(key, set()))
        removed = sorted(before.get(key, set()) - after.get(key, set()))
        if added or removed:
            region_name, service_name, fam = key
            changes.append({
                "region": region_name, "service": service_name, "family": fam,
                "added": added, "removed": removed, "added_count": len(added), "removed_count": len(removed),
                "summary": "%s %s %s: +%d / -%d prefixes since %s" % (
                    region_name, service_name, "IPv4" if fam == "ipv4" else "IPv6",
                    len(added), len(removed), _date(old)),
            })
    all_before = set().union(*before.values()) if before else set()
    all_after = set().union(*after.values()) if after else set()
    return {
        "old": {"sync_token": old["syncToken"], "create_date": old["createDate"]},
        "new": {"sync_token": new["syncToken"], "create_date": new["createDate"]},
        "added": sorted(all_after - all_before),
        "removed": sorted(all_before - all_after),
        "added_count": len(all_after - all_before),
        "removed_count": len(all_before - all_after),
        "changes": changes,
        "summary": [change["summary"] for change in changes],
    }
