# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: dnsmasq_dropin
author: purecloud.firewall contributors (@purecloud)
version_added: "0.2.0"
short_description: The collection's own dnsmasq drop-in file, checked by dnsmasq before it is written
description:
  - Writes one file of dnsmasq configuration, by default C(/etc/dnsmasq.d/purecloud-firewall.conf), and nothing
    else of the host's dnsmasq. dnsmasq checks its whole configuration with the new text first
    (C(dnsmasq --test)), so a file dnsmasq would refuse never lands.
  - M(purecloud.firewall.apply) runs it with C(purecloud_cloud_destinations=domains), with the C(nftset) lines
    that fill the firewall's DNS-fed sets, and then restarts dnsmasq only when the file changed (reloads it, to
    clear its cache, when only the firewall's sets were made anew).
  - Fails, saying so, when dnsmasq, or a program of O(programs), is not installed (RV(missing) names them).
options:
  content:
    description: The file's text. Required with O(state=present).
    type: str
  path:
    description: The drop-in file; its directory must be one dnsmasq reads (Debian's C(conf-dir)).
    type: path
    default: /etc/dnsmasq.d/purecloud-firewall.conf
  state:
    description: V(present) writes the file, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  validate_only:
    description: Check that dnsmasq is installed and accepts O(content), and change nothing.
    type: bool
    default: false
  programs:
    description: Other programs that must be installed, such as C(nft).
    type: list
    elements: str
    default: []
  conf_file:
    description:
      - dnsmasq's main configuration file. dnsmasq checks it, with every file of the drop-in's directory and the
        new text in place, as it reads them when it starts (Debian's drop-in directory without its C(.dpkg-*)
        files); so a keyword another file sets too is refused before anything changes.
    type: path
    default: /etc/dnsmasq.conf
attributes:
  check_mode:
    support: full
    description: Reports whether the file would change; writes nothing.
  diff_mode:
    support: full
    description: The file before and after.
"""

EXAMPLES = r"""
- name: Let dnsmasq fill the nftables set purecloud_dns_v4 with the addresses of mypurecloud.com
  purecloud.firewall.dnsmasq_dropin:
    content: |
      server=198.51.100.53
      nftset=/mypurecloud.com/4#inet#purecloud#purecloud_dns_v4
  check_mode: true
"""

RETURN = r"""
path:
  description: The drop-in file.
  returned: always
  type: str
missing:
  description: The programs that are not installed, C(dnsmasq) and those of O(programs).
  returned: on failure
  type: list
  elements: str
"""

import os
import re
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule


def read(path):
    try:
        with open(path) as handle:
            return handle.read()
    except FileNotFoundError:
        return None


# Debian's dnsmasq reads its drop-in directory with these left out (CONFIG_DIR in /etc/default/dnsmasq).
SKIPPED = (".dpkg-dist", ".dpkg-old", ".dpkg-new")


def dnsmasq_refusal(module, dnsmasq, path, content, conf_file):
    """dnsmasq's own complaint about its whole configuration with the drop-in's new text, or "".

    The main file and the drop-in directory are copied to a scratch directory with the new text in place, so a
    keyword another file sets too is found here, not when dnsmasq restarts.
    """
    scratch = tempfile.mkdtemp(prefix="purecloud-dnsmasq-")
    directory, name = os.path.split(path)
    try:
        dropins = os.path.join(scratch, "dnsmasq.d")
        os.mkdir(dropins)
        for entry in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
            source = os.path.join(directory, entry)
            if entry != name and os.path.isfile(source) and not entry.endswith(SKIPPED):
                with open(source) as handle, open(os.path.join(dropins, entry), "w") as out:
                    out.write(handle.read())
        mine = os.path.join(dropins, name)
        with open(mine, "w") as out:
            out.write(content)
        main_text = read(conf_file) or ""
        # A conf-dir line of the main file that reads the drop-ins reads the scratch copy instead.
        pattern = re.compile(r"^(\s*conf-dir\s*=\s*)%s/?(?=[,\s]|$)" % re.escape(directory), re.M)
        rewritten = pattern.sub(lambda m: m.group(1) + dropins, main_text)
        with open(os.path.join(scratch, "dnsmasq.conf"), "w") as out:
            out.write(rewritten)
        argv = [dnsmasq, "--test", "--conf-file=%s" % os.path.join(scratch, "dnsmasq.conf")]
        if rewritten == main_text:
            argv.append("--conf-dir=%s" % ",".join((dropins,) + SKIPPED))
        rc, out, err = module.run_command(argv, check_rc=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if rc == 0:
        return ""
    complaint = (err or out).strip().replace(mine, path).replace(dropins, directory).replace(
        os.path.join(scratch, "dnsmasq.conf"), conf_file)
    line = re.search(r"at line (\d+) of %s" % re.escape(path), complaint)
    lines = content.splitlines()
    if line and 0 < int(line.group(1)) <= len(lines):
        complaint += ": %s" % lines[int(line.group(1)) - 1]  # dnsmasq names the line, not what is on it
    return complaint


def main():
    module = AnsibleModule(argument_spec=dict(
        content=dict(type="str"),
        path=dict(type="path", default="/etc/dnsmasq.d/purecloud-firewall.conf"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        validate_only=dict(type="bool", default=False),
        programs=dict(type="list", elements="str", default=[]),
        conf_file=dict(type="path", default="/etc/dnsmasq.conf"),
    ), required_if=[("state", "present", ["content"])], supports_check_mode=True)
    path, content = module.params["path"], module.params["content"]
    before = read(path)
    result = dict(changed=False, path=path)
    if module.params["state"] == "absent":
        result["changed"] = before is not None
        if before is not None and not module.check_mode and not module.params["validate_only"]:
            os.unlink(path)
        result["diff"] = dict(before=before or "", after="")
        module.exit_json(**result)
    found = dict((program, module.get_bin_path(program, opt_dirs=["/usr/sbin", "/sbin"]))
                 for program in ["dnsmasq"] + module.params["programs"])
    missing = [program for program, where in found.items() if not where]
    if missing and (module.params["validate_only"] or not module.check_mode):
        module.fail_json(msg="%s not installed on this host" % " and ".join(missing), missing=missing, **result)
    # In check mode, a dnsmasq still to be installed cannot check the text; the real run does.
    refusal = dnsmasq_refusal(module, found["dnsmasq"], path, content, module.params["conf_file"]) \
        if found["dnsmasq"] else ""
    if refusal:
        module.fail_json(msg="dnsmasq refuses the drop-in for %s: %s" % (path, refusal), **result)
    result.update(changed=before != content, diff=dict(before=before or "", after=content))
    if result["changed"] and not module.check_mode and not module.params["validate_only"]:
        directory = os.path.dirname(path)
        if not os.path.isdir(directory):
            os.makedirs(directory, 0o755)
        handle, staged = tempfile.mkstemp(dir=directory, prefix=".purecloud-")
        with os.fdopen(handle, "w") as out:
            out.write(content)
        os.chmod(staged, 0o644)
        module.atomic_move(staged, path)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
