# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A site's settings -> the rules one host enforces: the path every role shares.

``plan_site`` takes the public settings (the ``purecloud_*`` variables, as
the ``apply`` action passes them), selects the products' requirements,
resolves their options and ports, compiles them against the site's
networks and keeps the rules this host enforces in its mode.  Everything a
user can get wrong is refused here, before any host is touched, with the
variable named.  ``render_site`` turns the plan into one module call.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.catalog import (
    Catalog, Region, Requirement, SelectOptions, load_catalog)
from ansible_collections.purecloud.firewall.plugins.module_utils.catalog_names import (
    DEFAULT_EDITION, EDITIONS, PRODUCTS)
from ansible_collections.purecloud.firewall.plugins.module_utils.cidrs import network
from ansible_collections.purecloud.firewall.plugins.module_utils.compile import compile_rules
from ansible_collections.purecloud.firewall.plugins.module_utils.dns_sets import (
    DEFAULT_TTL, DnsPlan, dns_plan, dnsmasq_conf, nft_set_name)
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError, choices_error
from ansible_collections.purecloud.firewall.plugins.module_utils.host_backend import MANAGEMENT_OPTION, Management
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import (
    ANY, NO_NETWORKS, Compiled, HostPlan, Rule)
from ansible_collections.purecloud.firewall.plugins.module_utils.render_firewalld import render_state
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import (
    PLATFORMS, backend_for_network_os, check_controller_packages, platform_options, renderer_for)
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import DeviceConfig, DeviceRenderer
from ansible_collections.purecloud.firewall.plugins.module_utils.ports import split_protocol_port
from ansible_collections.purecloud.firewall.plugins.module_utils.render_nft import render_dns_guard, render_table

MODES = ("gateway", "host")
POLICIES = ("drop", "accept")
BACKENDS = ("firewalld", "nftables")
NETWORK_BACKENDS = tuple(sorted(PLATFORMS))
CLOUD_ANY, CLOUD_AWS, CLOUD_DOMAINS = "any", "aws_ip_ranges", "domains"
PORT_VARIABLES = ("phone_rtp_ports", "sip_provider_sip_ports", "sip_provider_rtp_ports", "byoc_cloud_sip_ports")
VARIABLE_PREFIX = "purecloud_"


def _bool(settings: Mapping[str, Any], name: str) -> bool:
    value = settings.get(name, False)
    if not isinstance(value, bool):
        raise PurecloudFirewallError("%s%s must be true or false, got %r" % (VARIABLE_PREFIX, name, value))
    return value


def _choice(settings: Mapping[str, Any], name: str, allowed: Sequence[str], default: Optional[str]) -> Optional[str]:
    value = settings.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise choices_error("%s%s" % (VARIABLE_PREFIX, name), value, allowed)
    return value


def select_options(settings: Mapping[str, Any]) -> SelectOptions:
    """The catalog selection the settings ask for: optional rows off unless switched on."""
    ports = dict((name, settings[name]) for name in PORT_VARIABLES if settings.get(name) is not None)
    overrides = settings.get("port_overrides") or {}
    if not isinstance(overrides, Mapping):
        raise PurecloudFirewallError("%sport_overrides must be a mapping of requirement id to ports, got %r"
                                     % (VARIABLE_PREFIX, overrides))
    given = [(name, ports[name]) for name in ports] + [("port_overrides.%s" % rid, overrides[rid]) for rid in overrides]
    for where, value in given:
        for spec in value if isinstance(value, (list, tuple)) else [value]:
            try:
                split_protocol_port(spec)
            except PurecloudFirewallError as exc:
                raise PurecloudFirewallError("%s%s: %s" % (VARIABLE_PREFIX, where, exc)) from None
    return SelectOptions(include_legacy=_bool(settings, "legacy_provisioning"),
                         include_backward_compat=_bool(settings, "turn_backward_compat"),
                         include_conditional_ldap=_bool(settings, "ldap"),
                         include_internal_dns_exempt=not _bool(settings, "internal_dns"),
                         port_variables=ports, port_overrides=dict(overrides))


def _everything(options: SelectOptions) -> SelectOptions:
    """The same selection with every optional row kept: what the options left out is the difference."""
    return SelectOptions(port_variables=options.port_variables, port_overrides=options.port_overrides)


def catalog_for(settings: Mapping[str, Any]) -> Catalog:
    """The catalog a site's settings ask for: its edition, with its overlays."""
    return load_catalog(edition=settings.get("catalog_edition"), overlays=settings.get("catalog_overlays"))


def _cloud_destinations(value: Any) -> Any:
    """``any``, ``aws_ip_ranges``, ``domains`` or a list of CIDRs; a word that is none of them names the choices."""
    if value in (None, CLOUD_ANY, CLOUD_AWS, CLOUD_DOMAINS):
        return value or CLOUD_ANY
    if isinstance(value, str) and not any(ch.isdigit() or ch == ":" for ch in value):
        raise choices_error("%scloud_destinations" % VARIABLE_PREFIX, value,
                            (CLOUD_ANY, CLOUD_AWS, CLOUD_DOMAINS, "<a list of CIDRs>"))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise PurecloudFirewallError("%scloud_destinations must be 'any', 'aws_ip_ranges' or a list of CIDRs, got %r"
                                     % (VARIABLE_PREFIX, value))
    return list(value)


