# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Perimeter firewalls rendered through Aerleon: PAN-OS, Cisco ASA, Juniper SRX, Windows Defender Firewall.

Aerleon (``aerleon`` on PyPI, the maintained successor of Capirca) renders
one policy to many platforms.  ``AerleonRenderer`` turns the plan's
``ObjectSet`` into an Aerleon policy (a network per address group, a
service per service, a term per policy with the requirement ids in its
comment) and runs the platform's Aerleon generator in-process.  These
platforms are render-only: the file is what a security team reviews and
loads.  Each subclass overrides only its generator, header and the few
documented steps where Aerleon's output needs one (see docs/NETWORK.md).

Aerleon is imported only when a platform renders, so the collection loads
without it and a missing package is an error naming the version to install
(controller_packages' AERLEON, the one record of it).
"""

from __future__ import annotations

import logging
import re
from xml.etree import ElementTree
from typing import Any, Callable, ClassVar, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.controller_packages import AERLEON, packages_error
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.objects import DIRECTIONS, ObjectSet, Policy
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import DeviceConfig
from ansible_collections.purecloud.firewall.plugins.module_utils.render_perimeter import ObjectRenderer, ProductRules

AERLEON_VERSION = AERLEON.version
# What these platforms need on the controller (platforms.CONTROLLER_PACKAGES lists it for each).
AERLEON_PACKAGES = (AERLEON,)
POLICY_FILE = "purecloud"
_ZONE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Aerleon's own comment lines ($Id:$ and the like), which say nothing about this policy.
_REPOSITORY_TAGS = ("$Id:$", "$Date:$", "$Revision:$")


def _import_aerleon(backend: str) -> Dict[str, Any]:
    """Aerleon's policy model and generators; a missing package is the controller-packages error for ``backend``."""
    try:
        from aerleon.lib import aclgenerator, ciscoasa, junipersrx, naming, paloaltofw, policy, policy_builder
        from aerleon.lib import windows_advfirewall
    except ImportError as error:
        raise packages_error(backend, AERLEON_PACKAGES, AERLEON_PACKAGES, cause=str(error)) from None
    return dict(aclgenerator=aclgenerator, ciscoasa=ciscoasa, junipersrx=junipersrx, naming=naming,
                paloaltofw=paloaltofw, policy=policy, policy_builder=policy_builder,
                windows_advfirewall=windows_advfirewall)


def option_value(settings: Mapping[str, Any], name: str, spec: Mapping[str, Any]) -> Any:
    """A platform option from the settings (``purecloud_<name>``), else its documented default."""
    value = settings.get(name)
    return spec.get("default") if value is None else value


class AerleonRenderer(ObjectRenderer):
    """A render-only perimeter firewall whose file Aerleon's generator writes from the plan's objects."""

    applies = False
    drift_unchecked = "it is render-only: no module applies its config, so none reads it back"
    network_os: ClassVar[Tuple[str, ...]] = ()
    generator: ClassVar[str]  # Aerleon's module and target name (paloaltofw, ciscoasa, ...)
    target: ClassVar[str]  # the platform name in the policy header's targets

    # ------------------------------------------------------------ the policy
    def definitions(self, objects: ObjectSet) -> Dict[str, Any]:
        """Aerleon's naming definitions: a network per address group, a service per service."""
        networks = dict((group.name, {"values": [{"address": cidr} for cidr in group.cidrs]
                                      + [{"fqdn": name} for name in group.fqdns]})
                        for group in objects.addresses)
        services = dict((service.name, [{"port": port, "protocol": service.protocol} for port in service.ports])
                        for service in objects.services)
        return {"networks": networks, "services": services}

    def term(self, objects: ObjectSet, policy: Policy) -> Dict[str, Any]:
        """One policy as an Aerleon term: its groups, its service, and the requirement ids in the comment."""
        service = objects.service(policy.service)
        term: Dict[str, Any] = {"name": policy.name, "comment": "purecloud requirements %s" % " ".join(policy.ids),
                                "protocol": service.protocol, "action": "accept"}
        if service.ports:
            term["destination-port"] = service.name
        if policy.source is not None:
            term["source-address"] = policy.source
        destination = objects.address(policy.destination)
        if destination is not None:
            term["destination-fqdn" if destination.fqdns else "destination-address"] = destination.name
        return term

    def filters(self, objects: ObjectSet) -> List[Dict[str, Any]]:
        """One filter per direction that has policies, its header from ``header``."""
        filters = []
        for direction in DIRECTIONS:
            terms = [self.term(objects, policy) for policy in objects.policies if policy.direction == direction]
            if terms:
                filters.append({"header": {"targets": {self.target: self.header(direction)}}, "terms": terms})
        return filters

    def header(self, direction: str) -> str:
        """The target options of one direction's filter (zones, ACL name, address family)."""
        raise NotImplementedError

    # ------------------------------------------------------------ rendering
    def generate(self, objects: ObjectSet) -> str:
        """Aerleon's rendering of the objects, in-process; its errors as the collection's, naming the platform."""
        aerleon = _import_aerleon(self.name)
        policy_dict = {"filename": POLICY_FILE, "filters": self.filters(objects)}
        notices = logging.getLogger("absl")  # Aerleon's notices ("LARGE TERM ENCOUNTERED") ask nothing of the user
        level = notices.level
        notices.setLevel(logging.ERROR)
        try:
            definitions = aerleon["naming"].Naming()
            definitions.ParseDefinitionsObject(self.definitions(objects), POLICY_FILE)
            model = aerleon["policy"].FromBuilder(
                aerleon["policy_builder"].PolicyBuilder(policy_dict, definitions, False, False))
            return str(self.generator_class(aerleon)(model, 2))
        except (aerleon["policy"].Error, aerleon["naming"].Error, aerleon["aclgenerator"].Error) as error:
            raise PurecloudFirewallError("%s (%s): Aerleon's %s generator refused the policy: %s: %s"
                                         % (self.label, self.name, self.generator, type(error).__name__,
                                            str(error).strip() or "no detail"))
        finally:
            notices.setLevel(level)

    def generator_class(self, aerleon: Mapping[str, Any]) -> Any:
        """Aerleon's generator class of this platform."""
        module = aerleon[self.generator]
        return next(getattr(module, name) for name in dir(module)
                    if isinstance(getattr(module, name), type)
                    and issubclass(getattr(module, name), aerleon["aclgenerator"].ACLGenerator)
                    and getattr(getattr(module, name), "_PLATFORM", None) == self.target)

    def review_lines(self, text: str, objects: ObjectSet) -> List[str]:
        """The file a reviewer reads and loads: Aerleon's text without its repository tags and blank runs."""
        lines = []
        for line in text.splitlines():
            if any(tag in line for tag in _REPOSITORY_TAGS) or (not line.strip() and (not lines or not lines[-1].strip())):
                continue
            lines.append(line.rstrip())
        while lines and not lines[-1].strip():
            lines.pop()
        return lines

    def objects_config(self, objects: ObjectSet, default_policy: str) -> DeviceConfig:
        lines = self.review_lines(self.generate(objects), objects)
        config = [{"policy": {"filename": POLICY_FILE, "filters": self.filters(objects)},
                   "definitions": self.definitions(objects)}]
        return DeviceConfig(self.module, config, self.owned_objects(objects), tuple(lines))

    def owned_objects(self, objects: ObjectSet) -> Tuple[Tuple[str, str], ...]:
        return (tuple(("address", group.name) for group in objects.addresses)
                + tuple(("service", service.name) for service in objects.services)
                + tuple(("policy", policy.name) for policy in objects.policies))

    def objects_removal(self, objects: ObjectSet) -> DeviceConfig:
        """The commands that delete what the same plan renders, policies before the objects they name."""
        return DeviceConfig(self.module, [], self.owned_objects(objects), tuple(self.removal_lines(objects)))

    def removal_lines(self, objects: ObjectSet) -> List[str]:
        raise NotImplementedError


def _zone_options(platform: str) -> Dict[str, Dict[str, Any]]:
    return {"%s_inside_zone" % platform: dict(type="str", default="trust"),
            "%s_outside_zone" % platform: dict(type="str", default="untrust")}


class ZonedRenderer(AerleonRenderer):
    """A zone-based firewall: a site class's flows go from the inside zone to the outside one, others back."""

    def configure(self, settings: Mapping[str, Any]) -> None:
        inside = next(name for name in self.options if name.endswith("_inside_zone"))
        outside = next(name for name in self.options if name.endswith("_outside_zone"))
        self.inside, self.outside = self.zones(settings, inside, outside)

    def zones(self, settings: Mapping[str, Any], inside: str, outside: str) -> Tuple[str, str]:
        """The inside and outside zone options, checked: a zone name each, and not the same one."""
        values = []
        for name in (inside, outside):
            value = option_value(settings, name, self.options[name])
            if not isinstance(value, str) or not _ZONE.match(value) or len(value) > 31:
                raise PurecloudFirewallError(
                    "purecloud_%s must be a %s zone name (letters, digits, '.', '_', '-', at most 31 characters), "
                    "got %r" % (name, self.label, value))
            values.append(value)
        if values[0] == values[1]:
            raise PurecloudFirewallError("purecloud_%s and purecloud_%s are both %r: the site's zone and the "
                                         "internet's must differ" % (inside, outside, values[0]))
        return values[0], values[1]

    def render_products(self, product_rules: ProductRules, default_policy: str = "drop",
                        site_classes: Sequence[str] = (),
                        domains: Optional[Mapping[str, Tuple[str, ...]]] = None) -> DeviceConfig:
        self.site_classes = tuple(site_classes)
        return AerleonRenderer.render_products(self, product_rules, default_policy, site_classes, domains)

    def removal(self, products: Sequence[str], plan: Callable[[], ProductRules], site_classes: Sequence[str] = (),
                domains: Optional[Mapping[str, Tuple[str, ...]]] = None) -> DeviceConfig:
        self.site_classes = tuple(site_classes)
        return AerleonRenderer.removal(self, products, plan, site_classes, domains)

    def filters(self, objects: ObjectSet) -> List[Dict[str, Any]]:
        """A filter per zone pair, in the order the policies first use them."""
        pairs: Dict[Tuple[str, str], List[Dict[str, Any]]] = {}
        for policy in objects.policies:
            pairs.setdefault(self.zone_pair(policy), []).append(self.term(objects, policy))
        return [{"header": {"targets": {self.target: "from-zone %s to-zone %s mixed" % pair}}, "terms": terms}
                for pair, terms in pairs.items()]

    def zone_pair(self, policy: Policy) -> Tuple[str, str]:
        """(from, to): a flow from a site class leaves the inside zone, and one to a site class enters it, so a
        flow between two site classes (the Bridge Server to the directory) stays inside, where it is matched."""
        source = self.inside if policy.direction == "out" else self.outside
        destination = self.inside if policy.rule.destination_class in getattr(self, "site_classes", ()) else self.outside
        return source, destination


class PanOs(ZonedRenderer):
    """Palo Alto PAN-OS: address objects and groups, services and security rules, as XML for a partial load."""

    name = "panos"
    label = "Palo Alto PAN-OS"
    generator = "paloaltofw"
    module = "aerleon.lib.paloaltofw"  # no module applies it: Aerleon's generator renders the file
    target = "paloalto"
    review_suffix = "xml"
    # Aerleon names a service "service-<policy>-<protocol>" (63 at most) and an address "<group>_<n>".
    name_max = 51
    options = _zone_options("panos")

    def review_lines(self, text: str, objects: ObjectSet) -> List[str]:
        """The same XML document, one ``entry`` per line: Aerleon pretty-prints one element per line."""
        root = ElementTree.fromstring(text.split("?>", 1)[1] if text.startswith("<?xml") else text)
        for element in root.iter():
            element.tail = None
            if element.text is not None and not element.text.strip():
                element.text = None
        lines = ['<?xml version="1.0"?>']

        def write(element: ElementTree.Element, depth: int) -> None:
            if element.tag == "entry" and depth > 4:
                lines.append("  " * depth + ElementTree.tostring(element, encoding="unicode").strip())
                return
            attributes = "".join(' %s="%s"' % item for item in element.attrib.items())
            children = list(element)
            if not children:
                lines.append("  " * depth + ElementTree.tostring(element, encoding="unicode").strip())
                return
            lines.append("  " * depth + "<%s%s>" % (element.tag, attributes))
            for child in children:
                write(child, depth + 1)
            lines.append("  " * depth + "</%s>" % element.tag)

        write(root, 0)
        return lines

    def removal_lines(self, objects: ObjectSet) -> List[str]:
        """PAN-OS configure-mode commands deleting the rules, then the groups, addresses and services."""
        root = ElementTree.fromstring("\n".join(self.review_lines(self.generate(objects), objects)[1:]))
        vsys = root.find("devices/entry/vsys/entry")
        lines = []
        for path, command in (("rulebase/security/rules", "rulebase security rules"),
                              ("address-group", "address-group"), ("address", "address"), ("service", "service")):
            for entry in vsys.findall(path + "/entry") if vsys is not None else ():
                lines.append("delete %s %s" % (command, entry.get("name")))
        return lines


class CiscoAsa(AerleonRenderer):
    """Cisco ASA: an access-list per direction from Aerleon, folded into object-groups."""

    name = "asa"
    label = "Cisco ASA"
    generator = "ciscoasa"
    module = "aerleon.lib.ciscoasa"  # no module applies it: Aerleon's generator renders the file
    target = "ciscoasa"
    review_suffix = "asa"
    options = {"asa_acl_out": dict(type="str", default="PURECLOUD-OUT"),
               "asa_acl_in": dict(type="str", default="PURECLOUD-IN")}

    def configure(self, settings: Mapping[str, Any]) -> None:
        names = {}
        for direction in DIRECTIONS:
            option = "asa_acl_%s" % direction
            value = option_value(settings, option, self.options[option])
            if (not isinstance(value, str) or not value.startswith(self.prefix + "-")
                    or not re.match(r"^[A-Za-z0-9_-]{1,241}$", value)):
                raise PurecloudFirewallError(
                    "purecloud_%s must be an access-list name starting with %s- (letters, digits, '_', '-'): "
                    "the collection clears and rewrites this list, so it must be one it owns; got %r"
                    % (option, self.prefix, value))
            names[direction] = value
        if names["out"] == names["in"]:
            raise PurecloudFirewallError("purecloud_asa_acl_out and purecloud_asa_acl_in are both %r: each "
                                         "direction needs its own access-list" % names["out"])
        self.acl_names = names

    def header(self, direction: str) -> str:
        return self.acl_names[direction]

    def generator_class(self, aerleon: Mapping[str, Any]) -> Any:
        """Aerleon's ASA generator with each term rendered for IPv6 too (its own Term takes ``af=6``)."""
        ciscoasa = aerleon["ciscoasa"]

        class DualStackAsa(ciscoasa.CiscoASA):
            def _TranslatePolicy(self, pol: Any, exp_info: int) -> None:
                self.ciscoasa_policies = []
                for header, terms in self.policy.filters:
                    filter_name = header.FilterName(self._PLATFORM)
                    rendered = []
                    for term in terms:
                        parts = [str(ciscoasa.Term(term, filter_name, af=family)).split("\n") for family in (4, 6)]
                        aces = [[n for n, line in enumerate(part) if " permit " in line or " deny " in line]
                                for part in parts]
                        if aces[0]:  # IPv4's remarks and entries, IPv6's entries right after them: one block
                            last = aces[0][-1] + 1
                            parts[0][last:last] = [parts[1][n] for n in aces[1]]
                            rendered.append("\n".join(parts[0]))
                        elif aces[1]:
                            rendered.append("\n".join(parts[1]))
                    self.ciscoasa_policies.append((header, filter_name, rendered))

        return DualStackAsa

    def review_lines(self, text: str, objects: ObjectSet) -> List[str]:
        """Aerleon's access-lists with each term's ACEs folded into one ACE naming the plan's object-groups.

        Aerleon's ASA generator lists every source x destination x port; the
        fold keeps its address and port words as the groups' members, so the
        ACL grows with prefixes + services + flows.  A term whose ACEs are
        not one full product stays as Aerleon wrote it.
        """
        lines = AerleonRenderer.review_lines(self, text, objects)
        policies = dict((policy.name, policy) for policy in objects.policies)
        members: Dict[str, List[str]] = {}
        kinds: Dict[str, str] = {}
        folded: List[str] = []
        block: List[Tuple[str, str, str, str]] = []
        current: Optional[Policy] = None
        head = ""

        def flush() -> None:
            if not block:
                return
            sources = list(dict.fromkeys(ace[1] for ace in block))
            destinations = list(dict.fromkeys(ace[2] for ace in block))
            ports = list(dict.fromkeys(ace[3] for ace in block))
            # IPv4 and IPv6 entries never cross, so a dual-stack term is one full product per family; its
            # groups then hold both families' members, and the one folded entry serves both.
            by_family: Dict[int, List[Tuple[str, str, str, str]]] = {}
            for ace in block:
                by_family.setdefault(6 if ":" in ace[1] + ace[2] else 4, []).append(ace)
            if current is None or not all(_full_product(part) for part in by_family.values()):
                folded.extend(" ".join(word for word in ace if word) for ace in block)
                return
            words = [head]
            for group, values in ((current.source, sources), (current.destination, destinations)):
                if group is None or values == ["any"]:
                    words.append("any")
                    continue
                members.setdefault(group, [])
                members[group].extend(v for v in values if v not in members[group])
                kinds[group] = "network"
                words.append("object-group %s" % group)
            if ports != [""]:
                service = current.service
                members.setdefault(service, [])
                members[service].extend(p for p in ports if p not in members[service])
                kinds[service] = "service"
                words.append("object-group %s" % service)
            entry = " ".join(words)
            if entry not in folded:
                folded.append(entry)

        for line in lines:
            ace = _asa_ace(line)
            if ace is None:
                if block:
                    flush()
                    block, current = [], None
                remark = line.split(" remark ", 1)[1] if " remark " in line else ""
                current = policies.get(remark, current)
                folded.append(line)
                continue
            head = ace[0]
            block.append(ace)
        flush()
        groups = []
        for name, values in members.items():
            protocol = " %s" % objects.service(name).protocol if kinds[name] == "service" else ""
            groups.append("object-group %s %s%s" % (kinds[name], name, protocol))
            item = "network-object" if kinds[name] == "network" else "port-object"
            groups.extend(" %s %s" % (item, value) for value in values)
        # ASA adds to an object-group it has: the lists are cleared and the groups removed before they are
        # written again, so a load replaces the collection's objects whole (a group not there yet is reported).
        clears = [line for line in folded if line.startswith("clear configure access-list ")]
        removals = ["no object-group %s %s" % (kinds[name], name) for name in members]
        return clears + removals + groups + [line for line in folded if line not in clears]

    def removal_lines(self, objects: ObjectSet) -> List[str]:
        """Clear the collection's access-lists, then remove the object-groups they named."""
        return (["clear configure access-list %s" % self.acl_names[d] for d in DIRECTIONS]
                + [line for line in self.review_lines(self.generate(objects), objects)
                   if line.startswith("no object-group ")])


def _full_product(aces: Sequence[Tuple[str, str, str, str]]) -> bool:
    """Entries that are every source x destination x port of theirs, each once: one entry with groups says it."""
    sources, destinations, ports = (set(ace[index] for ace in aces) for index in (1, 2, 3))
    return len(aces) == len(set(aces)) == len(sources) * len(destinations) * len(ports)


def _asa_ace(line: str) -> Optional[Tuple[str, str, str, str]]:
    """An ASA ACE as (``access-list NAME extended permit PROTO``, source, destination, ports), else None."""
    words = line.split()
    if len(words) < 6 or words[0] != "access-list" or words[2] != "extended":
        return None
    position = 5

    def side() -> str:
        nonlocal position
        word = words[position]
        size = 1 if word in ("any", "any4", "any6") or ":" in word else 2
        position += size
        return " ".join(words[position - size:position])

    source = side()
    destination = side()
    return " ".join(words[:5]), source, destination, " ".join(words[position:])


class JuniperSrx(ZonedRenderer):
    """Juniper SRX: a global address book (with dns-name entries), applications and zone policies."""

    name = "srx"
    label = "Juniper SRX"
    generator = "junipersrx"
    module = "aerleon.lib.junipersrx"  # no module applies it: Aerleon's generator renders the file
    target = "srx"
    review_suffix = "conf"
    fqdn = True  # Aerleon's SRX generator writes destination-fqdn networks as address book dns-name entries
    # Aerleon names applications "<policy>-app<n>" and addresses "<group>_<n>".
    name_max = 55
    options = _zone_options("srx")

    def review_lines(self, text: str, objects: ObjectSet) -> List[str]:
        """Aerleon's configuration without its ``replace:`` tags, so ``load merge`` adds the collection's
        objects and leaves the device's other address-book entries, policies and applications alone."""
        lines = [line.replace("replace: ", "") for line in AerleonRenderer.review_lines(self, text, objects)]
        return _join_blocks(lines, ("address ", "address-set ", "policy ", "application ", "application-set ", "/*"))

    def removal_lines(self, objects: ObjectSet) -> List[str]:
        """``delete`` commands for the policies, then the address sets, addresses and applications."""
        policies, addresses, sets, applications = [], [], [], []
        zones = ""
        for line in self.review_lines(self.generate(objects), objects):
            words = line.strip().rstrip("{;").split()
            if not words:
                continue
            if words[0] == "from-zone":
                zones = "from-zone %s to-zone %s" % (words[1], words[3])
            elif words[0] == "policy":
                policies.append("delete security policies %s policy %s" % (zones, words[1]))
            elif words[0] == "address-set":
                sets.append("delete security address-book global address-set %s" % words[1])
            elif words[0] == "address":
                addresses.append("delete security address-book global address %s" % words[1])
            elif words[0] in ("application", "application-set") and line.startswith("    %s " % words[0]):
                applications.append("delete applications %s %s" % (words[0], words[1]))
        return policies + sets + addresses + sorted(applications, key=lambda x: "application-set" not in x)


def _join_blocks(lines: Sequence[str], openers: Sequence[str]) -> List[str]:
    """Each block opened by one of ``openers`` on one line: Junos reads braces, not line breaks, so
    ``address-set X { address A; address B; }`` loads as Aerleon's one-statement-per-line form does."""
    joined: List[str] = []
    depth = 0
    for line in lines:
        if depth:
            joined[-1] += " " + line.strip()
            depth += line.count("{") - line.count("}") - line.count("*/")
        elif line.strip().startswith(tuple(openers)) and line.rstrip().endswith(("{", "/*")):
            joined.append(line)
            depth = line.count("{") - line.count("}") + line.count("/*")
        else:
            joined.append(line)
    return [line for line in joined if line.strip() != "/* */"]


class WindowsFirewall(AerleonRenderer):
    """Windows Defender Firewall: netsh advfirewall rules for one host (the Bridge Server, a workstation)."""

    name = "windows"
    label = "Windows Defender Firewall"
    generator = "windows_advfirewall"
    module = "aerleon.lib.windows_advfirewall"  # no module applies it: Aerleon's generator renders the file
    target = "windows_advfirewall"
    review_suffix = "cmd"
    mode = "host"

    def render_products(self, product_rules: ProductRules, default_policy: str = "drop",
                        site_classes: Sequence[str] = (),
                        domains: Optional[Mapping[str, Tuple[str, ...]]] = None) -> DeviceConfig:
        # site_classes is the host's class: a flow to it is inbound, one from it (egress filtering) outbound.
        self.host_class = site_classes[0] if site_classes else None
        return ObjectRenderer.render_products(self, product_rules, default_policy, site_classes, domains)

    def filters(self, objects: ObjectSet) -> List[Dict[str, Any]]:
        """A filter per direction; Aerleon 1.18's netsh rules list a term's addresses of both families."""
        filters = []
        for direction in DIRECTIONS:
            terms = [self.term(objects, policy) for policy in objects.policies if self.direction(policy) == direction]
            if terms:
                filters.append({"header": {"targets": {self.target: "%s inet" % direction}}, "terms": terms})
        return filters

    def direction(self, policy: Policy) -> str:
        """A flow to the host is inbound, one from it outbound (names say the plan's direction, not netsh's)."""
        return "in" if policy.rule.destination_class == getattr(self, "host_class", None) else "out"

    def removal_lines(self, objects: ObjectSet) -> List[str]:
        """netsh deletes every rule of a name; Aerleon names a rule after its direction and term (``i_``, ``o_``),
        and a removal does not plan the host's directions, so both names go (netsh reports the absent one)."""
        return ["netsh advfirewall firewall delete rule name=%s_%s" % (initial, policy.name)
                for policy in objects.policies for initial in "io"]


AERLEON_PLATFORMS = (PanOs, CiscoAsa, JuniperSrx, WindowsFirewall)
