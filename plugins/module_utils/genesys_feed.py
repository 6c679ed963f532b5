# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Genesys Cloud's own IP feed: ``GET /api/v2/ipranges`` on the region's API host.

The protocol is the one the vendor's SDKs speak: an OAuth client-credentials
token from ``https://login.<domain>/oauth/token`` (HTTP Basic with the
client id and secret, ``grant_type=client_credentials``), then the listing
with ``Authorization: Bearer <token>``.  The listing is one page,
``{"entities": [{"cidr", "service", "region", "direction"}, ...]}``;
``direction`` is the traffic's direction seen from Genesys Cloud (inbound
to it, outbound from it, or both), and older answers have none.

Every failure names the region and the step (token, listing, answer); a
partial or malformed answer is refused whole, never half used.  The secret
never appears in a message, a cache file or a result.
"""

from __future__ import annotations

import json
import os
import time
from http.client import IncompleteRead
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Set
from urllib.parse import urlsplit, urlunsplit

from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import aggregate_cidrs, parse_cidr, validate_cidr
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.feed_cache import load_cached, read_file

# The variables the vendor's own tools (the Terraform provider, the gc CLI) read.
ENV_CLIENT_ID = "GENESYSCLOUD_OAUTHCLIENT_ID"
ENV_CLIENT_SECRET = "GENESYSCLOUD_OAUTHCLIENT_SECRET"
ENV_ACCESS_TOKEN = "GENESYSCLOUD_ACCESS_TOKEN"
IPRANGES_PATH = "/api/v2/ipranges"
DIRECTIONS = ("inbound", "outbound", "both")
# Statuses worth another try, as the vendor's SDKs retry them; a longer Retry-After is cut to the maximum.
RETRY_STATUSES = (429, 500, 502, 503, 504)
RETRY_AFTER_MAX = 10.0

Feed = Dict[str, Any]


def ipranges_url(domain: str) -> str:
    return "https://api.%s%s" % (domain, IPRANGES_PATH)


def token_url_for(api_url: str) -> str:
    """The login host the SDKs derive from the API host: ``//api.`` becomes ``//login.``."""
    parts = urlsplit(api_url)
    host = parts.hostname or ""
    if not host.startswith("api."):
        raise PurecloudFirewallError("cannot derive the token URL from %s (its host does not start with api.); "
                                     "give token_url" % api_url)
    netloc = "login." + parts.netloc[len("api."):]
    return urlunsplit((parts.scheme, netloc, "/oauth/token", "", ""))


class _Step:
    """One HTTP exchange, whose errors say which region and which step failed."""

    def __init__(self, region: str, step: str, url: str, timeout: float, validate_certs: bool,
                 ca_path: Optional[str], retries: int, sleep: Callable[[float], None]) -> None:
        self.region, self.step, self.url = region, step, url
        self.timeout, self.validate_certs, self.ca_path = timeout, validate_certs, ca_path
        self.retries, self.sleep = retries, sleep

    def fail(self, what: str) -> PurecloudFirewallError:
        return PurecloudFirewallError("Genesys Cloud ipranges for region %s: %s (%s): %s"
                                      % (self.region, self.step, self.url, what))

    def send(self, **request: Any) -> bytes:
        from ansible.module_utils.urls import open_url  # only the network path needs ansible
        from urllib.error import HTTPError

        attempt = 0
        while True:
            attempt += 1
            try:
                response = open_url(self.url, timeout=self.timeout, validate_certs=self.validate_certs,
                                    ca_path=self.ca_path, http_agent="purecloud.firewall", follow_redirects="none",
                                    use_netrc=False, **request)
                try:
                    return response.read()
                finally:
                    response.close()
            except HTTPError as exc:
                said = _error_text(exc)
                # The token endpoint says it is throttled with a 400 (as the vendor's Terraform provider reads it).
                throttled = exc.code == 400 and "rate limit" in said.lower()
                if (exc.code in RETRY_STATUSES or throttled) and attempt <= self.retries:
                    self.sleep(_retry_after(exc))
                    continue
                raise self.fail("HTTP %d %s%s" % (exc.code, exc.reason, said)) from None
            except IncompleteRead as exc:
                raise self.fail("the answer was cut short: %d bytes read, %s more expected"
                                % (len(exc.partial), exc.expected)) from None
            except Exception as exc:  # urllib, ssl, socket and http.client raise many kinds
                text = str(exc) or type(exc).__name__
                if "timed out" in text.lower():
                    text = "no answer within %g s (%s)" % (self.timeout, text)
                raise self.fail(text) from None


