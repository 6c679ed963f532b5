# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: output_path
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: Where a file the collection writes goes, on the controller
description:
  - A relative path under O(output_dir), or, without one, under the directory the run was started from (the
    controller's working directory). An absolute path stays as it is.
  - The collection's playbooks write through it, so nothing lands inside the installed collection, where a
    relative C(dest) of a task in one of its playbooks would go.
options:
  _input:
    description: The file or folder, relative or absolute.
    type: path
    required: true
  output_dir:
    description: The folder relative paths go under (C(purecloud_output_dir)); none, the working directory.
    type: path
"""

EXAMPLES = r"""
- name: Where the change request goes
  ansible.builtin.debug:
    msg: "{{ 'purecloud-report' | purecloud.firewall.output_path(purecloud_output_dir | default(none)) }}"
"""

RETURN = r"""
_value:
  description: The absolute path.
  type: path
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.purecloud.firewall.plugins.plugin_utils.output import output_path as _output_path


def output_path(path, output_dir=None):
    if not isinstance(path, str) or not path:
        raise AnsibleFilterError("purecloud.firewall.output_path: expects a file or folder name, got %r" % (path,))
    return _output_path(path, output_dir)


class FilterModule(object):
    def filters(self):
        return {"output_path": output_path}
