# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Egress by name: the page's web domains as a Squid allowlist and as a PAC file.

The page's "Domains and IP Addresses" table says where clients go.  The
names a web proxy carries are the table's rows for the organisation's
region, less those that stand for a class no TCP 443 row reaches (the NTP
and STUN names).  The PAC file sends those names through the site's proxy
and the Genesys media blocks DIRECT, as the vendor advises for media.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import IPNetwork, network
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import ports_contain
from ansible_collections.purecloud.firewall.plugins.module_utils.site import cloud_domains

WEB_PORT = 443
MEDIA_CLASS = "genesys_media"
ACL = "purecloud"
# A PAC result: DIRECT, or PROXY/HTTPS/SOCKS host:port, several joined by "; ".
PAC_STEP = re.compile(r"^(DIRECT|(PROXY|HTTPS|SOCKS|SOCKS4|SOCKS5) [A-Za-z0-9.\-\[\]:]+:[0-9]{1,5})$")


@dataclass(frozen=True)
class WebEgress:
    """What a region's clients reach by name over HTTPS, and the media blocks that go around the proxy."""

    region: str
    edition: str
    domains: Tuple[str, ...]        # the page's patterns, region filled in: "*.mypurecloud.com", "time.nist.gov"
    media_networks: Tuple[str, ...]  # the region's Genesys media blocks

    @property
    def header(self) -> str:
        return "purecloud.firewall: PureCloud web domains of %s, edition %s; a managed file, edits are replaced" % (
            self.region, self.edition)


def web_egress(catalog: Catalog, region: str, include_legacy: bool = False,
               include_third_party: bool = True) -> WebEgress:
    """The region's web names: every domain row, less the names of classes that no TCP 443 row reaches."""
    found = catalog.region(region)
    code = found.code
    web_classes = set(
        destination for row in catalog.requirements if row.deprecated is None and row.protocol == "tcp"
        and ports_contain(row.ports, WEB_PORT) for destination in row.destination)
    not_web = set(name for cls, names in cloud_domains(catalog, code).items() if cls not in web_classes
                  for name in names)
    names = [row.domain for row in catalog.domains(code, include_legacy=include_legacy,
                                                   include_third_party=include_third_party)
             if "<" not in row.domain and row.domain not in not_web]
    return WebEgress(region=code, edition=catalog.edition, domains=tuple(dict.fromkeys(names)),
                     media_networks=tuple(catalog.cidrs_for(MEDIA_CLASS, found)))


def squid_domain(pattern: str) -> str:
    """A page pattern as Squid's dstdomain: ``*.x.com`` -> ``.x.com`` (x.com and its sub-domains)."""
    return "." + pattern[2:] if pattern.startswith("*.") else pattern


def _covered(name: str, suffixes: Sequence[str]) -> bool:
    return any(name != suffix and (name == suffix[1:] or name.endswith(suffix)) for suffix in suffixes)


def proxy_names(egress: WebEgress) -> List[str]:
    """The names as Squid's dstdomain writes them, none covered by another (Squid warns on those)."""
    names = sorted(set(squid_domain(d) for d in egress.domains), key=lambda n: (n.lstrip(".").split(".")[::-1], n))
    suffixes = [n for n in names if n.startswith(".")]
    return [n for n in names if not _covered(n, suffixes)]


def squid_allowlist(egress: WebEgress) -> str:
    """The dstdomain ACL file: one name per line."""
    return "\n".join(["# " + egress.header] + proxy_names(egress)) + "\n"


def squid_include(egress: WebEgress, acl_path: str, clients: Sequence[str] = ()) -> str:
    """A squid.conf include that allows the allowlist, from ``clients`` when given.

    Debian's squid.conf reads ``/etc/squid/conf.d/*.conf`` before its own
    ``http_access deny all``, so the allow lands ahead of the deny; its
    ``deny CONNECT !SSL_ports`` still keeps CONNECT to port 443.
    """
    if not isinstance(acl_path, str) or not acl_path.startswith("/") or '"' in acl_path or any(c.isspace() for c in acl_path):
        raise PurecloudFirewallError("acl_path %r must be an absolute path without spaces or quotes" % (acl_path,))
    networks = [str(n) for n in _networks(clients, "clients")]
    lines = ["# " + egress.header, 'acl %s_domains dstdomain "%s"' % (ACL, acl_path)]
    if networks:
        lines.append("acl %s_clients src %s" % (ACL, " ".join(networks)))
        lines.append("http_access allow %s_clients %s_domains" % (ACL, ACL))
    else:
        lines.append("http_access allow %s_domains" % ACL)
    return "\n".join(lines) + "\n"