def _retry_after(exc: Any) -> float:
    """The seconds the server asks for, 0 to RETRY_AFTER_MAX; 1 when it says nothing usable."""
    try:
        return max(0.0, min(float(exc.headers.get("Retry-After", 1)), RETRY_AFTER_MAX))
    except (TypeError, ValueError, AttributeError):
        return 1.0


def _error_text(exc: Any) -> str:
    """The vendor's error fields (error, error_description, message), never the request."""
    try:
        body = json.loads(exc.read().decode("utf-8", "replace"))
    except Exception:
        return ""
    if not isinstance(body, Mapping):
        return ""
    said = [str(body[k]) for k in ("error", "error_description", "message") if isinstance(body.get(k), str)]
    return ": %s" % "; ".join(said) if said else ""


def parse_ipranges(body: Any, origin: str) -> Feed:
    """Check an ipranges answer whole: a JSON object whose ``entities`` each have a valid ``cidr``."""
    if isinstance(body, (bytes, bytearray)):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PurecloudFirewallError("%s is not UTF-8 text: %s" % (origin, exc)) from None
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError as exc:
            raise PurecloudFirewallError("%s is not complete JSON (a truncated answer?): %s" % (origin, exc)) from None
    if not isinstance(body, Mapping) or not isinstance(body.get("entities"), list):
        raise PurecloudFirewallError("%s: expected a JSON object with an 'entities' list (an IpAddressRangeListing)"
                                     % origin)
    entities = []
    for index, entry in enumerate(body["entities"]):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("cidr"), str):
            raise PurecloudFirewallError("%s: entities[%d] must be an object with a cidr, got %r" % (origin, index, entry))
        try:
            cidr = validate_cidr(entry["cidr"])
        except PurecloudFirewallError as exc:
            raise PurecloudFirewallError("%s: entities[%d]: %s" % (origin, index, exc)) from None
        for key in ("service", "region", "direction"):
            if entry.get(key) is not None and not isinstance(entry[key], str):
                raise PurecloudFirewallError("%s: entities[%d].%s must be a string, got %r"
                                             % (origin, index, key, entry[key]))
        entities.append({"cidr": cidr, "service": entry.get("service"), "region": entry.get("region"),
                         "direction": entry.get("direction")})
    return {"entities": entities}


def load_genesys_feed(region: str, domain: str, src: Optional[str] = None, token_url: Optional[str] = None,
                      client_id: Optional[str] = None, client_secret: Optional[str] = None,
                      access_token: Optional[str] = None, timeout: float = 10.0, retries: int = 2,
                      cache_dir: Optional[str] = None, cache_ttl: float = 86400, validate_certs: bool = True,
                      ca_path: Optional[str] = None, sleep: Callable[[float], None] = time.sleep) -> Feed:
    """The checked ipranges of ``region``: from the region's API (through the cache), or a saved answer.

    ``src`` is a file holding a saved answer (no network), or a URL in place
    of the region's API.  Credentials come from the arguments, else from the
    vendor's environment variables; an access token stands in for both.
    """
    src = (src or "").strip() or ipranges_url(domain)
    if not src.lower().startswith(("http://", "https://")):
        path = os.path.expanduser(src[7:] if src.startswith("file://") else src)
        return read_file(path, path, parse_ipranges)
    common = dict(timeout=timeout, validate_certs=validate_certs, ca_path=ca_path, retries=retries, sleep=sleep)

    def download() -> bytes:
        """The listing, fetched; only here are credentials needed (a fresh cached copy needs none)."""
        token_at = token_url or token_url_for(src)
        for url in (src, token_at):
            _check_url(region, url)
        user, secret = client_id or os.environ.get(ENV_CLIENT_ID), client_secret or os.environ.get(ENV_CLIENT_SECRET)
        given_token = access_token or os.environ.get(ENV_ACCESS_TOKEN)
        if not given_token and not (user and secret):
            raise PurecloudFirewallError(
                "Genesys Cloud ipranges for region %s: no credentials: give an OAuth client (client_id and "
                "client_secret, or the environment variables %s and %s) or an access token (%s)"
                % (region, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_ACCESS_TOKEN))
        token = given_token or _token(region, token_at, user or "", secret or "", common)
        listing = _Step(region, "getting the ip ranges", src, **common)
        body = listing.send(headers={"Authorization": "Bearer %s" % token, "Accept": "application/json"})
        try:
            parse_ipranges(body, "the answer")
        except PurecloudFirewallError as exc:
            raise listing.fail(str(exc)) from None
        return body

    return load_cached(src, "genesys-ipranges", download, parse_ipranges, cache_dir=cache_dir, cache_ttl=cache_ttl)


