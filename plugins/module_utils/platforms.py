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

from typing import Dict, Optional, Type

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import choices_error
from ansible_collections.purecloud.firewall.plugins.module_utils.render_network import ROUTERS, DeviceRenderer

PLATFORMS: Dict[str, Type[DeviceRenderer]] = dict((platform.name, platform) for platform in ROUTERS)


def renderer_for(backend: str, option: str = "network backend") -> DeviceRenderer:
    """The renderer of a backend; an unknown one names ``option`` and the platforms there are."""
    if not isinstance(backend, str) or backend not in PLATFORMS:
        raise choices_error(option, backend, PLATFORMS)
    return PLATFORMS[backend]()


def backend_for_network_os(network_os: Optional[str]) -> Optional[str]:
    """The backend for an ``ansible_network_os`` value, or None when it is not a network device we know."""
    for platform in PLATFORMS.values():
        if network_os in platform.network_os:
            return platform.name
    return None