def cloud_networks(catalog: Catalog, region: Region, cloud_destinations: Any,
                   aws_prefixes: Optional[Sequence[str]], genesys_prefixes: Optional[Sequence[str]] = None
                   ) -> Dict[str, Any]:
    """Networks of the cloud classes for ``cloud_destinations``.

    Strict mode gives the classes on AWS the region's AWS prefixes (and the
    vendor feed's, when asked for); a list of CIDRs is exactly those for
    every cloud class.  The classes with CIDR sets follow in ``cloud_sets``.
    """
    destinations = _cloud_destinations(cloud_destinations)
    if destinations in (CLOUD_ANY, CLOUD_DOMAINS):
        return {}  # domains: the addresses stay any; a platform with FQDN objects names the domains instead
    if destinations != CLOUD_AWS:
        return dict((cls, list(destinations)) for cls in catalog.cloud_classes)
    if not aws_prefixes:
        raise PurecloudFirewallError("%scloud_destinations is aws_ip_ranges but the feed gave no prefixes for "
                                     "the region %s" % (VARIABLE_PREFIX, region.code))
    prefixes = list(aws_prefixes) + [p for p in genesys_prefixes or [] if p not in aws_prefixes]
    return dict((cls, prefixes) for cls in catalog.cloud_classes if catalog.endpoint_classes[cls].ip_ranges == "aws")


def cloud_domains(catalog: Catalog, region: str) -> Dict[str, Tuple[str, ...]]:
    """Each remote class that has domains, to the names that stand for it in the region (legacy ones left out)."""
    found: Dict[str, Tuple[str, ...]] = {}
    for name, cls in catalog.endpoint_classes.items():
        names = list(cls.domains)
        if cls.domain_owners:
            names += [row.domain for row in catalog.domains(region, owners=cls.domain_owners, include_legacy=False)
                      if "<" not in row.domain]  # a pattern for the customer's own prefix is no name
        if names and cls.location != "site":
            found[name] = tuple(dict.fromkeys(names))
    return found


AUTO_ROLLBACK = 120  # seconds: time for the run to reconnect and confirm, short enough to wait out


def rollback_timeout(settings: Mapping[str, Any], plan: HostPlan, backend: str) -> int:
    """The rollback timer of a Linux host's apply: as given (0 off), else on where the change could cut the
    session: a host whose own input is dropped, or a firewalld gateway, whose zones by source filter what
    reaches the gateway itself too."""
    value = settings.get("rollback_timeout")
    if value is None:
        own_input = plan.mode == "host" and plan.default_policy == "drop"
        cuts = own_input or (backend == "firewalld" and plan.mode == "gateway")
        return AUTO_ROLLBACK if cuts else 0
    return _rollback_seconds(value)


