# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The options of the platforms rendered through Aerleon (render-only): PAN-OS, Cisco ASA, Juniper SRX.
    DOCUMENTATION = r"""
options:
  panos_inside_zone:
    description:
      - With O(backend=panos), the zone of the site's networks; the security rules of flows from a site class go
        from this zone to O(panos_outside_zone), the others the other way.
      - Letters, digits, V(.), V(_) and V(-), at most 31 characters; not the same as O(panos_outside_zone).
      - Variable C(purecloud_panos_inside_zone).
    type: str
    default: trust
  panos_outside_zone:
    description:
      - With O(backend=panos), the zone facing the internet (the cloud, SIP carriers, BYOC Cloud).
      - Variable C(purecloud_panos_outside_zone).
    type: str
    default: untrust
  srx_inside_zone:
    description:
      - With O(backend=srx), the security zone of the site's networks, as O(panos_inside_zone) for PAN-OS.
      - Variable C(purecloud_srx_inside_zone).
    type: str
    default: trust
  srx_outside_zone:
    description:
      - With O(backend=srx), the security zone facing the internet.
      - Variable C(purecloud_srx_outside_zone).
    type: str
    default: untrust
  asa_acl_out:
    description:
      - With O(backend=asa), the access-list of the flows from a site class, for the interfaces facing the site.
      - The file clears and rewrites this list, so its name must start with C(PURECLOUD-), the collection's prefix.
      - Variable C(purecloud_asa_acl_out).
    type: str
    default: PURECLOUD-OUT
  asa_acl_in:
    description:
      - With O(backend=asa), the access-list of the flows from remote ends (SIP carriers, BYOC Cloud), for the
        interface facing the internet; a name starting with C(PURECLOUD-), not the same as O(asa_acl_out).
      - Variable C(purecloud_asa_acl_in).
    type: str
    default: PURECLOUD-IN
"""
