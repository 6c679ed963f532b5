# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for ansible-test's pip bootstrap script (get-pip.py).

ansible-test downloads get-pip.py from a host these machines cannot reach;
it runs the script inside each fresh sanity virtual environment with pip's
own arguments (packages and options, get-pip style).  This gives the
environment the pip bundled with Python (ensurepip), then installs those
packages, the pinned pip among them, from PyPI as the real script would.
"""

import importlib
import runpy
import subprocess
import sys

subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
importlib.invalidate_caches()
# get-pip's own flags; pip install does not know them.
sys.argv = [sys.argv[0], "install"] + [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
runpy.run_module("pip", run_name="__main__", alter_sys=True)
