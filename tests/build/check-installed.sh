#!/usr/bin/env bash
# The built tarball, installed elsewhere, works without this repository:
# its plugins load, document themselves and answer.
set -euo pipefail
installed="$ANSIBLE_COLLECTIONS_PATH/ansible_collections/purecloud/firewall"
[ -f "$installed/vars/catalog.yml" ] || { echo "catalog missing from the tarball" >&2; exit 1; }
cd "$(mktemp -d)"
doc=$(ansible-doc -t lookup purecloud.firewall.requirements)
[[ "$doc" == *"Products to return"* ]] || { echo "$doc" >&2; exit 1; }
out=$(ansible -i localhost, -c local localhost -m ansible.builtin.debug \
  -a "msg={{ query('purecloud.firewall.requirements', 'edge') | length }}/{{ ['5060', '5061'] | purecloud.firewall.port_merge | join }}")
echo "$out" | grep -q '"msg": "19/5060-5061"' || { echo "$out" >&2; exit 1; }
rules=$(ansible-playbook -i localhost, purecloud.firewall.show_rules)
[[ "$rules" == *"edge.https"* ]] || { echo "$rules" >&2; exit 1; }
role=$(ansible-doc -t role purecloud.firewall.edge)
[[ "$role" == *"purecloud_region"* ]] || { echo "$role" >&2; exit 1; }
apply=$(ansible-doc purecloud.firewall.apply)
[[ "$apply" == *"purecloud_firewall_products"* ]] || { echo "$apply" >&2; exit 1; }
ansible-playbook -i "$installed/examples/inventory" purecloud.firewall.site --syntax-check >/dev/null
echo "installed collection: plugins and roles load, document themselves and answer"
