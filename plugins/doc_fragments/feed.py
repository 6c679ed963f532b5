# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # How the IP-range lookups download and cache a feed (AWS's, Genesys Cloud's).
    DOCUMENTATION = r"""
options:
  timeout:
    description: Seconds to wait for each answer.
    type: float
    default: 10
  cache_dir:
    description: Where downloaded copies are kept, one file per URL (never a credential).
    type: path
    default: ~/.cache/purecloud.firewall
  cache_ttl:
    description:
      - Seconds a downloaded copy is used before the source is asked again; V(0) asks every time.
      - A cached copy of any age stands in when the download fails, with a warning saying so.
    type: int
    default: 86400
  validate_certs:
    description: Check the server's TLS certificate.
    type: bool
    default: true
"""
