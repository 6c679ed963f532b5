#!/usr/bin/env bash
# The built tarball, installed elsewhere, works without this repository:
# its plugins load, document themselves and answer.
set -euo pipefail
installed="$ANSIBLE_COLLECTIONS_PATH/ansible_collections/purecloud/firewall"
for edition in catalog.yml editions/current.yml; do
  [ -f "$installed/vars/$edition" ] || { echo "vars/$edition missing from the tarball" >&2; exit 1; }
done
cd "$(mktemp -d)"
doc=$(ansible-doc -t lookup purecloud.firewall.requirements)
[[ "$doc" == *"Products to return"* ]] || { echo "$doc" >&2; exit 1; }
# The Edge's rows: 19 on the page; today 18, its backward-compatibility range deprecated.
out=$(ansible -i localhost, -c local localhost -m ansible.builtin.debug \
  -a "msg={{ query('purecloud.firewall.requirements', 'edge', edition='2018-11-21') | length }}/{{ query('purecloud.firewall.requirements', 'edge') | length }}/{{ ['5060', '5061'] | purecloud.firewall.port_merge | join }}")
echo "$out" | grep -q '"msg": "19/18/5060-5061"' || { echo "$out" >&2; exit 1; }
rules=$(ansible-playbook -i localhost, purecloud.firewall.show_rules)
[[ "$rules" == *"edge.https"* ]] || { echo "$rules" >&2; exit 1; }
role=$(ansible-doc -t role purecloud.firewall.edge)
[[ "$role" == *"purecloud_region"* ]] || { echo "$role" >&2; exit 1; }
apply=$(ansible-doc purecloud.firewall.apply)
[[ "$apply" == *"purecloud_firewall_products"* ]] || { echo "$apply" >&2; exit 1; }
ansible-playbook -i "$installed/examples/inventory" purecloud.firewall.site --syntax-check >/dev/null
echo "installed collection: plugins and roles load, document themselves and answer"
