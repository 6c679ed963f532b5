# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Put get_pip_offline.py where ansible-test looks for its cached get-pip script."""

import os
import re
import shutil

import ansible_test

source = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
with open(source) as handle:
    version = re.search(r"pip='([0-9.]+)'", handle.read()).group(1)
cache = os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % version.replace(".", "_"))
if not os.path.exists(cache):
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "get_pip_offline.py"), cache)
