# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The options of the Check Point platform (backend checkpoint), read only on a Check Point management server.
    DOCUMENTATION = r"""
options:
  checkpoint_layer:
    description:
      - The access layer (by name or UID) the collection's section C(PURECLOUD) and its access rules go in, on a
        Check Point management server (backend V(checkpoint)).
      - Variable C(purecloud_checkpoint_layer).
    type: str
    default: Network
  checkpoint_position:
    description:
      - Where the section C(PURECLOUD) goes in the layer when it is added; V(top), V(bottom), C(above NAME) or
        C(below NAME), NAME a rule or section of the layer.
      - The access rules are kept inside the section in the plan's order, the first at the section's top and each
        other below the one before it; a second run with the same plan moves none of them.
      - Variable C(purecloud_checkpoint_position).
    type: str
    default: top
  checkpoint_publish:
    description:
      - Publish the session at the end of the Check Point tasks. With V(false) the changes stay in the session for
        review in SmartConsole, where they are published or discarded by hand.
      - Variable C(purecloud_checkpoint_publish).
    type: bool
    default: true
"""