def _check_url(region: str, url: str) -> None:
    """Credentials go only over HTTPS, and never inside the URL itself (every message names the URL)."""
    parts = urlsplit(url)
    if parts.username or parts.password or "secret" in parts.query.lower() or "token" in parts.query.lower():
        raise PurecloudFirewallError("Genesys Cloud ipranges for region %s: a URL must not carry credentials; give "
                                     "client_id and client_secret, or the environment variables" % region)
    if parts.scheme != "https":
        raise PurecloudFirewallError("Genesys Cloud ipranges for region %s: refusing to send credentials to %s: "
                                     "it is not https" % (region, url))


def _token(region: str, url: str, client_id: str, client_secret: str, common: Mapping[str, Any]) -> str:
    step = _Step(region, "getting a token", url, **common)
    body = step.send(method="POST", data="grant_type=client_credentials", url_username=client_id,
                     url_password=client_secret, force_basic_auth=True,
                     headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    try:
        token = json.loads(body.decode("utf-8")).get("access_token")
    except (ValueError, AttributeError, UnicodeDecodeError):
        token = None
    if not isinstance(token, str) or not token:
        raise step.fail("the answer has no access_token")
    return token


def _as_set(name: str, value: Any, allowed: Optional[Sequence[str]] = None) -> Optional[Set[str]]:
    if value in (None, "", []):
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise PurecloudFirewallError("%s must be a string or a list of strings, got %r" % (name, value))
    for item in values:
        if allowed is not None and item not in allowed:
            raise PurecloudFirewallError("unknown %s %r; expected one of: %s" % (name, item, ", ".join(allowed)))
    return set(values)


def select_genesys(feed: Feed, service: Any = None, direction: Any = None) -> List[Dict[str, Any]]:
    """The entries of the given services and directions (an entry without a direction matches any).

    A service the feed does not have is an error listing the ones it has:
    a typo must not silently select nothing.
    """
    services = _as_set("service", service)
    directions = _as_set("direction", direction, DIRECTIONS)
    present = sorted(set(e["service"] for e in feed["entities"] if e["service"]))
    for name in sorted(services or ()):
        if name not in present:
            raise PurecloudFirewallError("unknown service %r (not in the feed); expected one of: %s"
                                         % (name, ", ".join(present) or "(the feed has no services)"))
    return [e for e in feed["entities"]
            if (services is None or e["service"] in services)
            and (directions is None or e["direction"] is None or e["direction"] in directions)]


def genesys_prefixes(feed: Feed, service: Any = None, direction: Any = None, family: str = "both",
                     aggregate: bool = False) -> List[str]:
    """The selected entries' CIDRs, IPv4 first, duplicates removed (aggregated on request)."""
    if family not in ("ipv4", "ipv6", "both"):
        raise PurecloudFirewallError("unknown family %r; expected one of: ipv4, ipv6, both" % (family,))
    versions = {"ipv4": (4,), "ipv6": (6,), "both": (4, 6)}[family]
    chosen: Dict[str, None] = {}
    for version in versions:
        for entry in select_genesys(feed, service, direction):
            if parse_cidr(entry["cidr"])[0] == version:
                chosen[entry["cidr"]] = None
    return aggregate_cidrs(list(chosen)) if aggregate else list(chosen)


def genesys_metadata(feed: Feed) -> Dict[str, Any]:
    meta = {"count": len(feed["entities"]),
            "services": sorted(set(e["service"] for e in feed["entities"] if e["service"])),
            "directions": sorted(set(e["direction"] for e in feed["entities"] if e["direction"])),
            "regions": sorted(set(e["region"] for e in feed["entities"] if e["region"])),
            "age_seconds": feed.get("_age")}
    if feed.get("_stale"):
        meta["stale"] = feed["_stale"]
    return meta


__all__ = ["ENV_ACCESS_TOKEN", "ENV_CLIENT_ID", "ENV_CLIENT_SECRET", "genesys_metadata", "genesys_prefixes",
           "ipranges_url", "load_genesys_feed", "parse_ipranges", "select_genesys", "token_url_for"]
