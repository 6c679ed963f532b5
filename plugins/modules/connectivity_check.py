# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: connectivity_check
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: Preflight, check from a host inside the site that it really reaches what its products need
description:
  - Plans, on the controller, one check per flow the host's endpoint class sends (from the catalog and the site's
    C(purecloud_*) variables, as M(purecloud.firewall.apply) does), then tries each for real on the host.
  - DNS, queries to the resolvers (O(dns_servers)) over UDP and TCP; names are resolved the same way before the
    other checks.
  - TCP, a connect to the flow's first port (443, 5222, 5060, 8063 to the other Edges given in O(peers), ...).
  - STUN, a Binding request (RFC 5389) over UDP and over TCP to 3478 (PureCloud) and 19302 (Google), which must
    come back with the reflexive address the server saw.
  - NTP, a client query to the time source, which must come back from a server.
  - UDP media ranges cannot be judged without a media server at the other end and are reported as not checked.
  - Every check is bounded by O(timeout) and all run at once. The result is a pass/fail table per flow; with
    O(fail_on_error) the task fails naming each failed flow and its requirement ids.
options:
  products:
    description:
      - Products whose flows the host needs. Falls back to C(purecloud_firewall_products).
      - Required unless O(checks) is given.
    type: list
    elements: str
  host_class:
    description:
      - The endpoint class the host plays (C(edge), C(workstation), C(bridge_server), C(voip_phone)).
        Falls back to C(purecloud_host_class), then to the products' only device class.
    type: str
  names:
    description:
      - Endpoint class to the name to check it by, in place of the defaults (C(api.<region's domain>) for
        C(purecloud), C(stun.l.google.com), C(time.nist.gov), ...). Falls back to C(purecloud_preflight_names).
    type: dict
    default: {}
  peers:
    description:
      - Site endpoint class to the addresses to check flows to it by, for example the other Edges for the Edge
        group's tls/8063. Falls back to C(purecloud_preflight_peers). Flows to a site class without peers are
        reported as not checked.
    type: dict
    default: {}
  checks:
    description:
      - The checks to run, in place of planning them; each has C(target) (a name, an address or C(@dns) for the
        resolvers), C(protocol), C(port), C(kind) (C(tcp), C(stun_udp), C(stun_tcp), C(ntp), C(dns_udp),
        C(dns_tcp)) and C(ids).
    type: list
    elements: dict
  dns_servers:
    description:
      - Resolvers to ask. Defaults to the host's C(/etc/resolv.conf). Falls back to
        C(purecloud_preflight_dns_servers).
    type: list
    elements: str
  dns_name:
    description: The name the DNS checks ask for. Defaults to the region's PureCloud name.
    type: str
  timeout:
    description: Seconds each check may take. Falls back to C(purecloud_preflight_timeout).
    type: float
    default: 2.0
  fail_on_error:
    description: Fail the task when a check fails, naming the flows.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    description: Sends the same probes in check mode; it changes nothing either way.
  diff_mode:
    support: none
    description: Nothing to show.
notes:
  - The site's settings (C(purecloud_region), C(purecloud_networks), the options) are read as by
    M(purecloud.firewall.apply).
seealso:
  - module: purecloud.firewall.apply
"""

EXAMPLES = r"""
- name: Preflight from an Edge, with the other Edge of its group
  purecloud.firewall.connectivity_check:
    products: [edge]
    peers:
      edge: [198.51.100.131]
  register: preflight

- name: Show the table
  ansible.builtin.debug:
    msg: "{{ preflight.table }}"
"""

RETURN = r"""
results:
  description: One entry per check, C(target), C(address), C(protocol), C(port), C(kind), C(ok) (null when not
    checked), C(detail) (the reflexive address for STUN), C(ms) and C(ids).
  returned: always
  type: list
  elements: dict
table:
  description: The results as a fixed-width table.
  returned: always
  type: list
  elements: str
failed_flows:
  description: The checks that failed, as C(protocol/port target (requirement ids)).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.purecloud.firewall.plugins.module_utils.preflight import (
    ARGUMENT_SPEC, resolvers, run_checks, table)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    checks = module.params["checks"]
    if not checks:
        module.fail_json(msg="no checks: run this module by its full name, purecloud.firewall.connectivity_check, "
                             "so its action plans them, or give checks")
    servers = module.params["dns_servers"] or resolvers()
    results = run_checks(checks, servers, timeout=module.params["timeout"], probe_name=module.params["dns_name"] or "")
    failed = ["%s/%s %s (%s)" % (r["protocol"], r["port"], r["target"], " ".join(r["ids"]))
              for r in results if r["ok"] is False]
    outcome = dict(changed=False, results=results, table=table(results), failed_flows=failed)
    if failed and module.params["fail_on_error"]:
        module.fail_json(msg="%d of %d flows failed: %s" % (len(failed), len(results), "; ".join(
            "%s: %s" % (flow, r["detail"]) for flow, r in zip(failed, [r for r in results if r["ok"] is False]))),
            **outcome)
    module.exit_json(**outcome)


if __name__ == "__main__":
    main()
