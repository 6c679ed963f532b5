# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report: a host whose check failed, that was unreachable or whose device was not read back is in it,
not checked, with its error; every host of the play is.

The failed results are written as ansible-core registers them: a task that could not reach its host (with
``ignore_unreachable``) gives ``unreachable`` and ``msg``, a failed one ``failed`` and ``msg``, a skipped one
``skipped``.
"""

from __future__ import annotations

from ansible_collections.purecloud.firewall.plugins.module_utils import drift_report

NETWORK = {"backend": "arista_eos", "module": "arista.eos.eos_acls", "state": "replaced", "render_only": False,
           "acls": [["ipv4", "PURECLOUD-EDGE-OUT"]],
           "config": [{"afi": "ipv4", "acls": [{"name": "PURECLOUD-EDGE-OUT", "aces": [
               {"sequence": 10, "grant": "permit", "protocol": "udp", "source": {"any": True},
                "destination": {"any": True, "port_protocol": {"eq": "53"}}}]}]}]}
DEVICE_RESULT = {"changed": False, "backend": "arista_eos", "products": ["edge"], "network": NETWORK}
UNREACHABLE = {"unreachable": True, "changed": False,
               "msg": "Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 9: Connection refused"}
SKIPPED = {"changed": False, "skipped": True, "skip_reason": "Conditional result was False"}


def test_an_unreachable_host_is_not_checked_with_its_error_never_as_desired():
    found = drift_report.host_summary(UNREACHABLE)
    assert found["drifted"] is None and found["checked"] is False
    assert found["reason"] == "unreachable" and found["error"] == UNREACHABLE["msg"]
    assert found["summary"] == "not checked, unreachable: " + UNREACHABLE["msg"]
    assert "as desired" not in found["summary"]


def test_a_failed_check_is_not_checked_even_where_it_says_changed():
    found = drift_report.host_summary({"failed": True, "changed": True, "msg": "nft: permission denied",
                                       "network": NETWORK})
    assert (found["drifted"], found["checked"], found["reason"], found["error"]) == \
        (None, False, "the check failed", "nft: permission denied")


def test_a_device_whose_read_back_failed_is_not_checked_rather_than_missing_every_list():
    refused = {"failed": True, "changed": False, "msg": "[Errno None] Unable to connect to port 22 on 127.0.0.1"}
    found = drift_report.host_summary(DEVICE_RESULT, {"lists": [], "groups": [], "running": "",
                                                      "reads": [refused, SKIPPED, SKIPPED]})
    assert found["drifted"] is None and found["checked"] is False and found["lists"] == []
    assert found["reason"] == "the device's config could not be read back" and found["error"] == refused["msg"]
    assert found["backend"] == "arista_eos" and found["products"] == ["edge"]
    # Read back, but nothing of the list on the device: that is drift.
    read = {"changed": False, "gathered": []}
    found = drift_report.host_summary(DEVICE_RESULT, {"lists": [], "reads": [read, SKIPPED]})
    assert found["drifted"] is True and found["error"] is None and found["lists"][0]["missing"] is True


def test_every_host_of_the_play_is_in_the_report_in_its_order():
    same = drift_report.host_summary({"changed": False, "backend": "nftables"})
    summaries = {"gwb": same, "gwa": drift_report.host_summary(UNREACHABLE)}
    report = drift_report.play_report(["gwa", "gwb", "gwc"], summaries)
    assert list(report) == ["gwa", "gwb", "gwc"]
    assert report["gwa"]["reason"] == "unreachable" and report["gwb"] is same
    # gwc stopped before its summary was made: there, not checked, with why.
    assert report["gwc"]["drifted"] is None and report["gwc"]["checked"] is False
    assert report["gwc"]["reason"] == "the check did not finish" and report["gwc"]["error"]
    assert sorted(report["gwc"]) == sorted(same)  # one shape for every host
