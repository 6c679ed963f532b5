# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every host of a site planned with its own settings, as apply plans it, for the site-wide reports.

A site's hosts are given as host name -> settings (the site_settings lookup
reads them from each host's variables), marked as hosts (``hosts_record``):
one site's settings are a mapping too, and a host may have any name.  Hosts with the same settings are
planned once, together.  Each plan is ``host_product_plans``': what the host
enforces, product by product.  The reports unite these plans and name the
hosts where they differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import HostPlan
from ansible_collections.purecloud.firewall.plugins.module_utils.site import catalog_for, host_product_plans
from ansible_collections.purecloud.firewall.plugins.module_utils.site_feeds import strict_feeds


# The mark of host name -> settings (``kind``), beside them under ``hosts``; a site's settings have no ``kind``.
HOSTS_KIND = "purecloud.firewall.hosts"


@dataclass(frozen=True)
class HostsPlan:
    """What the hosts that share one set of settings enforce, product by product."""

    hosts: Tuple[str, ...]
    settings: Mapping[str, Any]
    catalog: Catalog
    plans: Tuple[Tuple[str, HostPlan], ...]
    warnings: Tuple[str, ...]  # about the feeds; each plan has its own


def hosts_record(hosts: Mapping[str, Mapping[str, Any]]) -> Dict[str, Any]:
    """Host name -> settings, marked as hosts: what the site_settings lookup gives with scope hosts."""
    return {"kind": HOSTS_KIND, "hosts": dict(hosts)}


def hosts_of(given: Any) -> Optional[Dict[str, Dict[str, Any]]]:
    """The hosts of ``given`` (host name -> settings, unset ones dropped), or None when it is one site's settings.

    Hosts come marked (``hosts_record``): any host name may equal a setting's, so the names never decide.
    """
    if not isinstance(given, Mapping) or given.get("kind") != HOSTS_KIND:
        return None
    if not isinstance(given.get("hosts"), Mapping):
        raise PurecloudFirewallError("expected the hosts as host name -> settings under hosts, got %r"
                                     % (given.get("hosts"),))
    if not given["hosts"]:
        raise PurecloudFirewallError("no hosts: the product groups (purecloud_<product>) have none, and no site's "
                                     "settings were given")
    hosts = {}
    for host, settings in given["hosts"].items():
        if not isinstance(settings, Mapping):
            raise PurecloudFirewallError("expected host name -> settings (purecloud.firewall.site_settings with "
                                         "scope hosts), got %r for %s" % (settings, host))
        hosts[str(host)] = dict((key, value) for key, value in settings.items() if value is not None)
    return hosts


def distinct(hosts: Mapping[str, Mapping[str, Any]]) -> List[Tuple[Tuple[str, ...], Mapping[str, Any]]]:
    """(the hosts, their settings) once per distinct set of settings, in the hosts' order."""
    found: Dict[str, Tuple[List[str], Mapping[str, Any]]] = {}
    for host, settings in hosts.items():
        key = json.dumps(settings, sort_keys=True, default=repr)
        found.setdefault(key, ([], settings))[0].append(host)
    return [(tuple(names), settings) for names, settings in found.values()]


def plan_hosts(hosts: Mapping[str, Mapping[str, Any]]) -> List[HostsPlan]:
    """Each distinct set of settings planned once, as its hosts' apply plans it; an error names the hosts."""
    planned = []
    for names, settings in distinct(hosts):
        warnings: List[str] = []
        try:
            catalog = catalog_for(settings)
            plans = host_product_plans(settings, catalog=catalog, **strict_feeds(settings, warnings, catalog))
        except PurecloudFirewallError as exc:
            raise naming(names, exc) from None
        planned.append(HostsPlan(hosts=names, settings=settings, catalog=catalog, plans=tuple(plans),
                                 warnings=tuple(warnings)))
    return planned


def naming(hosts: Sequence[str], exc: Exception) -> PurecloudFirewallError:
    """The error of planning these hosts, naming them."""
    return PurecloudFirewallError("%s %s: %s" % ("host" if len(hosts) == 1 else "hosts", ", ".join(hosts), exc))


def on_hosts(text: str, hosts: Sequence[str]) -> str:
    """``text (on host1, host2)``: a line that holds for these hosts."""
    return "%s (on %s)" % (text, ", ".join(hosts))


def joined(values: Sequence[Any]) -> str:
    """The distinct values, in order, as one text (a site whose hosts all agree shows one)."""
    return ", ".join(str(value) for value in dict.fromkeys(values))


__all__: List[str] = ["HOSTS_KIND", "HostsPlan", "distinct", "hosts_of", "hosts_record", "joined", "naming", "on_hosts", "plan_hosts"]
