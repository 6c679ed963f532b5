# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS's ip-ranges.json feed: load (file or URL, cached), check, select, compare.

The page points at https://ip-ranges.amazonaws.com/ip-ranges.json for the
addresses PureCloud's cloud side may use.  Strict mode narrows the cloud
destinations to the organisation's region from this feed, and the reports
say what changed between two versions of it.

The feed is 2-3 MB and ~17,000 entries; json.loads is most of the cost, so
the checks are one pass of type tests, selection works on plain strings,
and only the selected prefixes are parsed (as integers, see cidrs.py).
"""

from __future__ import annotations

import itertools
import json
import operator
import os
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Union

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import (
    aggregate_cidrs,
    cidr_sort_key,
    ip_version,
)
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.feed_cache import load_cached, read_file

AWS_FEED_URL = "https://ip-ranges.amazonaws.com/ip-ranges.json"
FAMILIES = ("ipv4", "ipv6", "both")
DEFAULT_SERVICE = "AMAZON"
# (list key, prefix key, family, IP version)
_LISTS = (("prefixes", "ip_prefix", "ipv4", 4), ("ipv6_prefixes", "ipv6_prefix", "ipv6", 6))
_ENTRY_KEYS = ("region", "service", "network_border_group")
_CREATE_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}")
_LABELS = {"ipv4": "IPv4", "ipv6": "IPv6"}

Feed = Dict[str, Any]
Selector = Union[None, str, Sequence[str]]


# ------------------------------------------------------------------ parse
def _first_bad_entry(entries: List[Any], prefix_key: str) -> Optional[int]:
    """Index of the first entry that is not a dict of strings with the four keys, or None."""
    fields = operator.itemgetter(prefix_key, *_ENTRY_KEYS)
    try:
        # C-level passes (map, chain, set) over ~17,000 entries: a few times faster than a Python loop.
        if set(map(type, itertools.chain.from_iterable(map(fields, entries)))) <= {str}:
            return None
    except (KeyError, TypeError, IndexError):
        pass
    # Something is off (or str subclasses, which are fine): find the first bad entry, for the message.
    for index, entry in enumerate(entries):
        try:
            if not all(isinstance(value, str) for value in fields(entry)):
                return index
        except (KeyError, TypeError, IndexError):
            return index
    return None


def parse_feed(data: Union[bytes, str, Mapping[str, Any]], origin: str = "feed") -> Feed:
    """Parse and check a feed document (JSON bytes or text, or an already parsed mapping).

    The error says which document, what is missing or wrong, and for a bad
    entry its list, index and content.  Returns a (shallow) copy.
    """
    if isinstance(data, Mapping):
        doc = data
    elif isinstance(data, (bytes, bytearray, str)):
        try:
            doc = json.loads(data)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            raise PurecloudFirewallError("%s is not JSON: %s" % (origin, exc)) from None
    else:
        raise PurecloudFirewallError("%s: expected an ip-ranges.json document (JSON text or a mapping), got %s"
                                     % (origin, type(data).__name__))
    if not isinstance(doc, Mapping):
        raise PurecloudFirewallError("%s: expected a JSON object with syncToken, createDate, prefixes and "
                                     "ipv6_prefixes, got %s" % (origin, type(doc).__name__))
    for key in ("syncToken", "createDate"):
        if key not in doc:
            raise PurecloudFirewallError("%s: missing %r (not an AWS ip-ranges.json document?)" % (origin, key))
        if not isinstance(doc[key], str):
            raise PurecloudFirewallError("%s: %r must be a string, got %r" % (origin, key, doc[key]))
    if _CREATE_DATE.fullmatch(doc["createDate"]) is None:
        raise PurecloudFirewallError("%s: createDate %r is not in the feed's YYYY-MM-DD-hh-mm-ss form"
                                     % (origin, doc["createDate"]))
    for list_key, prefix_key, _family, _version in _LISTS:
        if list_key not in doc:
            raise PurecloudFirewallError("%s: missing list %r" % (origin, list_key))
        entries = doc[list_key]
        if not isinstance(entries, list):
            raise PurecloudFirewallError("%s: %r must be a list, got %s" % (origin, list_key, type(entries).__name__))
        bad = _first_bad_entry(entries, prefix_key)
        if bad is not None:
            raise PurecloudFirewallError(
                "%s: %s[%d] must be an object with string values for %s, %s; got %r"
                % (origin, list_key, bad, prefix_key, ", ".join(_ENTRY_KEYS), entries[bad]))
    return dict(doc)


# ------------------------------------------------------------------- load
def _download(url: str, timeout: float, validate_certs: bool) -> bytes:
    from ansible.module_utils.urls import open_url  # only the URL path needs ansible

    try:
        response = open_url(url, timeout=timeout, validate_certs=validate_certs, http_agent="purecloud.firewall",
                            follow_redirects="safe")
        try:
            return response.read()
        finally:
            response.close()
    except Exception as exc:  # urllib, ssl and socket raise many kinds; the message is what matters
        raise PurecloudFirewallError("cannot download %s: %s" % (url, exc)) from None


def load_feed(src: str, timeout: float = 10.0, cache_dir: Optional[str] = None, cache_ttl: float = 86400,
              validate_certs: bool = True) -> Feed:
    """The checked feed at ``src``: a file (path or ``file://``), or an http(s) URL behind an on-disk cache.

    Files need no network.  For a URL, a cached copy (one file per URL under
    ``cache_dir``) younger than ``cache_ttl`` seconds is used without asking
    the network; otherwise the feed is downloaded, checked and cached.  When
    the download fails (or is not a feed) and a cached copy exists, however
    old, it is used and the result says so in ``_stale``.  ``_age`` is how
    many seconds ago the copy was fetched (or the file written); a cache
    that cannot be written is reported in ``_cache_error``.  None of these
    keys is part of the feed.
    """
    if not isinstance(src, str) or not src.strip():
        raise PurecloudFirewallError("src must be a path or an http(s) URL, got %r" % (src,))
    src = src.strip()
    if not src.lower().startswith(("http://", "https://")):
        path = os.path.expanduser(src[7:] if src.startswith("file://") else src)
        return read_file(path, path, parse_feed)
    return load_cached(src, "ip-ranges", lambda: _download(src, timeout, validate_certs), parse_feed,
                       cache_dir=cache_dir, cache_ttl=cache_ttl)


# ----------------------------------------------------------------- select
def _as_set(name: str, value: Selector) -> Optional[Set[str]]:
    """None for 'everything' (None, "" or []); else the set of names."""
    if value is None or value == "" or (isinstance(value, (list, tuple, set, frozenset)) and not value):
        return None
    if isinstance(value, str):
        return {value}
    if not isinstance(value, (list, tuple, set, frozenset)) or not all(isinstance(v, str) for v in value):
        raise PurecloudFirewallError("%s must be a string or a list of strings, got %r" % (name, value))
    return set(value)


def _check_family(family: object) -> Tuple[str, ...]:
    if family not in FAMILIES:
        raise PurecloudFirewallError("unknown family %r; expected one of: %s" % (family, ", ".join(FAMILIES)))
    return ("ipv4", "ipv6") if family == "both" else (str(family),)


def _values(docs: Iterable[Feed], key: str) -> Set[str]:
    present: Set[str] = set()
    for doc in docs:
        for list_key, _prefix_key, _family, _version in _LISTS:
            present.update(entry[key] for entry in doc[list_key])
    return present


def _check_present(docs: Sequence[Feed], key: str, wanted: Optional[Set[str]]) -> None:
    """Refuse names the feed does not have, listing the ones it has."""
    if not wanted:
        return
    present = _values(docs, key)
    missing = sorted(wanted - present)
    if missing:
        raise PurecloudFirewallError("unknown %s %r (not in the feed); expected one of: %s"
                                     % (key.replace("_", " "), missing[0], ", ".join(sorted(present))))


def _check_prefix(prefix: str, version: int, list_key: str) -> None:
    if ip_version(prefix) != version:
        raise PurecloudFirewallError("bad CIDR %r in %s: expected an IPv%d network" % (prefix, list_key, version))


def select_prefixes(doc: Feed, region: Selector = None, service: Selector = DEFAULT_SERVICE,
                    network_border_group: Selector = None, family: str = "both",
                    aggregate: bool = False) -> List[str]:
    """Prefixes of the given regions, services and border groups, IPv4 first.

    Each selector is a name, a list of names, or None / empty for all.  A
    name the feed does not have is an error listing the ones it has (a typo
    must not silently select nothing).  Without ``aggregate`` the prefixes
    come back as the feed writes them, in feed order, duplicates removed;
    with it, merged into the fewest CIDRs covering the same addresses.
    Every selected prefix is checked to be a CIDR of its list's family.
    """
    regions = _as_set("region", region)
    services = _as_set("service", service)
    groups = _as_set("network_border_group", network_border_group)
    families = _check_family(family)
    chosen: Dict[str, None] = {}  # an ordered set
    wanted_by_key = [(key, wanted) for key, wanted in
                     (("region", regions), ("service", services), ("network_border_group", groups)) if wanted]
    seen: Dict[str, Set[str]] = {key: set() for key, _wanted in wanted_by_key}
    for list_key, prefix_key, fam, version in _LISTS:
        if fam not in families:
            continue
        picked = [entry for entry in doc[list_key]
                  if (regions is None or entry["region"] in regions)
                  and (services is None or entry["service"] in services)
                  and (groups is None or entry["network_border_group"] in groups)]
        for key, names in seen.items():
            names.update(entry[key] for entry in picked)
        prefixes = [entry[prefix_key] for entry in picked]
        # A parse of the few hundred kept, not of the whole feed: a prefix of the wrong
        # family or a malformed one is named here rather than handed to a firewall.
        for prefix in set(prefixes):
            _check_prefix(prefix, version, list_key)
        chosen.update(dict.fromkeys(prefixes))
    # A name that selected nothing may be a typo: the feed is scanned for it only then.
    for key, wanted in wanted_by_key:
        if not wanted <= seen[key]:
            _check_present([doc], key, wanted - seen[key])
    return aggregate_cidrs(list(chosen)) if aggregate else list(chosen)


def feed_metadata(doc: Feed) -> Dict[str, Any]:
    """syncToken, createDate, entry counts, and the regions and services the feed has."""
    meta = {
        "sync_token": doc["syncToken"],
        "create_date": doc["createDate"],
        "ipv4_count": len(doc["prefixes"]),
        "ipv6_count": len(doc["ipv6_prefixes"]),
        "regions": sorted(_values([doc], "region")),
        "services": sorted(_values([doc], "service")),
    }
    if doc.get("_stale"):
        meta["stale"] = doc["_stale"]
    return meta


# ------------------------------------------------------------------- diff
def _keyed(doc: Feed, regions: Optional[Set[str]], services: Optional[Set[str]],
           families: Iterable[str]) -> Dict[Tuple[str, str, str], Set[str]]:
    keyed: Dict[Tuple[str, str, str], Set[str]] = {}
    for list_key, prefix_key, fam, _version in _LISTS:
        if fam not in families:
            continue
        for entry in doc[list_key]:
            if (regions is None or entry["region"] in regions) and (services is None or entry["service"] in services):
                keyed.setdefault((entry["region"], entry["service"], fam), set()).add(entry[prefix_key])
    return keyed


def _sorted(prefixes: Iterable[str]) -> List[str]:
    return sorted(prefixes, key=cidr_sort_key)


def diff_feeds(old: Feed, new: Feed, region: Selector = None, service: Selector = None,
               family: str = "both") -> Dict[str, Any]:
    """Prefixes added and removed between two feed versions, per (region, service, family) and in total.

    ``changes`` holds one entry per key that changed, with a summary like
    ``us-east-1 AMAZON IPv4: +12 / -3 prefixes since 2025-08-21``; the
    totals count a prefix once however many keys it moved in.  A region or
    service is refused only when neither feed has it (regions come and go).
    Prefixes are sorted IPv4 first, then numerically.
    """
    regions, services = _as_set("region", region), _as_set("service", service)
    families = _check_family(family)
    _check_present([old, new], "region", regions)
    _check_present([old, new], "service", services)
    before, after = _keyed(old, regions, services, families), _keyed(new, regions, services, families)
    since = old["createDate"][:10]
    changes = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key, set()), after.get(key, set())
        added, removed = _sorted(now - was), _sorted(was - now)
        if added or removed:
            region_name, service_name, fam = key
            changes.append({
                "region": region_name, "service": service_name, "family": fam,
                "added": added, "removed": removed, "added_count": len(added), "removed_count": len(removed),
                "before_count": len(was), "after_count": len(now),
                "summary": "%s %s %s: +%d / -%d prefixes since %s" % (
                    region_name, service_name, _LABELS[fam], len(added), len(removed), since),
            })
    all_before: Set[str] = set().union(*before.values())
    all_after: Set[str] = set().union(*after.values())
    added_total, removed_total = _sorted(all_after - all_before), _sorted(all_before - all_after)
    return {
        "old": {"sync_token": old["syncToken"], "create_date": old["createDate"]},
        "new": {"sync_token": new["syncToken"], "create_date": new["createDate"]},
        "added": added_total,
        "removed": removed_total,
        "added_count": len(added_total),
        "removed_count": len(removed_total),
        "changes": changes,
        "summary": [change["summary"] for change in changes],
    }