def _networks(values: Sequence[str], what: str) -> List[IPNetwork]:
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise PurecloudFirewallError("%s must be a list of networks, got %r" % (what, values))
    result = []
    for value in values:
        try:
            result.append(network(value))
        except PurecloudFirewallError:
            raise PurecloudFirewallError("%s: %r is not a network or address (198.51.100.0/24, 2001:db8::/32)"
                                         % (what, value)) from None
    return result


def _pac_route(value: str, what: str) -> str:
    steps = [step.strip() for step in str(value).split(";") if step.strip()] if isinstance(value, str) else []
    if not steps or not all(PAC_STEP.match(step) for step in steps):
        raise PurecloudFirewallError('%s %r: give DIRECT or "PROXY host:port" (several joined by "; ")' % (what, value))
    return "; ".join(steps)


def pac_file(egress: WebEgress, proxy: str, default: str = "DIRECT", direct: Sequence[str] = ()) -> str:
    """A PAC file: the web names through ``proxy``, the media blocks (and ``direct`` networks) DIRECT.

    Only a host written as an address is tested against the networks, so the
    file never makes the browser resolve a name just to choose a route.
    """
    proxy_route, default_route = _pac_route(proxy, "proxy"), _pac_route(default, "default")
    networks = _networks(list(egress.media_networks), "media_networks") + _networks(direct, "direct")
    v4 = ['isInNet(host, "%s", "%s")' % (n.network_address, n.netmask) for n in networks if n.version == 4]
    v6 = ['isInNetEx(host, "%s")' % n for n in networks if n.version == 6]
    # The proxy's own names, so the PAC file and Squid agree: ".x" is x and its sub-domains.
    names = []
    for name in proxy_names(egress):
        names.append('host == "%s"' % name.lstrip("."))
        if name.startswith("."):
            names.append('dnsDomainIs(host, "%s")' % name)
    lines = ["// " + egress.header,
             "// Media goes DIRECT (the vendor advises sending it around proxies); the web names go to the proxy.",
             "function FindProxyForURL(url, host) {",
             "  host = host.toLowerCase();"]
    if v4:
        lines += ["  if (/^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$/.test(host) &&",
                  "      (" + " ||\n       ".join(v4) + "))",
                  '    return "DIRECT";']
    if v6:
        lines += ['  if (host.indexOf(":") >= 0 &&', "      (" + " ||\n       ".join(v6) + "))", '    return "DIRECT";']
    lines += ["  if (" + " ||\n      ".join(names) + ")", '    return "%s";' % proxy_route,
              '  return "%s";' % default_route, "}"]
    return "\n".join(lines) + "\n"


def egress_files(catalog: Catalog, region: str, proxy: Optional[str] = None, acl_path: str = "",
                 clients: Sequence[str] = (), default: str = "DIRECT", direct: Sequence[str] = (),
                 include_legacy: bool = False, include_third_party: bool = True) -> Dict[str, object]:
    """The three files for a region, with the names and networks they were made from."""
    egress = web_egress(catalog, region, include_legacy=include_legacy, include_third_party=include_third_party)
    acl_path = acl_path or "/etc/squid/purecloud/%s.domains" % egress.region
    result: Dict[str, object] = {
        "region": egress.region, "edition": egress.edition, "domains": list(egress.domains),
        "media_networks": list(egress.media_networks), "squid_acl_path": acl_path,
        "squid_acl": squid_allowlist(egress), "squid_conf": squid_include(egress, acl_path, clients)}
    if proxy is not None:
        result["pac"] = pac_file(egress, proxy, default=default, direct=direct)
    return result
