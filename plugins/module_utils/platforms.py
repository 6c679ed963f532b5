# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The network platforms the collection renders for, by backend name: the one place a platform is added.

Routers take ACLs (render_network); perimeter firewalls take objects and
policies (render_perimeter and the vendor modules beside it).  Each is a
``DeviceRenderer`` subclass; the roles, show_rules, the report and the
network tests find every platform here.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple, Type

from ansible_collections.purecloud.firewall.plugins.module_utils.controller_packages import (
    LXML, NCCLIENT, Package, check_packages)
from ansible_collections.purecloud.firewall.plugins.module_utils.errors import choices_error
from ansible_collections.purecloud.firewall.plugins.module_utils.render_aerleon import AERLEON_PACKAGES, AERLEON_PLATFORMS
from ansible_collections.purecloud.firewall.plugins.module_utils.render_checkpoint import CheckPoint
from ansible_collections.purecloud.firewall.plugins.module_utils.render_fortios import FortiOs
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import ROUTERS, DeviceRenderer

# Routers (ACLs), then the perimeter firewalls applied through their collections, then those rendered by Aerleon.
PLATFORMS: Dict[str, Type[DeviceRenderer]] = dict((platform.name, platform) for platform in ROUTERS)
PLATFORMS.update((platform.name, platform) for platform in (FortiOs, CheckPoint) + AERLEON_PLATFORMS)

# The Python packages beyond Ansible's own that rendering a platform needs on the controller (controller_packages:
# their import names and pinned requirements).  Junos's module builds its NETCONF XML with ncclient (which needs
# lxml); Aerleon writes the perimeter platforms' files.  Both in every state; the other platforms need none.
CONTROLLER_PACKAGES: Dict[str, Tuple[Package, ...]] = {"junos": (NCCLIENT, LXML)}
CONTROLLER_PACKAGES.update((platform.name, AERLEON_PACKAGES) for platform in AERLEON_PLATFORMS)


def renderer_for(backend: str, option: str = "network backend",
                 settings: Optional[Mapping[str, Any]] = None) -> DeviceRenderer:
    """The renderer of a backend, configured from the site's ``settings``; an unknown one names ``option``."""
    if not isinstance(backend, str) or backend not in PLATFORMS:
        raise choices_error(option, backend, PLATFORMS)
    return PLATFORMS[backend](settings)


def check_controller_packages(backend: str, chosen_by: str = "") -> None:
    """Refuse a platform whose rendering needs packages the controller's Python lacks, before anything is contacted.

    ``chosen_by`` says what picked the platform (``purecloud_firewall_backend junos``).  A removal renders too
    (Junos's deletion through its module, the perimeter platforms' from Aerleon's names).
    """
    check_packages(backend, CONTROLLER_PACKAGES.get(backend, ()), chosen_by)


def platform_options() -> Dict[str, Dict[str, Any]]:
    """Every platform's own options (argument spec entries); two platforms never share a name."""
    options: Dict[str, Dict[str, Any]] = {}
    for platform in PLATFORMS.values():
        for name, spec in platform.options.items():
            if name in options:
                raise ValueError("platform option %s is declared twice" % name)
            options[name] = spec
    return options


def backend_for_network_os(network_os: Optional[str]) -> Optional[str]:
    """The backend for an ``ansible_network_os`` value, or None when it is not a network device we know."""
    for platform in PLATFORMS.values():
        if network_os in platform.network_os:
            return platform.name
    return None
