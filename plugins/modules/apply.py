# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: apply
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: Apply the firewall flows of PureCloud products to this host, in one module run
description:
  - The path every role of the collection shares. On the controller it selects the products' requirements
    from the catalog, resolves the options and ports, compiles them against the site's networks, keeps the
    rules this host enforces in its mode, and renders them for the backend; on the host it applies them
    with one run of M(purecloud.firewall.nft_table) or M(purecloud.firewall.firewalld_state).
  - B(Every option falls back to a variable), so inventory variables configure a whole site and the roles
    pass only their product. The variable is the option's name with C(purecloud_) in front, except
    O(products) (C(purecloud_firewall_products)), O(backend) (C(purecloud_firewall_backend)),
    O(mode) (C(purecloud_firewall_mode)) and O(state) (C(purecloud_firewall_state)).
    An option given to the task wins over the variable.
  - O(products) given to the task are added to C(purecloud_firewall_products). The flows of every product
    a host carries are applied together, as one owned table or one set of owned firewalld objects; a host
    that several roles serve lists all their products in C(purecloud_firewall_products).
  - Everything is checked before the host is touched; a bad value fails naming the variable and what is
    allowed. Requirements that cannot be resolved yet (vendor-specified ports, a SIP provider's or PBX's
    networks not given) are skipped with a warning naming the variable that brings them in.
  - Supports check mode and diff, like the modules it runs.
