# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The on-disk cache both IP-range feeds share (AWS's ip-ranges.json, Genesys Cloud's ipranges).

A feed fetched from the network is kept, one file per source, and used
without asking the network while it is younger than the time to live.  When
a fetch fails and a copy exists, the copy stands in, however old, and says
so; every loaded feed says how old it is (``_age``, in seconds since it was
fetched, or since a feed file was written), so callers can refuse a copy
that is too old.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import Any, Callable, Dict, Optional

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError

DEFAULT_CACHE_DIR = "~/.cache/purecloud.firewall"
Parse = Callable[[bytes, str], Dict[str, Any]]


def cache_path(kind: str, src: str, cache_dir: Optional[str]) -> str:
    directory = os.path.expanduser(cache_dir or DEFAULT_CACHE_DIR)
    return os.path.join(directory, "%s-%s.json" % (kind, hashlib.sha256(src.encode("utf-8")).hexdigest()[:16]))


def read_file(path: str, origin: str, parse: Parse) -> Dict[str, Any]:
    """A feed file, parsed, with its age (since the file was written)."""
    try:
        with open(path, "rb") as handle:
            body = handle.read()
        age = max(0.0, time.time() - os.path.getmtime(path))
    except OSError as exc:
        raise PurecloudFirewallError("cannot read feed %s: %s" % (origin, exc.strerror or exc)) from None
    doc = parse(body, origin)
    doc["_age"] = age
    return doc


def write_cache(cache: str, body: bytes) -> Optional[str]:
    """Store ``body`` atomically; a failure is reported, not raised (the download itself succeeded)."""
    partial = "%s.%d.tmp" % (cache, os.getpid())
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(partial, "wb") as handle:
            handle.write(body)
        os.replace(partial, cache)
    except OSError as exc:
        try:
            os.unlink(partial)
        except OSError:
            pass
        return "could not cache the feed in %s: %s" % (os.path.dirname(cache), exc.strerror or exc)
    return None


def load_cached(src: str, kind: str, download: Callable[[], bytes], parse: Parse,
                cache_dir: Optional[str] = None, cache_ttl: float = 86400) -> Dict[str, Any]:
    """The feed ``download`` fetches for ``src``, through the cache.

    A copy younger than ``cache_ttl`` seconds is used without fetching.  A
    failed fetch (or an answer that does not parse) falls back to the copy,
    and ``_stale`` says why; with no copy the error is raised.  A cache that
    cannot be written is reported in ``_cache_error``.
    """
    cache = cache_path(kind, src, cache_dir)
    try:
        age: Optional[float] = max(0.0, time.time() - os.path.getmtime(cache))
    except OSError:
        age = None
    origin = "cached copy of %s (%s)" % (src, cache)
    if age is not None and age < cache_ttl:
        try:
            return read_file(cache, origin, parse)
        except PurecloudFirewallError:
            pass  # a damaged copy is replaced by a fresh fetch below
    try:
        body = download()
        doc = parse(body, src)
    except PurecloudFirewallError as exc:
        if age is None:
            raise
        try:
            doc = read_file(cache, origin, parse)
        except PurecloudFirewallError as cache_exc:
            raise PurecloudFirewallError("%s; and the cached copy is unusable: %s" % (exc, cache_exc)) from None
        doc["_stale"] = "download failed, using the cached copy of %s from %s: %s" % (
            src, time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(time.time() - doc["_age"])), exc)
        return doc
    doc["_age"] = 0.0
    problem = write_cache(cache, body)
    if problem:
        doc["_cache_error"] = problem
    return doc


def describe_age(seconds: float) -> str:
    """``3.2 days``, ``5 hours``, ``12 minutes``: how old a copy is, for a message."""
    if seconds >= 86400:
        return "%.1f days" % (seconds / 86400)
    if seconds >= 3600:
        return "%d hours" % (seconds // 3600)
    return "%d minutes" % (seconds // 60)
