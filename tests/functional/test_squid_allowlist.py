# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Debian's Squid with the rendered allowlist, in a network namespace of its own.

A web server on 203.0.113.10 stands for every name (Squid's hosts_file maps
them there); a client asks Squid for a page domain and for names the page
does not list.  The namespace lives as long as the test's own process tree.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import textwrap

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("squid") or not shutil.which("unshare"),
                                reason="needs root, Debian's squid and unshare")

WEB = "203.0.113.10"
# Written from the page for us-east-1: allowed names (a sub-domain of each wildcard), refused ones.
ALLOWED = ["apps.mypurecloud.com", "d1.cloudfront.net", "bucket.s3.us-east-1.amazonaws.com", "fonts.googleapis.com"]
REFUSED = ["apps.mypurecloud.de", "stun.l.google.com", "time.nist.gov", "www.example.com", "mypurecloud.com.example"]

SCRIPT = r"""
set -eu
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
ip link set lo up
ip addr add {web}/32 dev lo
(cd {web_root} && exec timeout 120 python3 -m http.server --bind {web} 80 >/dev/null 2>&1) &
timeout 120 squid -N -f {conf} &
squid_pid=$!
for _ in $(seq 1 100); do
  (echo > /dev/tcp/127.0.0.1/3128) 2>/dev/null && break
  kill -0 "$squid_pid" 2>/dev/null || {{ echo "squid exited" >&2; exit 1; }}
  sleep 0.1
done
for name in {names}; do
  code=$(python3 - "$name" <<'EOF'
import sys, urllib.error, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({{"http": "http://127.0.0.1:3128"}}))
try:
    print(opener.open("http://%s/page.txt" % sys.argv[1], timeout=10).status)
except urllib.error.HTTPError as exc:
    print(exc.code)
EOF
)
  echo "$name $code"
done
"""


@pytest.fixture
def squid_dir():
    """Squid drops to the proxy user: its files live where that user can read and write (pytest's are root-only)."""
    folder = tempfile.mkdtemp(prefix="purecloud-squid-")
    os.chmod(folder, 0o777)
    yield folder
    shutil.rmtree(folder)


def test_squid_fetches_page_domains_and_refuses_others(squid_dir):
    tmp_path = pathlib.Path(squid_dir)
    # The files as a user makes them: the collection's playbook, the allowlist's path on the proxy given.
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"), PWD=str(tmp_path))
    made = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
                           os.path.join(REPO, "playbooks", "egress_files.yml"), "-e", "purecloud_region=us-east-1",
                           "-e", "purecloud_egress_dir=files",
                           "-e", "purecloud_egress_acl_path=%s/files/us-east-1.domains" % tmp_path],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert made.returncode == 0, made.stdout + made.stderr
    os.rename(tmp_path / "files" / "purecloud-us-east-1.conf", tmp_path / "purecloud.conf")
    (tmp_path / "hosts").write_text("".join("%s %s\n" % (WEB, name) for name in ALLOWED + REFUSED))
    web_root = tmp_path / "web"
    web_root.mkdir()
    (web_root / "page.txt").write_text("hello\n")
    conf = tmp_path / "squid.conf"
    # Debian's squid.conf keeps CONNECT to SSL ports, then reads conf.d, then denies all: the same order here.
    conf.write_text(textwrap.dedent("""\
        acl SSL_ports port 443
        acl CONNECT method CONNECT
        http_access deny CONNECT !SSL_ports
        include {d}/purecloud.conf
        http_access deny all
        http_port 127.0.0.1:3128
        hosts_file {d}/hosts
        dns_nameservers 127.0.0.1
        cache deny all
        shutdown_lifetime 0 seconds
        pid_filename {s}/squid.pid
        cache_log {s}/cache.log
        access_log stdio:{s}/access.log
        coredump_dir {s}
        """).format(d=squid_dir, s=squid_dir))
    script = SCRIPT.format(web=WEB, web_root=web_root, conf=conf, names=" ".join(ALLOWED + REFUSED))
    done = subprocess.run(["unshare", "--net", "--fork", "--kill-child", "bash", "-c", script], capture_output=True,
                          text=True, timeout=180, check=False)
    log = os.path.join(squid_dir, "cache.log")
    detail = done.stdout + done.stderr + (open(log).read() if os.path.exists(log) else "")
    assert done.returncode == 0, detail
    codes = dict(line.split() for line in done.stdout.splitlines())
    assert codes == dict([(n, "200") for n in ALLOWED] + [(n, "403") for n in REFUSED]), detail
