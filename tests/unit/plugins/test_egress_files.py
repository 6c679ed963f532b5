# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The egress_files lookup: a real PAC engine (pacparser) and Squid's own parser read what it renders.

The expected names are the page's "Domains and IP Addresses" table for an
organisation in us-east-1, written here by hand: the web rows, not the NTP
(time.nist.gov) or STUN (*.l.google.com) ones, not the legacy *.ininpcv.com.
The media blocks are those of genesys-cloud-current.md (Genesys media CIDRs).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

pacparser = pytest.importorskip("pacparser")

PROXY = "PROXY proxy.example.net:3128"
PAGE_WEB_NAMES_US_EAST_1 = [
    "*.mypurecloud.com", "*.cloudfront.net", "*.s3.amazonaws.com", "*.s3.us-east-1.amazonaws.com",
    "*.googleapis.com", "*.gstatic.com", "*.google-analytics.com", "*.js-agent.newrelic.com",
    "*.bam.nr-data.net", "*.ztp.polycom.com"]
NOT_WEB = ["time.nist.gov", "stun.l.google.com", "phones.ininpcv.com"]
MEDIA_BLOCKS = ["52.129.96.0/20", "169.150.104.0/21", "167.234.48.0/20", "136.245.64.0/18"]
# An address inside each block (first, middle or last), and addresses just outside them.
MEDIA_INSIDE = ["52.129.96.1", "52.129.111.254", "169.150.104.9", "169.150.111.255", "167.234.48.77",
                "167.234.63.200", "136.245.64.1", "136.245.127.254"]
MEDIA_OUTSIDE = ["52.129.112.1", "169.150.112.0", "167.234.64.1", "136.245.128.1", "198.51.100.20"]


def _host(pattern):
    return pattern.replace("*.", "apps.", 1)


def _routes(pac, hosts):
    pacparser.init()
    try:
        pacparser.parse_pac_string(pac)
        return {host: pacparser.find_proxy("https://%s/" % host, host) for host in hosts}
    finally:
        pacparser.cleanup()


@pytest.fixture(scope="module")
def files(lookup):
    return lookup("egress_files", "us-east-1", proxy=PROXY, default="PROXY other.example.net:8080")[0]


def test_the_names_are_the_pages_web_rows_with_the_region_filled_in(files):
    assert sorted(files["domains"]) == sorted(PAGE_WEB_NAMES_US_EAST_1)
    assert files["media_networks"] == MEDIA_BLOCKS


def test_pac_engine_sends_every_page_domain_to_the_proxy(files):
    hosts = [_host(p) for p in PAGE_WEB_NAMES_US_EAST_1] + [p[2:] for p in PAGE_WEB_NAMES_US_EAST_1]
    routes = _routes(files["pac"], hosts + ["APPS.MYPURECLOUD.COM"])
    assert routes == dict((h, PROXY) for h in hosts + ["APPS.MYPURECLOUD.COM"])


def test_pac_engine_sends_media_direct_and_the_rest_to_the_default(files):
    routes = _routes(files["pac"], MEDIA_INSIDE + MEDIA_OUTSIDE + NOT_WEB + ["mypurecloud.com.evil.example",
                                                                             "notmypurecloud.com"])
    assert all(routes[h] == "DIRECT" for h in MEDIA_INSIDE), routes
    assert all(routes[h] == "PROXY other.example.net:8080" for h in routes if h not in MEDIA_INSIDE), routes


def test_pac_of_another_region_has_its_own_domain(lookup):
    pac = lookup("egress_files", "eu-central-1", proxy=PROXY)[0]["pac"]
    routes = _routes(pac, ["apps.mypurecloud.de", "apps.mypurecloud.com", "x.s3.eu-central-1.amazonaws.com",
                           "x.s3.us-east-1.amazonaws.com"])
    assert routes == {"apps.mypurecloud.de": PROXY, "apps.mypurecloud.com": "DIRECT",
                      "x.s3.eu-central-1.amazonaws.com": PROXY, "x.s3.us-east-1.amazonaws.com": "DIRECT"}