def _rollback_seconds(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3600:
        raise PurecloudFirewallError("%srollback_timeout is %r: seconds until the host restores its previous rules "
                                     "unless the run confirms, 1 to 3600, or 0 for none" % (VARIABLE_PREFIX, value))
    return value


def device_confirm(settings: Mapping[str, Any], renderer: DeviceRenderer,
                   warnings: List[str]) -> Optional[Dict[str, Any]]:
    """The confirmed commit of a device's change: minutes until the device rolls it back unless confirmed.

    Off unless ``rollback_timeout`` is given: the collection's lists filter what the device forwards, and bind to
    no interface of their own (the device's config does), so a change cuts the session only where the site bound
    a list on the management path; then the site sets the timer.  A platform whose module has no confirmed commit
    applies for good, with a warning; the device's timers count whole minutes.
    """
    value = settings.get("rollback_timeout")
    seconds = 0 if value is None else _rollback_seconds(value)
    if not seconds:
        return None
    if not renderer.confirms:
        warnings.append("%srollback_timeout is %d, but %s has no confirmed commit its module can ask for: the "
                        "change is applied for good (docs/NETWORK.md, confirmed commits)"
                        % (VARIABLE_PREFIX, seconds, renderer.label or renderer.name))
        return None
    return {"minutes": -(-seconds // 60), "seconds": seconds, "how": renderer.confirms}


def check_management(value: Any) -> None:
    """The management allowance, checked on the controller as the host's module would check it."""
    if value is not None and not isinstance(value, Mapping):
        raise PurecloudFirewallError("%smanagement must be a mapping with sources and port, got %r"
                                     % (VARIABLE_PREFIX, value))
    Management(value, where="%smanagement" % VARIABLE_PREFIX)


def check_destinations(settings: Mapping[str, Any], backend: str, plan: HostPlan) -> None:
    """``domains`` on a Linux backend: DNS-fed sets, which need the site's clients to resolve through dnsmasq.

    So the DNS rows go (``internal_dns``), everything else is refused (a drop policy), and dnsmasq has resolvers
    to ask; in host mode only the host's own outbound flows can be held to its lookups (egress filtering).
    """
    if plan.dns is None:
        return
    problems = []
    if plan.mode == "host" and not plan.egress_filtering:
        problems.append("%segress_filtering: true (a host holds only its outbound flows to its lookups)"
                        % VARIABLE_PREFIX)
    if not settings.get("internal_dns"):
        problems.append("%sinternal_dns: true (clients resolve through this host's dnsmasq, so the DNS rows to any "
                        "resolver go)" % VARIABLE_PREFIX)
    if plan.default_policy != "drop":
        problems.append("%sdefault_policy: drop (with %s, an address no lookup returned is let through anyway)"
                        % (VARIABLE_PREFIX, plan.default_policy))
    if not plan.dns.upstreams:
        problems.append("%sdns_upstream: the resolvers dnsmasq forwards to, e.g. ['198.51.100.53']" % VARIABLE_PREFIX)
    if problems:
        raise PurecloudFirewallError(
            "%scloud_destinations: domains on %s resolves the cloud's names through dnsmasq into the firewall's sets "
            "and needs: %s" % (VARIABLE_PREFIX, backend, "; ".join(problems)))


def cloud_sets(catalog: Catalog, region: Region, networks: Dict[str, Any]) -> List[str]:
    """Once the cloud is narrowed (strict mode, or networks given for it), each class with CIDR sets takes
    the region's sets, never any address: in addition to the cloud's, never instead.  Returns the classes
    the catalog has no set for in the region.
    """
    on_aws = [c for c in catalog.cloud_classes if catalog.endpoint_classes[c].ip_ranges == "aws"]
    if all(networks.get(cls, ANY) == ANY for cls in on_aws):
        return []
    missing = []
    for cls in catalog.cloud_classes:
        if catalog.endpoint_classes[cls].ip_ranges == "cidr_sets" and cls not in networks:
            cidrs = catalog.cidrs_for(cls, region)
            if cidrs:
                networks[cls] = cidrs
            else:
                missing.append(cls)
    return missing


def _host_class(catalog: Catalog, products: Sequence[str], rows: Sequence[Requirement],
                given: Optional[str]) -> str:
    classes = sorted(set(cls for row in rows for cls in row.source + row.destination
                         if cls in catalog.site_classes))
    if given:
        if given not in classes:
            raise choices_error("%shost_class for products %s" % (VARIABLE_PREFIX, ", ".join(products)),
                                given, classes)
        return given
    devices = sorted(set(cls for product in products for cls in catalog.products[product].get("devices", [])))
    if len(devices) == 1:
        return devices[0]
    raise PurecloudFirewallError("host mode needs %shost_class for products %s: the endpoint class this host "
                                 "plays, one of: %s" % (VARIABLE_PREFIX, ", ".join(products), ", ".join(classes)))


def _check_networks(catalog: Catalog, networks: Any) -> Dict[str, Any]:
    if networks is None:
        return {}
    if not isinstance(networks, Mapping):
        raise PurecloudFirewallError("%snetworks must be a mapping of endpoint class to a list of CIDRs, got %r"
                                     % (VARIABLE_PREFIX, networks))
    for cls in networks:
        if cls not in catalog.endpoint_classes:
            raise choices_error("endpoint class in %snetworks" % VARIABLE_PREFIX, cls, catalog.endpoint_classes)
    return dict(networks)


def host_bit_warnings(networks: Any) -> Tuple[str, ...]:
    """A network written with host bits set (198.51.100.129/28) is read as its network: say so, naming it."""
    found = []
    for cls, cidrs in (networks.items() if isinstance(networks, Mapping) else []):
        for cidr in cidrs if isinstance(cidrs, (list, tuple)) else [cidrs]:
            text = str(cidr).strip()
            try:
                parsed = network(text)
            except PurecloudFirewallError:
                continue  # a bad CIDR fails where the rules are compiled, naming it
            if "/" in text and parsed.network_address != network(text.split("/", maxsplit=1)[0]).network_address:
                found.append("%snetworks.%s has %s, which has host bits set: it is read as %s"
                             % (VARIABLE_PREFIX, cls, text, parsed))
    return tuple(found)


def _enforced(rules: Sequence[Rule], site_classes: Sequence[str], mode: str,
              host_class: Optional[str], egress_filtering: bool) -> Tuple[Rule, ...]:
    """The compiled rules this host enforces: on a gateway, those with a site end; on a host, its own.

    A flow between two remote ends (a carrier's SIP trunk to the BYOC Cloud)
    never crosses the site's gateway.
    """
    if mode == "gateway":
        return tuple(rule for rule in rules
                     if rule.source_class in site_classes or rule.destination_class in site_classes)
    return tuple(rule for rule in rules if rule.destination_class == host_class
                 or (egress_filtering and rule.source_class == host_class))


def site_products(catalog: Catalog, products: Any) -> List[str]:
    """The products a setting names, checked against the catalog's (the near miss named)."""
    if isinstance(products, str):
        products = [products]
    if not products or not isinstance(products, (list, tuple)):
        raise PurecloudFirewallError("no products given; expected a list of: %s" % ", ".join(catalog.role_products()))
    products = list(dict.fromkeys(products))
    for product in products:
        if product not in catalog.role_products():
            raise choices_error("product", product, catalog.role_products())
    return products


def inventory_products(catalog: Catalog, declared: Any, groups: Any) -> List[str]:
    """The products a host or a site carries: the declared ones (checked), and those of its inventory groups.

    ``groups`` is the names of the groups a host is in (``group_names``), or
    the inventory's group -> hosts mapping (``groups``), where only groups
    with hosts count.  A product's group is ``purecloud_<product>``.
    """
    declared = site_products(catalog, declared) if declared else []
    if isinstance(groups, Mapping):
        groups = [name for name, hosts in groups.items() if hosts]
    if not isinstance(groups, (list, tuple)):
        raise PurecloudFirewallError("expected group names or the inventory's groups, got %r" % (groups,))
    grouped = set(str(name)[len(VARIABLE_PREFIX):] for name in groups if str(name).startswith(VARIABLE_PREFIX))
    return [p for p in catalog.role_products() if p in declared or p in grouped]


def plan_site(settings: Mapping[str, Any], aws_prefixes: Optional[Sequence[str]] = None,
              catalog: Optional[Catalog] = None, genesys_prefixes: Optional[Sequence[str]] = None) -> HostPlan:
    """Check the settings and compile the rules this host enforces.

    ``settings`` holds the public variables without their ``purecloud_``
    prefix (``products``, ``region``, ``mode``, ``networks``, ...).  The
    plan's ``rules`` are those enforced here, ``excluded`` the rules of the
    rows the options leave out, ``skipped`` the rows nothing resolves yet.
    """
    catalog = catalog or catalog_for(settings)
    products = site_products(catalog, settings.get("products"))
    region = catalog.region(settings.get("region"), "%sregion" % VARIABLE_PREFIX)
    mode = _choice(settings, "mode", MODES, "gateway")
    default_policy = _choice(settings, "default_policy", POLICIES, "drop" if mode == "gateway" else "accept")
    egress_filtering = _bool(settings, "egress_filtering")
    if egress_filtering and mode != "host":
        raise PurecloudFirewallError("%segress_filtering is for host mode; a gateway filters both directions of "
                                     "what it forwards" % VARIABLE_PREFIX)

    options = select_options(settings)
    rows = catalog.select(products, options)
    kept_ids = set((row.id, row.product) for row in rows)
    left_out = [row for row in catalog.select(products, _everything(options))
                if (row.id, row.product) not in kept_ids]
    host_class = _host_class(catalog, products, rows, settings.get("host_class")) if mode == "host" else None

    networks = cloud_networks(catalog, region, settings.get("cloud_destinations"), aws_prefixes, genesys_prefixes)
    networks.update(_check_networks(catalog, settings.get("networks")))
    unknown = cloud_sets(catalog, region, networks)
    if mode == "host" and host_class not in networks:
        networks[host_class] = ANY  # this host; its own address needs no listing
    relevant = rows if mode == "gateway" else [
        row for row in rows if host_class in row.destination or (egress_filtering and host_class in row.source)]
    used = set(cls for row in relevant for cls in row.source + row.destination)
    needed = sorted(cls for cls in used if cls in catalog.needed_classes and cls not in networks)
    if needed:
        raise PurecloudFirewallError(
            "%snetworks has no %s: %s mode needs the networks of every site class the flows of %s use"
            % (VARIABLE_PREFIX, ", ".join(needed), mode, ", ".join(products)))
    unknown = [cls for cls in unknown if cls in used]
    if unknown:
        raise PurecloudFirewallError(
            "the cloud's addresses are narrowed (%scloud_destinations, or %snetworks for a cloud class), but the "
            "catalog (edition %s) has no addresses of %s for region %s (%s): no source gives them. Add a CIDR set "
            "with a catalog overlay (purecloud_catalog_overlays, see docs/catalog.md), give %snetworks.%s, or "
            "leave the cloud at any address" % (VARIABLE_PREFIX, VARIABLE_PREFIX, catalog.edition,
                                                ", ".join(unknown), region.code, region.kind or "kind not given",
                                                VARIABLE_PREFIX, unknown[0]))

    compiled = compile_rules(rows, networks, required=catalog.required_classes)
    excluded = compile_rules(left_out, networks, required=catalog.required_classes)
    rules = _enforced(compiled.rules, catalog.site_classes, mode, host_class, egress_filtering)
    dns, warnings = None, host_bit_warnings(settings.get("networks")) + _warnings(compiled)
    if _cloud_destinations(settings.get("cloud_destinations")) == CLOUD_DOMAINS:
        dns = dns_plan(rules, cloud_domains(catalog, region.code), settings.get("dns_upstream"),
                       settings.get("dns_ttl", DEFAULT_TTL))
        if not dns.names:
            warnings += ("%scloud_destinations is domains, but no TCP flow of %s goes to a class with domains: "
                         "no address is held to a lookup" % (VARIABLE_PREFIX, ", ".join(products)),)
    return HostPlan(products=tuple(products), region=region.code, mode=mode, host_class=host_class,
                    default_policy=default_policy, egress_filtering=egress_filtering, requirements=tuple(rows),
                    rules=rules,
                    excluded=_enforced(excluded.rules, catalog.site_classes, mode, host_class, egress_filtering),
                    skipped=compiled.skipped, warnings=warnings, catalog=catalog.info(), dns=dns)


def removal_plan(settings: Mapping[str, Any], catalog: Catalog) -> HostPlan:
    """What ``state: absent`` applies: no rule; the backend removes everything the collection owns."""
    mode = _choice(settings, "mode", MODES, "gateway")
    return HostPlan(products=tuple(site_products(catalog, settings.get("products"))),
                    region=str(settings.get("region") or ""), mode=mode, host_class=None,
                    default_policy=_choice(settings, "default_policy", POLICIES, "accept"),
                    egress_filtering=False, requirements=(), rules=(), excluded=(), skipped=(), warnings=(),
                    catalog=catalog.info())


def plan_products(settings: Mapping[str, Any], aws_prefixes: Optional[Sequence[str]] = None,
                  catalog: Optional[Catalog] = None, genesys_prefixes: Optional[Sequence[str]] = None
                  ) -> List[Tuple[str, HostPlan]]:
    """(product, plan) for each product on its own, as a gateway sees it.

    Network devices keep one list per product, and reports and change
    summaries speak per product; they all plan this way.
    """
    catalog = catalog or catalog_for(settings)
    return [(product, plan_site(dict(settings, products=[product], mode="gateway", egress_filtering=False),
                                aws_prefixes=aws_prefixes, catalog=catalog, genesys_prefixes=genesys_prefixes))
            for product in site_products(catalog, settings.get("products"))]


def host_product_plans(settings: Mapping[str, Any], aws_prefixes: Optional[Sequence[str]] = None,
                       catalog: Optional[Catalog] = None, genesys_prefixes: Optional[Sequence[str]] = None
                       ) -> List[Tuple[str, HostPlan]]:
    """(product, plan) of what one host enforces with its settings, each of its products on its own.

    A network device's are its ACLs' (``plan_products``).  A Linux host is planned whole first, as apply plans
    it (its mode, the same refusals); a gateway's products are then planned as ``plan_products`` plans them,
    and a host in host mode (or a platform that filters one host) plans, in host mode and with the class the
    whole plan found, each product that has flows of that class.  Together they hold the whole plan's rules,
    told apart by product.
    """
    catalog = catalog or catalog_for(settings)
    backend = settings.get("backend") or "auto"
    if backend in NETWORK_BACKENDS:
        if check_device(settings, backend).mode == "gateway":
            return plan_products(settings, aws_prefixes=aws_prefixes, catalog=catalog,
                                 genesys_prefixes=genesys_prefixes)
        settings = dict(settings, mode="host")  # a platform that filters one host (Windows)
    whole = plan_site(settings, aws_prefixes=aws_prefixes, catalog=catalog, genesys_prefixes=genesys_prefixes)
    if backend in BACKENDS:
        check_destinations(settings, backend, whole)
    if whole.mode == "gateway":
        return plan_products(settings, aws_prefixes=aws_prefixes, catalog=catalog, genesys_prefixes=genesys_prefixes)
    touched = set(row.product for row in whole.requirements if whole.host_class in row.source + row.destination)
    return [(product, plan_site(dict(settings, products=[product], host_class=whole.host_class),
                                aws_prefixes=aws_prefixes, catalog=catalog, genesys_prefixes=genesys_prefixes))
            for product in whole.products if product in touched]


def _warnings(compiled: Compiled) -> Tuple[str, ...]:
    """One warning per skipped requirement, naming the variables that would bring it in.

    A row from "sip_provider or pbx" that resolved for one of them is not
    reported for the other: a site may have only one.
    """
    applied = set(rid for rule in compiled.rules for rid in rule.ids)
    missing: Dict[str, List[str]] = {}
    warnings = []
    for skip in compiled.skipped:
        if skip.kind == NO_NETWORKS:
            if skip.id not in applied:
                missing.setdefault(skip.id, []).append(skip.missing)
            continue
        warnings.append("requirement %s skipped: no ports: set %s%s" % (skip.id, VARIABLE_PREFIX, skip.missing))
    for rid, classes in missing.items():
        warnings.append("requirement %s skipped: no networks for %s; set %s" % (
            rid, " or ".join(classes), " or ".join("%snetworks.%s" % (VARIABLE_PREFIX, c) for c in classes)))
    return tuple(sorted(warnings))


def network_backend(backend: Optional[str], network_os: Optional[str]) -> Optional[str]:
    """The network backend a host takes, set or found from ``ansible_network_os``; None for a Linux host."""
    if backend in NETWORK_BACKENDS:
        return backend
    if (backend or "auto") == "auto" and network_os:
        found = backend_for_network_os(network_os)
        if found is None:
            raise PurecloudFirewallError(
                "ansible_network_os %r is not a platform the collection renders for; set "
                "%sfirewall_backend to one of: %s" % (network_os, VARIABLE_PREFIX, ", ".join(NETWORK_BACKENDS)))
        return found
    return None


def check_network_packages(settings: Mapping[str, Any], backend: str, network_os: Optional[str]) -> None:
    """The Python packages the platform's rendering needs, on the controller; missing ones named after what chose
    the platform, the variable or the device's ``ansible_network_os``."""
    chosen = ("%sfirewall_backend %s" % (VARIABLE_PREFIX, backend) if settings.get("backend") == backend
              else "ansible_network_os %s" % network_os)
    check_controller_packages(backend, chosen)


def check_device(settings: Mapping[str, Any], backend: str) -> DeviceRenderer:
    """A network device is a gateway of one of the platforms the collection renders for: its renderer."""
    renderer = renderer_for(backend, "%sfirewall_backend" % VARIABLE_PREFIX, settings)
    if renderer.mode == "gateway" and (settings.get("mode") or "gateway") != "gateway":
        raise PurecloudFirewallError("%sfirewall_mode must be gateway on a network device (%s)"
                                     % (VARIABLE_PREFIX, backend))
    return renderer


def device_plans(settings: Mapping[str, Any], renderer: DeviceRenderer, catalog: Catalog,
                 aws_prefixes: Optional[Sequence[str]], genesys_prefixes: Optional[Sequence[str]]
                 ) -> List[Tuple[str, HostPlan]]:
    """(name, plan) of what the device filters: each product as a gateway sees it, or a host's own flows
    (one plan of every product, named after the host class) on a platform that filters one host."""
    if renderer.mode == "gateway":
        return plan_products(settings, aws_prefixes=aws_prefixes, catalog=catalog, genesys_prefixes=genesys_prefixes)
    plan = plan_site(dict(settings, mode="host"), aws_prefixes=aws_prefixes, catalog=catalog,
                     genesys_prefixes=genesys_prefixes)
    return [(str(plan.host_class), plan)]


def _device_site_classes(plans: Sequence[Tuple[str, HostPlan]], catalog: Catalog) -> Tuple[str, ...]:
    """The classes on the device's own side: the site's, or on a host-mode platform the host's class."""
    for _name, plan in plans:
        if plan.mode == "host":
            return (str(plan.host_class),)
    return tuple(catalog.site_classes)


def render_network_site(settings: Mapping[str, Any], backend: str,
                        aws_prefixes: Optional[Sequence[str]] = None,
                        genesys_prefixes: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """A network device's config: one ACL (filter, rule set) per product and direction, all products merged.

    Devices are gateways: each product is planned on its own (its ACLs are
    its own), in gateway mode.  ``state`` is the resource module's: rendered
    (review, no device contact), replaced (only these ACLs), or deleted.
    """
    renderer = check_device(settings, backend)
    catalog = catalog_for(settings)
    if settings.get("state", "present") == "absent":
        # Planned only for a platform that removes what the plan created (a list removed by name needs none).
        plans = (device_plans(settings, renderer, catalog, aws_prefixes, genesys_prefixes)
                 if renderer.plans_removal else [])
        device = renderer.removal(site_products(catalog, settings.get("products")),
                                  lambda: [(product, planned.rules) for product, planned in plans],
                                  site_classes=_device_site_classes(plans, catalog),
                                  domains=_device_domains(settings, catalog))
        return _with_groups(_removal_result(settings, renderer, device, catalog), device)
    product_rules, warnings = [], []
    default_policy = "drop"
    plans = device_plans(settings, renderer, catalog, aws_prefixes, genesys_prefixes)
    site_classes = _device_site_classes(plans, catalog)
    for product, plan in plans:
        warnings.extend(plan.warnings)
        default_policy = plan.default_policy
        if plan.rules:
            product_rules.append((product, plan.rules))
    if not product_rules and settings.get("state", "present") == "present":
        raise PurecloudFirewallError("nothing to apply for %s: every flow was skipped (%s)%s"
                                     % (", ".join(settings["products"]), "; ".join(warnings) or "no rules",
                                        "" if renderer.mode == "gateway" else "; this host has no inbound flow: "
                                        "set %segress_filtering to render its outbound ones" % VARIABLE_PREFIX))
    device = renderer.render_products(product_rules, default_policy, site_classes=site_classes,
                                      domains=_device_domains(settings, catalog))
    warnings.extend(device.warnings)
    render_only = bool(settings.get("network_render_only")) or not renderer.applies
    if not renderer.applies and not settings.get("network_render_only"):
        warnings.append("%s is render-only: the config is written for review under %snetwork_render_dir, "
                        "nothing is sent to the device" % (renderer.label or backend, VARIABLE_PREFIX))
    confirm = None if render_only else device_confirm(settings, renderer, warnings)
    result = {"backend": backend, "module": device.module, "config": device.config,
              "state": "rendered" if render_only else "replaced",
              "acls": list(device.owned), "warnings": warnings, "render_only": render_only,
              "render_dir": settings.get("network_render_dir") or "purecloud-rendered",
              "render_suffix": renderer.review_suffix, "catalog": catalog.describe()}
    if device.commands is not None:
        result["commands"] = list(device.commands)
    if confirm:
        result["confirm"] = confirm
    return _with_groups(result, device)


def _with_groups(result: Dict[str, Any], device: DeviceConfig) -> Dict[str, Any]:
    """The address groups' own module run beside the lists', in the lists' state (the role orders the two)."""
    if device.groups is not None:
        result["groups"] = dict(device.groups.as_dict(), state=result["state"])
    return result


def _removal_result(settings: Mapping[str, Any], renderer: DeviceRenderer, device: DeviceConfig,
                    catalog: Catalog) -> Dict[str, Any]:
    """``state: absent`` on a device: deleted, or, render-only, the removal's own commands for review.

    A platform whose removal is a vendor module's ``deleted`` run has no
    text to review: render-only is refused there rather than contacting the
    device anyway.
    """
    render_only = bool(settings.get("network_render_only")) or not renderer.applies
    result = {"backend": renderer.name, "module": device.module, "config": device.config, "state": "deleted",
              "acls": list(device.owned), "warnings": [], "render_only": False, "render_dir": "",
              "catalog": catalog.describe()}
    if not render_only:
        confirm = device_confirm(settings, renderer, result["warnings"])
        if confirm:
            result["confirm"] = confirm
        return result
    if device.commands is None:
        raise PurecloudFirewallError(
            "%snetwork_render_only with %sfirewall_state absent: %s removes through its module's deleted state, "
            "which has nothing to render for review; run the removal without render-only (--check --diff first)"
            % (VARIABLE_PREFIX, VARIABLE_PREFIX, renderer.label or renderer.name))
    result.update(state="rendered", render_only=True, commands=list(device.commands),
                  render_dir=settings.get("network_render_dir") or "purecloud-rendered",
                  render_suffix=renderer.review_suffix)
    return result


def _device_domains(settings: Mapping[str, Any], catalog: Catalog) -> Optional[Dict[str, Tuple[str, ...]]]:
    """The domains that stand for the cloud classes when the site asks for them (``domains``), else None."""
    if _cloud_destinations(settings.get("cloud_destinations")) != CLOUD_DOMAINS:
        return None
    return cloud_domains(catalog, settings["region"])


def render_site(plan: HostPlan, backend: str, management: Optional[Mapping[str, Any]] = None,
                name: str = "purecloud", short_names: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """The plan as the arguments of nft_table (nftables) or firewalld_state (firewalld).

    ``short_names`` are the classes' names in firewalld objects (the catalog's).
    """
    if not plan.rules and plan.mode == "gateway":
        raise PurecloudFirewallError(
            "nothing to apply for %s: every flow was skipped (%s); a gateway with only a drop policy would "
            "block all forwarding" % (", ".join(plan.products), "; ".join(plan.warnings) or "no rules"))
    return render_rules(plan.rules, backend, mode=plan.mode, host_class=plan.host_class,
                        default_policy=plan.default_policy, egress_filtering=plan.egress_filtering,
                        management=management, name=name, short_names=short_names, dns=plan.dns)


DNS_GUARD = "purecloud_dns"  # firewalld's DNS-fed sets: a table of the collection's own


def dns_guard(plan: HostPlan, backend: str) -> Optional[Dict[str, Any]]:
    """nft_table arguments of the table that holds firewalld's DNS-fed flows to their lookups: made for a plan
    with DNS-fed sets, removed (where it is) for one without; None on nftables, whose own table holds them.

    It comes back at boot by a unit of its own that firewalld wants: nftables.service conflicts with firewalld.
    """
    if backend != "firewalld":
        return None
    if plan.dns is None:
        return {"name": DNS_GUARD, "state": "absent", "persist_with": "firewalld"}
    return dict(render_dns_guard(plan.rules, plan.dns, mode=plan.mode, host_class=plan.host_class,
                                 egress_filtering=plan.egress_filtering, name=DNS_GUARD), persist_with="firewalld")


def dnsmasq_dropin(plan: HostPlan, sets_args: Mapping[str, Any]) -> str:
    """The dnsmasq drop-in that fills the DNS-fed sets of ``sets_args`` (nft_table arguments: the plan's table
    on nftables, the guard on firewalld)."""
    if plan.dns is None:
        raise PurecloudFirewallError("the plan has no DNS-fed destinations (%scloud_destinations is not domains)"
                                     % VARIABLE_PREFIX)
    made = set(item["name"] for item in sets_args.get("sets") or [])
    targets = dict((cls, ["%d#inet#%s#%s" % (v, sets_args["name"], nft_set_name(cls, v)) for v in (4, 6)
                          if nft_set_name(cls, v) in made])  # only the families the rules use
                   for cls in plan.dns.classes)
    return dnsmasq_conf(plan.dns.classes, targets, plan.dns.upstreams, plan.dns.ttl, plan.region)


def summary_line(plan: HostPlan, backend: str, module_args: Mapping[str, Any]) -> str:
    """One line of what a Linux host enforces, e.g. ``nftables inet purecloud: 31 rules for 12 flows, ...``."""
    if backend == "nftables":
        where = "%s %s %s" % (backend, module_args.get("family", "inet"), module_args.get("name", "purecloud"))
        count = len(module_args.get("rules") or [])
    else:
        where = "firewalld %s-* policies" % module_args.get("prefix", "purecloud")
        count = sum(len(policy.get("rich_rules") or []) for policy in module_args.get("policies") or [])
    parts = ["%d rules for %d flows of %s" % (count, len(plan.rules), ", ".join(plan.products))]
    if plan.skipped:
        missing = list(dict.fromkeys(
            ("no %s%s" % (VARIABLE_PREFIX, skip.missing)) if skip.kind == "no_ports" else
            ("no networks of %s" % skip.missing) for skip in plan.skipped))
        parts.append("%d rows skipped (%s)" % (len(plan.skipped), "; ".join(missing)))
    if plan.dns is not None:
        parts.append("DNS-fed: %s" % (", ".join(plan.dns.classes) or "none"))
    parts.append("edition %s" % plan.catalog.edition)
    return "%s: %s" % (where, ", ".join(parts))


def render_rules(rules: Sequence[Rule], backend: str, mode: str = "gateway", host_class: Optional[str] = None,
                 default_policy: str = "drop", egress_filtering: bool = False,
                 management: Optional[Mapping[str, Any]] = None, name: str = "purecloud",
                 short_names: Optional[Mapping[str, str]] = None, dns: Optional[DnsPlan] = None) -> Dict[str, Any]:
    """Rules as the arguments of the Linux backend's module, in the mode given (``dns``: DNS-fed classes)."""
    if backend not in BACKENDS:
        raise choices_error("%sfirewall_backend" % VARIABLE_PREFIX, backend, BACKENDS + ("auto",))
    for option, value, allowed in (("mode", mode, MODES), ("default_policy", default_policy, POLICIES)):
        if value not in allowed:
            raise choices_error("%s%s" % (VARIABLE_PREFIX, option), value, allowed)
    if backend == "nftables":
        return render_table(rules, mode=mode, host_class=host_class, default_policy=default_policy,
                            egress_filtering=egress_filtering, management=management, name=name,
                            dns=dns)
    args = render_state(rules, mode=mode, host_class=host_class, default_policy=default_policy,
                        egress_filtering=egress_filtering, prefix=name,
                        short_names=short_names or catalog_for({}).short_names(),
                        dns=dns)
    if management:
        args["management"] = dict(management)
    return args


AWS_FEED_URL = "https://ip-ranges.amazonaws.com/ip-ranges.json"
_PORTS = dict(type="list", elements="str")

# The apply module's options; each falls back to its public variable (VARIABLES).
ARGUMENT_SPEC: Dict[str, Dict[str, Any]] = dict(
    products=dict(type="list", elements="str", required=True, choices=list(PRODUCTS)),
    region=dict(type="str", required=True),
    catalog_edition=dict(type="str", default=DEFAULT_EDITION, choices=list(EDITIONS)),
    catalog_overlays=dict(type="list", elements="path", default=[]),
    backend=dict(type="str", default="auto", choices=["auto"] + list(BACKENDS) + list(NETWORK_BACKENDS)),
    mode=dict(type="str", default="gateway", choices=list(MODES)),
    host_class=dict(type="str"),
    networks=dict(type="dict", default={}),
    cloud_destinations=dict(type="raw", default=CLOUD_ANY),
    aws_ip_ranges_src=dict(type="str", default=AWS_FEED_URL),
    genesys_ip_ranges_services=dict(type="list", elements="str", default=[]),
    genesys_ip_ranges_src=dict(type="str"),
    genesys_client_id=dict(type="str", no_log=True),
    genesys_client_secret=dict(type="str", no_log=True),
    feed_max_age=dict(type="float", default=7.0),
    feed_allow_stale=dict(type="bool", default=False),
    ldap=dict(type="bool", default=False),
    legacy_provisioning=dict(type="bool", default=False),
    turn_backward_compat=dict(type="bool", default=False),
    internal_dns=dict(type="bool", default=False),
    dns_upstream=dict(type="list", elements="str", default=[]),
    dns_ttl=dict(type="int", default=DEFAULT_TTL),
    phone_rtp_ports=_PORTS,
    sip_provider_sip_ports=_PORTS,
    sip_provider_rtp_ports=_PORTS,
    byoc_cloud_sip_ports=_PORTS,
    port_overrides=dict(type="dict", default={}),
    default_policy=dict(type="str", choices=list(POLICIES)),
    egress_filtering=dict(type="bool", default=False),
    management=MANAGEMENT_OPTION,
    state=dict(type="str", default="present", choices=["present", "absent"]),
    network_render_only=dict(type="bool", default=False),
    network_render_dir=dict(type="path", default="purecloud-rendered"),
    output_dir=dict(type="path"),
    rollback_timeout=dict(type="int"),
    **platform_options(),
)

# Option -> the variable it falls back to: the names every role shares.
VARIABLES = dict((name, VARIABLE_PREFIX + name) for name in ARGUMENT_SPEC)
VARIABLES.update(products="purecloud_firewall_products", backend="purecloud_firewall_backend",
                 mode="purecloud_firewall_mode", state="purecloud_firewall_state")