options:
  products:
    description:
      - Products whose flows this host's firewall carries.
      - Added to the variable C(purecloud_firewall_products).
    type: list
    elements: str
    required: true
    # BEGIN generated product-choices
    choices: [edge, byoc_premises, voice, bridge, webrtc_client, byoc_cloud]
    # END generated product-choices
  region:
    description:
      - The organisation's Genesys Cloud (PureCloud) region, its AWS code. Selects the AWS prefixes and the Genesys
        media blocks in strict mode (O(cloud_destinations=aws_ip_ranges)); the reports and preflight checks use its
        domain.
      # BEGIN generated region-list
      - "The regions of edition V(current): V(us-east-1), V(eu-west-1), V(eu-central-1), V(ap-southeast-2),
        V(ap-northeast-1), V(us-west-2), V(ca-central-1), V(ap-northeast-2), V(eu-west-2), V(ap-south-1),
        V(sa-east-1), V(ap-northeast-3), V(eu-central-2), V(me-central-1), V(mx-central-1), V(ap-southeast-1),
        V(us-east-2), V(eusc-de-east-1); of edition V(2018-11-21): V(us-east-1), V(eu-west-1), V(eu-central-1),
        V(ap-southeast-2), V(ap-northeast-1). A catalog overlay may add more; an unknown region is refused,
        naming the nearest."
      # END generated region-list
      - Variable C(purecloud_region).
    type: str
    required: true
  catalog_edition:
    description:
      - The catalog edition the flows come from. V(current) is the vendor's data today (18 regions, the Genesys
        media blocks, media on udp/16384-65535); V(2018-11-21) is the page of that date, row for row.
      - Variable C(purecloud_catalog_edition).
    type: str
    # BEGIN generated edition-choices
    choices: ["2018-11-21", "current"]
    default: current
    # END generated edition-choices
  catalog_overlays:
    description:
      - YAML files merged by id over the edition, in order, to add, replace or drop requirement rows, regions,
        domains and CIDR sets (see C(docs/catalog.md) and C(examples/catalog-overlay.yml)).
      - A bad overlay fails naming the file, the id and the field, before any host is touched.
      - Variable C(purecloud_catalog_overlays).
    type: list
    elements: path
    default: []
  backend:
    description:
      - V(auto) picks the network platform from C(ansible_network_os) on a network device, and on a Linux host
        firewalld when it is running, else nftables.
      - V(cisco_ios) (IOS and IOS-XE), V(cisco_nxos), V(arista_eos), V(junos), V(vyos), a network device. The flows
        become one named ACL (Junos filter, VyOS rule set) per product and direction, in the form of the vendor's
        ACL resource module; the role's network tasks hand it to that module, which replaces only those ACLs.
        Devices are gateways; see C(docs/NETWORK.md) for binding the ACLs to interfaces and for commit safety.
      - V(checkpoint), a Check Point management server (check_point.mgmt) - objects, groups, services, and one
        access rule per flow in the collection's section C(PURECLOUD), published at the end.
      - V(fortios), a FortiGate through C(fortinet.fortios) (see the C(fortios_*) options).
      - V(panos) (Palo Alto PAN-OS XML), V(asa) (Cisco ASA access-lists with object-groups), V(srx) (Juniper SRX
        address book and security policies), perimeter firewalls rendered through Aerleon, render-only; V(windows)
        (Windows Defender Firewall netsh rules), rendered through Aerleon in host mode for O(host_class). The file is
        written under O(network_render_dir) for review and loading; see C(docs/NETWORK.md).
      - Variable C(purecloud_firewall_backend).
    type: str
    choices: [auto, firewalld, nftables, arista_eos, asa, checkpoint, cisco_ios, cisco_nxos, fortios, junos, panos, srx,
              vyos, windows]
    default: auto
  mode:
    description:
      - V(gateway), this host forwards between the site networks and the internet and filters what it forwards,
        statefully (return traffic passes).
      - V(host), this host is an endpoint of the flows; it filters what reaches it (and, with
        O(egress_filtering), what it sends).
      - Variable C(purecloud_firewall_mode).
    type: str
    choices: [gateway, host]
    default: gateway
  host_class:
    description:
      - In host mode, the site endpoint class this host plays.
      - Defaults to the product's only device class (the catalog's C(devices) of the product); required where a
        product has several.
      - Variable C(purecloud_host_class).
    type: str
  networks:
    description:
      - "Endpoint class to the list of CIDRs that are that class at this site, for example
        C({edge: [10.1.0.0/28], voip_phone: [10.2.0.0/22], workstation: [10.3.0.0/16]})."
      - The keys are the catalog's endpoint classes (see C(docs/catalog.md)), the site's own and the remote ones
        to narrow a destination.
      - In gateway mode every site class the products use is required (C(corporate_ad) only with O(ldap)).
        The classes only you can know (a carrier's, a PBX's, the BYOC Cloud endpoints; C(supplied) in the catalog)
        are optional; their flows are skipped, with a warning, until given.
      - Variable C(purecloud_networks).
    type: dict
    default: {}
  cloud_destinations:
    description:
      - Where the flows to PureCloud (and its phone provisioning) may go.
      - V(any), any address, as the vendor recommends, since the cloud's addresses change often.
      - V(aws_ip_ranges), strict, the region's AWS prefixes from the feed at O(aws_ip_ranges_src), IPv4 and IPv6,
        aggregated, read on the controller; and, for the media, STUN and TURN rows the vendor serves from its own
        blocks, the catalog's CIDR sets of the region (the Genesys media blocks), in addition.
      - A list of CIDRs, exactly those, for every cloud class.
      - V(domains), the TCP rows to a cloud class that has domains (its HTTPS) go only to the region's domains of
        that class; other rows (media, STUN over UDP, NTP) keep their destinations.
      - With V(domains) on a network platform with FQDN address objects, those rows name the domains as FQDN
        objects. A platform without FQDN objects refuses it, naming the platforms that have them.
      - With V(domains) on nftables or firewalld, dnsmasq on this host resolves for the site's clients and adds
        each answer for those names to an nftables set of the class that keeps it O(dns_ttl) seconds; the TCP
        rows allow only addresses in it. dnsmasq is installed if missing, and gets the drop-in
        C(/etc/dnsmasq.d/purecloud-firewall.conf), nothing else of its configuration. It needs
        O(internal_dns=true) (the clients resolve through this host, and DNS to any other resolver is refused),
        the V(drop) O(default_policy), O(dns_upstream), and in host mode O(egress_filtering=true).
      - On firewalld the flows stay open in its policies and a table of the collection's own, C(inet
        purecloud_dns), holds them to the lookups, because firewalld 1.3 (Debian 12) gives an ipset's nftables set
        no timeout (firewalld issue 699, fixed in 2.0), so an address dnsmasq added would never leave it. That table
        needs the C(nft) program, installed with the nftables package if missing.
      - Variable C(purecloud_cloud_destinations).
    type: raw
    default: any
  aws_ip_ranges_src:
    description:
      - The AWS C(ip-ranges.json) feed for strict mode, a path on the controller or an http(s) URL
        (cached like P(purecloud.firewall.ip_ranges#lookup) does).
      - Variable C(purecloud_aws_ip_ranges_src).
    type: str
    default: https://ip-ranges.amazonaws.com/ip-ranges.json
  genesys_ip_ranges_services:
    description:
      - In strict mode, also allow the prefixes that Genesys Cloud's own feed (C(GET /api/v2/ipranges) of the
        region, see P(purecloud.firewall.genesys_ip_ranges#lookup)) lists for these services, for example
        V(api), wherever the cloud's AWS prefixes are allowed. Only entries towards Genesys Cloud (direction
        V(inbound) or V(both), or none given) count.
      - Empty, the feed is not read.
      - Variable C(purecloud_genesys_ip_ranges_services).
    type: list
    elements: str
    default: []
  genesys_ip_ranges_src:
    description:
      - A saved answer of the feed (a file on the controller, no network), or a URL in place of the region's
        C(https://api.<domain>/api/v2/ipranges).
      - Variable C(purecloud_genesys_ip_ranges_src).
    type: str
  genesys_client_id:
    description:
      - The OAuth client (client credentials grant) that reads the Genesys Cloud feed; else the environment
        variable C(GENESYSCLOUD_OAUTHCLIENT_ID), as the vendor's tools read it.
      - Variable C(purecloud_genesys_client_id).
    type: str
  genesys_client_secret:
    description:
      - That client's secret; else the environment variable C(GENESYSCLOUD_OAUTHCLIENT_SECRET). Never logged.
      - Variable C(purecloud_genesys_client_secret).
    type: str
  feed_max_age:
    description:
      - Strict mode refuses a copy of the AWS or Genesys Cloud feed older than this many days (a cached download,
        or a feed file by its modification time), saying how old it is. V(0) accepts any age.
      - Variable C(purecloud_feed_max_age).
    type: float
    default: 7
  feed_allow_stale:
    description:
      - Use a feed older than O(feed_max_age) anyway, with a warning.
      - Variable C(purecloud_feed_allow_stale).
    type: bool
    default: false
  ldap:
    description:
      - The Bridge Server integrates with Active Directory, open LDAP (389) and LDAPS (636) to C(corporate_ad).
      - Variable C(purecloud_ldap).
    type: bool
    default: false
  legacy_provisioning:
    description:
      - Keep the legacy phone provisioning ports 8088 and 8089 (BYOC Premises).
      - Variable C(purecloud_legacy_provisioning).
    type: bool
    default: false
  turn_backward_compat:
    description:
      - Open udp/49152-65535 for TURN backward compatibility (Edge, Voice, BYOC Premises), as the 2018 page
        lists it. The client's own 49152-65535 SRTP flow (webrtc_client) is required and not affected.
      - Matters for edition V(2018-11-21) only; in V(current) those rows are deprecated, the range lying
        inside the required udp/16384-65535.
      - Variable C(purecloud_turn_backward_compat).
    type: bool
    default: false
  internal_dns:
    description:
      - The site resolves names through its own DNS servers; the flows to public DNS are left out.
      - Variable C(purecloud_internal_dns).
    type: bool
    default: false
  dns_upstream:
    description:
      - The resolvers this host's dnsmasq forwards to, with O(cloud_destinations=domains) on nftables or
        firewalld; IP addresses, C(address#port) for a port other than 53.
      - The drop-in makes them dnsmasq's only upstream (C(no-resolv)).
      - In host mode with O(egress_filtering), DNS leaves the host only towards them.
      - Variable C(purecloud_dns_upstream).
    type: list
    elements: str
    default: []
  dns_ttl:
    description:
      - Seconds a DNS-fed set keeps an address after the lookup that returned it, and after the last new
        connection to it; 1 to 3600.
      - dnsmasq neither keeps an answer nor hands one out for longer (C(max-cache-ttl), C(max-ttl)), so an answer
        a client holds is in the set.
      - Variable C(purecloud_dns_ttl).
    type: int
    default: 300
  phone_rtp_ports:
    description:
      - RTP/SRTP ports from Edges to VoIP phones. The page says only C(udp/4000+); the default is 4000-65535.
      - Variable C(purecloud_phone_rtp_ports).
    type: list
    elements: str
  sip_provider_sip_ports:
    description:
      - SIP ports of the telephony SIP provider, as it gives them, for example C([udp/5060, tcp/5061]); a bare port
        applies to both protocols. Until given, the Edge's SIP provider rows are skipped with a warning.
      - Variable C(purecloud_sip_provider_sip_ports).
    type: list
    elements: str
  sip_provider_rtp_ports:
    description:
      - RTP/SRTP ports of the telephony SIP provider. Until given, that row is skipped with a warning.
      - Variable C(purecloud_sip_provider_rtp_ports).
    type: list
    elements: str
  byoc_cloud_sip_ports:
    description:
      - Ports between the premises carrier or PBX and the BYOC Cloud SIP endpoints, as the carrier gives them.
        Until given, the BYOC Cloud rows are skipped with a warning.
      - Variable C(purecloud_byoc_cloud_sip_ports).
    type: list
    elements: str
  port_overrides:
    description:
      - "Requirement id to ports, for the rows whose port the PureCloud configuration can change
        (for example C({edge.phones.sip.udp: [5070]})). Other ids are refused, naming the movable ones."
      - Variable C(purecloud_port_overrides).
    type: dict
    default: {}
  default_policy:
    description:
      - V(drop), only the listed flows pass; V(accept), the flows are opened and nothing else is blocked.
      - Defaults to V(drop) in gateway mode and V(accept) in host mode.
      - In host mode V(drop) refuses SSH to the host except from O(management); the module fails rather than
        cut the session it runs in.
      - Variable C(purecloud_default_policy).
    type: str
    choices: [drop, accept]
  egress_filtering:
    description:
      - In host mode, also filter what the host sends, allowing the flows its class sends.
      - Variable C(purecloud_egress_filtering).
    type: bool
    default: false
  management:
    # Its type and suboptions are the management fragment's, shared with the backend modules.
    description:
      - Management SSH, always kept open on the host (host mode with V(drop)).
      - Variable C(purecloud_management).
  state:
    description:
      - V(present) applies the flows; V(absent) removes everything the collection owns on the host.
      - Variable C(purecloud_firewall_state).
    type: str
    choices: [present, absent]
    default: present
  network_render_only:
    description:
      - On a network device, render the ACLs in the device's syntax (the vendor module's C(rendered) state, no device
        connection) and write them to O(network_render_dir) for review in a change window, instead of applying them.
      - Variable C(purecloud_network_render_only).
    type: bool
    default: false
  network_render_dir:
    description:
      - Where O(network_render_only) writes each device's config, on the controller, one file per inventory host;
        a relative path is under O(output_dir).
      - Variable C(purecloud_network_render_dir).
    type: path
    default: purecloud-rendered
  rollback_timeout:
    description:
      - On a Linux host, seconds after which the host restores its previous rules by itself unless the run
        confirms over a fresh connection, which it does at once after the change. V(0) applies for good.
      - Default (none given), on (120 s) where the change could cut the session the run needs, that is a host in
        host mode with the V(drop) O(default_policy), and a firewalld gateway, whose zones by source filter what
        reaches the gateway too. Off on an nftables gateway, whose rules filter only what it forwards, and with
        the V(accept) policy.
      - A run that cannot reach the host again fails, saying when the host restores itself.
      - On a network device whose module has a confirmed commit (Junos C(commit confirmed), Cisco IOS / IOS-XE
        C(configure terminal revert timer), which needs C(archive) on the device), the same seconds rounded up to
        whole minutes, the device's unit; the role confirms over a fresh connection at once. Off by default there, as
        the collection's lists bind to no interface of their own, so a change cuts the session only where the site
        bound one on the management path. On the other platforms the change is applied for good, with a warning.
        Not in check mode nor render-only, where nothing is committed.
      - Variable C(purecloud_rollback_timeout).
    type: int
  output_dir:
    description:
      - The folder on the controller under which relative output paths go (O(network_render_dir); the report,
        changes, drift and egress_files playbooks' files too). Default, the directory the run was started from,
        never the collection's.
      - Variable C(purecloud_output_dir).
    type: path
extends_documentation_fragment:
  - purecloud.firewall.management
  - purecloud.firewall.checkpoint
  - purecloud.firewall.fortios
  - purecloud.firewall.aerleon
attributes:
  check_mode:
    support: full
    description: Plans on the controller and runs the backend module in check mode; nothing on the host changes.
  diff_mode:
    support: full
    description: The backend module's diff, the table or the owned firewalld objects before and after.
requirements:
  - On the host, nftables (C(nft)) or firewalld with its Python bindings.
notes:
  - Runs as an action plugin; the planning happens on the controller, once per host, in milliseconds.
seealso:
  - module: purecloud.firewall.nft_table
  - module: purecloud.firewall.firewalld_state
  - plugin: purecloud.firewall.compile_rules
    plugin_type: filter
"""

EXAMPLES = r"""
- name: A site gateway forwarding Edge, Voice and client traffic, configured by variables
  hosts: site_gateways
  vars:
    purecloud_region: eu-central-1
    purecloud_networks:
      edge: [198.51.100.128/28]
      voip_phone: [198.51.100.192/27]
      workstation: [198.51.100.224/27]
  tasks:
    - name: Apply the flows
      purecloud.firewall.apply:
        products: [edge, voice, webrtc_client]

- name: A Bridge Server filtering what it sends, strict to the region's AWS prefixes
  hosts: bridge_servers
  tasks:
    - name: Apply the Bridge flows in host mode
      purecloud.firewall.apply:
        products: [bridge]
        region: us-east-1
        mode: host
        egress_filtering: true
        default_policy: drop
        cloud_destinations: aws_ip_ranges
        management:
          sources: [198.51.100.0/25]
      register: bridge_rules

    - name: Show what the host enforces
      ansible.builtin.debug:
        msg: "{{ bridge_rules | purecloud.firewall.rules_table }}"
"""

RETURN = r"""
backend:
  description: The backend the flows were applied with.
  returned: always
  type: str
  sample: nftables
products:
  description: Every product the host's firewall carries.
  returned: always
  type: list
  elements: str
  sample: [edge, voice]
mode:
  description: V(gateway) or V(host).
  returned: always
  type: str
host_class:
  description: The endpoint class the host plays in host mode.
  returned: always
  type: str
catalog:
  description: The catalog the rules come from, C(edition), C(overlays) (their paths) and C(catalog_version).
  returned: always
  type: dict
  sample: {edition: current, overlays: [], catalog_version: 1.1.0}
rules:
  description: The compiled rules the host enforces (see P(purecloud.firewall.compile_rules#filter)).
  returned: always
  type: list
  elements: dict
excluded:
  description: Compiled rules of the rows the options leave out (backward compatibility, legacy, LDAP, DNS), for
    verification and reports.
  returned: always
  type: list
  elements: dict
unresolved:
  description:
    - Requirements not applied yet (also given as warnings), each with C(id), C(reason), C(kind)
      (V(no_ports) or V(no_networks)) and C(missing) (the port variable, or the endpoint class, that would
      bring it in).
  returned: always
  type: list
  elements: dict
module_args:
  description: What was passed to the backend module (Linux hosts).
  returned: always
  type: dict
summary:
  description:
    - On a Linux host, one line of what it enforces, the backend's table or policies, rules, flows, products,
      the rows skipped and why, and the catalog edition; the roles print it.
  returned: on Linux hosts, with O(state=present)
  type: str
  sample: "nftables inet purecloud: 27 rules for 26 flows of edge, voice, 3 rows skipped (no
    purecloud_sip_provider_sip_ports; no purecloud_sip_provider_rtp_ports), edition current"
rollback:
  description:
    - When a rollback timer was armed, C(deadline) (seconds since the epoch), C(file), and C(confirmed), true once
      the run cancelled it over a fresh connection.
  returned: when the rules changed with O(rollback_timeout) on
  type: dict
dns:
  description:
    - With O(cloud_destinations=domains), the DNS-fed classes (C(classes), each with its names), C(upstream) and
      C(ttl).
  returned: with cloud_destinations domains
  type: dict
dnsmasq:
  description:
    - On a Linux host with O(cloud_destinations=domains), the drop-in's run (C(path), C(changed), C(diff)) and
      C(service), what was done to dnsmasq (V(restarted) when the file changed, V(reloaded) when the firewall's
      sets were made anew, else V(started)).
  returned: with cloud_destinations domains, on Linux hosts
  type: dict
dns_guard:
  description:
    - On firewalld with O(cloud_destinations=domains), the run of M(purecloud.firewall.nft_table) on the table
      C(inet purecloud_dns) that holds the TCP flows to their lookups (C(changed), C(table), C(diff)).
  returned: with cloud_destinations domains, on firewalld
  type: dict
network:
  description:
    - On a network device, what the role's network tasks pass to the vendor's module, C(module), C(config),
      C(state) (V(replaced), V(rendered) or V(deleted)), the owned C(acls), and for VyOS the C(commands).
    - With O(rollback_timeout) on a platform that confirms, C(confirm), with C(minutes) (the device's timer),
      C(seconds) (as given) and C(how) (the vendor's mechanism), which the role's tasks commit and confirm by.
  returned: on network devices
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.purecloud.firewall.plugins.module_utils.site import ARGUMENT_SPEC


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.fail_json(msg="purecloud.firewall.apply runs through its action plugin; call it by its full name "
                         "from a playbook, not as a bare module")


if __name__ == "__main__":
    main()