def test_pac_direct_networks_and_the_2018_edition_without_media_blocks(lookup):
    old = lookup("egress_files", "us-east-1", proxy=PROXY, edition="2018-11-21", direct=["203.0.113.0/24"])[0]
    assert old["media_networks"] == []
    routes = _routes(old["pac"], ["203.0.113.7", "52.129.96.1", "apps.mypurecloud.com"])
    assert routes == {"203.0.113.7": "DIRECT", "52.129.96.1": "DIRECT", "apps.mypurecloud.com": PROXY}


def test_squid_allowlist_holds_each_page_name_once(files):
    lines = [line for line in files["squid_acl"].splitlines() if not line.startswith("#")]
    assert sorted(lines) == sorted("." + p[2:] for p in PAGE_WEB_NAMES_US_EAST_1)
    assert files["squid_conf"].splitlines()[1:] == [
        'acl purecloud_domains dstdomain "/etc/squid/purecloud/us-east-1.domains"',
        "http_access allow purecloud_domains"]


@pytest.mark.skipif(not shutil.which("squid"), reason="Debian's squid is not installed (scripts/install-deps)")
def test_squid_parses_the_rendered_include(lookup, tmp_path):
    """Squid's own parser on a squid.conf that includes the rendered files; a broken line fails it."""
    acl = tmp_path / "us-east-1.domains"
    got = lookup("egress_files", "us-east-1", acl_path=str(acl), clients=["198.51.100.224/27"])[0]
    acl.write_text(got["squid_acl"])
    include = tmp_path / "purecloud.conf"
    include.write_text(got["squid_conf"])
    conf = tmp_path / "squid.conf"
    conf.write_text("include %s\nhttp_access deny all\nhttp_port 127.0.0.1:3128\n" % include)

    def parse():
        return subprocess.run(["squid", "-k", "parse", "-f", str(conf)], capture_output=True, text=True, timeout=60, check=False,
                              env=dict(os.environ, HOME=str(tmp_path)))

    result = parse()
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr and "WARNING" not in result.stderr, result.stderr
    include.write_text(got["squid_conf"].replace("dstdomain", "dstdomian"))
    assert parse().returncode != 0


@pytest.mark.parametrize("options, message", [
    ({"proxy": "proxy.example.net:3128"}, "proxy 'proxy.example.net:3128': give DIRECT or \"PROXY host:port\""),
    ({"proxy": PROXY, "default": "BLOCK"}, "default 'BLOCK'"),
    ({"clients": ["198.51.100.300/24"]}, "clients: '198.51.100.300/24' is not a network"),
    ({"acl_path": "relative/path"}, "acl_path 'relative/path' must be an absolute path"),
    ({"proxy": PROXY, "direct": ["bad"]}, "direct: 'bad' is not a network"),
])
def test_bad_options_name_the_option_and_value(lookup, options, message):
    with pytest.raises(Exception, match="purecloud.firewall.egress_files: .*" + _escape(message)):
        lookup("egress_files", "us-east-1", **options)


def test_unknown_region_and_two_regions_are_refused(lookup):
    with pytest.raises(Exception, match="region"):
        lookup("egress_files", "us-east-9")
    with pytest.raises(Exception, match="give one region"):
        lookup("egress_files", "us-east-1", "eu-west-1")


def _escape(text):
    import re
    return re.escape(text)


def test_playbook_writes_the_files_where_it_was_started_and_says_where(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(root, ".build", "collections"), PWD=str(tmp_path),
               ANSIBLE_NOCOLOR="1")
    done = subprocess.run([os.path.join(root, ".venv", "bin", "ansible-playbook"),
                           os.path.join(root, "playbooks", "egress_files.yml"), "-e", "purecloud_region=us-east-1",
                           "-e", "purecloud_egress_proxy='%s'" % PROXY, "-e", "purecloud_egress_dir=egress"],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    folder = tmp_path / "egress"
    assert sorted(os.listdir(folder)) == ["purecloud-us-east-1.conf", "purecloud-us-east-1.pac", "us-east-1.domains"]
    for name in os.listdir(folder):
        assert str(folder / name) in done.stdout
    routes = _routes((folder / "purecloud-us-east-1.pac").read_text(), ["apps.mypurecloud.com", "52.129.96.1"])
    assert routes == {"apps.mypurecloud.com": PROXY, "52.129.96.1": "DIRECT"}
    assert not os.path.exists(os.path.join(root, "playbooks", "egress"))
