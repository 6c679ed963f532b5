# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Perimeter firewalls: platforms that filter with named objects and one policy per flow.

``ObjectRenderer`` is the ``DeviceRenderer`` of such a platform.  It builds
the device's objects once from every product's rules (``objects.build_objects``:
address groups, services, policies named ``PURECLOUD-...``) and hands them to
the platform's ``objects_config``, which writes them as its vendor modules
or its configuration file take them.  ``state: absent`` removes exactly the
objects the same plan would create, policies first.
"""

from __future__ import annotations

from typing import Callable, ClassVar, Mapping, Optional, Sequence, Tuple

from ansible_collections.purecloud.firewall.plugins.module_utils.objects import (
    DEFAULT_PREFIX, NAME_MAX, ObjectSet, build_objects)
from ansible_collections.purecloud.firewall.plugins.module_utils.plan import Rule
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import DeviceConfig, DeviceRenderer

ProductRules = Sequence[Tuple[str, Sequence[Rule]]]


class ObjectRenderer(DeviceRenderer):
    """A platform whose configuration is address groups, services and policies."""

    config_key = "objects"
    prefix: ClassVar[str] = DEFAULT_PREFIX
    name_max: ClassVar[int] = NAME_MAX  # the platform's limit on object names
    plans_removal = True  # what state absent removes comes from the plan: the objects' names
    # Their vendors' modules take state present or absent only.
    drift_unchecked = "its vendor's modules have no gathered or parsed state to read the device's config back"

    def render_products(self, product_rules: ProductRules, default_policy: str = "drop",
                        site_classes: Sequence[str] = (),
                        domains: Optional[Mapping[str, Tuple[str, ...]]] = None) -> DeviceConfig:
        self.check_domains(domains)
        return self.objects_config(self.objects(product_rules, site_classes, domains), default_policy)

    def render(self, rules: Sequence[Rule], product: str, default_policy: str = "drop",
               site_classes: Sequence[str] = ()) -> DeviceConfig:
        return self.render_products([(product, rules)], default_policy, site_classes)

    def removal(self, products: Sequence[str], plan: Callable[[], ProductRules], site_classes: Sequence[str] = (),
                domains: Optional[Mapping[str, Tuple[str, ...]]] = None) -> DeviceConfig:
        return self.objects_removal(self.objects(plan(), site_classes, domains))

    def objects(self, product_rules: ProductRules, site_classes: Sequence[str],
                domains: Optional[Mapping[str, Tuple[str, ...]]]) -> ObjectSet:
        return build_objects(product_rules, site_classes, prefix=self.prefix, limit=self.name_max,
                             domains=dict(domains) if domains else None)

    # -------------------------------------------------------------------- hooks
    def objects_config(self, objects: ObjectSet, default_policy: str) -> DeviceConfig:
        """The device's configuration of ``objects``: its modules' inputs, and the text a reviewer reads."""
        raise NotImplementedError("%s writes no objects" % type(self).__name__)

    def objects_removal(self, objects: ObjectSet) -> DeviceConfig:
        """What removes ``objects`` from the device, policies before the objects they name."""
        raise NotImplementedError("%s removes no objects" % type(self).__name__)
