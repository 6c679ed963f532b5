# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Strict mode's feeds for a site: AWS's prefixes of the region, and Genesys Cloud's when asked for.

Read on the controller, by every entry point that plans a strict site (the
roles' apply, the reports): a copy older than ``feed_max_age`` days is
refused, saying how old it is, unless ``feed_allow_stale``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import Catalog
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.feed_cache import describe_age
from ansible_collections.purecloud.firewall.plugins.module_utils.genesys_feed import genesys_prefixes, load_genesys_feed
from ansible_collections.purecloud.firewall.plugins.module_utils.ip_ranges import AWS_FEED_URL, load_feed, select_prefixes
from ansible_collections.purecloud.firewall.plugins.module_utils.site import ARGUMENT_SPEC, CLOUD_AWS, catalog_for

# The directions of the vendor feed's entries that a site's flows go to.
TOWARDS_GENESYS = ("inbound", "both")


def check_age(feed: Mapping[str, Any], what: str, settings: Mapping[str, Any], warnings: List[str]) -> None:
    """Refuse a copy older than feed_max_age (days) unless feed_allow_stale; a stand-in copy is a warning."""
    if feed.get("_stale"):
        warnings.append(feed["_stale"])
    max_age = settings.get("feed_max_age")
    max_age = float(ARGUMENT_SPEC["feed_max_age"]["default"] if max_age is None else max_age)
    age = feed.get("_age") or 0.0
    if max_age > 0 and age > max_age * 86400:
        message = ("%s is %s old, older than purecloud_feed_max_age (%g days): refresh it, or set "
                   "purecloud_feed_allow_stale to use it anyway" % (what, describe_age(age), max_age))
        if not settings.get("feed_allow_stale"):
            raise PurecloudFirewallError(message)
        warnings.append(message.split(": refresh", 1)[0] + "; used because purecloud_feed_allow_stale is set")


def strict_feeds(settings: Mapping[str, Any], warnings: List[str],
                 catalog: Optional[Catalog] = None) -> Dict[str, List[str]]:
    """``{"aws_prefixes", "genesys_prefixes"}`` for a strict site (nothing otherwise), to pass to the plan.

    ``catalog`` gives the region's domain (the site's own catalog when None).
    """
    if settings.get("cloud_destinations") != CLOUD_AWS:
        return {}
    region = (catalog or catalog_for(settings)).region(settings.get("region"), "purecloud_region")
    src = settings.get("aws_ip_ranges_src") or AWS_FEED_URL
    aws = load_feed(src)
    check_age(aws, "the AWS feed %s" % src, settings, warnings)
    feeds = {"aws_prefixes": select_prefixes(aws, region=region.code, family="both", aggregate=True)}
    services = settings.get("genesys_ip_ranges_services") or []
    if services:
        genesys = load_genesys_feed(region.code, region.domain, src=settings.get("genesys_ip_ranges_src"),
                                    client_id=settings.get("genesys_client_id"),
                                    client_secret=settings.get("genesys_client_secret"))
        check_age(genesys, "the Genesys Cloud feed of %s" % region.code, settings, warnings)
        feeds["genesys_prefixes"] = genesys_prefixes(genesys, service=services, direction=list(TOWARDS_GENESYS),
                                                     aggregate=True)
    return feeds
