# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers the lab's tests import (a module of its own: two conftest.py files cannot share a name)."""

import os
import shutil
import subprocess
import sys

import pytest

LAB_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LAB_CLI = os.path.join(LAB_DIR, "lab.py")
NEEDED = ("ip", "unshare", "nsenter", "nc", "/usr/sbin/sshd", "/usr/sbin/nft", "/usr/sbin/firewalld")


def lab_unavailable():
    if os.geteuid() != 0:
        return "the lab needs root"
    missing = [tool for tool in NEEDED if not shutil.which(tool)]
    return "missing: %s" % ", ".join(missing) if missing else ""


needs_lab = pytest.mark.skipif(bool(lab_unavailable()), reason=lab_unavailable() or "lab available")


def ansible_bin(name):
    return os.path.join(os.path.dirname(sys.executable), name)


def ansible(inventory, *args, timeout=180):
    return subprocess.run([ansible_bin("ansible"), "-i", inventory] + list(args),
                          capture_output=True, text=True, timeout=timeout, check=False)
