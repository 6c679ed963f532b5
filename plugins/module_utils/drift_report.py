# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift playbook's report: each host's summary, and every host of the play in it.

A host's summary comes from its check-mode apply result and, on a network
device, its config read back (device_drift compares that).  A host whose
check failed, that could not be reached, or whose device could not be read
back is not checked (``drifted`` null) and carries its error: never as
desired, never as drift.  The report names every host of the play, also
those that stopped before their summary was made.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence

from ansible_collections.purecloud.firewall.plugins.module_utils.device_drift import device_drift

UNREACHABLE = "unreachable"
CHECK_FAILED = "the check failed"
NOT_READ = "the device's config could not be read back"
NOT_FINISHED = "the check did not finish"


def failure(result: Any) -> Optional[str]:
    """The error of a registered task result that failed or could not reach its host; None when it did not."""
    if not isinstance(result, Mapping) or not (result.get("failed") or result.get("unreachable")):
        return None
    return str(result.get("msg") or ("the host did not answer" if result.get("unreachable") else "no message"))


def _not_checked(summary: Dict[str, Any], reason: str, error: str) -> Dict[str, Any]:
    summary.update(drifted=None, checked=False, reason=reason, error=error,
                   summary="not checked, %s: %s" % (reason, error))
    return summary


def host_summary(result: Any, device: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """One host's drift, from its apply result in check mode and, on a network device, ``device`` read back.

    ``device`` has ``lists``, ``groups`` and ``running`` (see device_drift) and ``reads``, the read-back
    tasks' registered results: one that failed or could not reach the device makes the host not checked.
    """
    diff = result.get("diff") or []
    if isinstance(diff, Mapping):
        diff = [diff]
    summary: Dict[str, Any] = {
        "drifted": bool(result.get("changed")), "checked": True, "reason": None, "backend": result.get("backend"),
        "products": result.get("products") or [], "catalog": result.get("catalog"), "error": None,
        "diff": [{"before": d.get("before", ""), "after": d.get("after", "")} for d in diff],
        "lists": [], "compared": []}
    error = failure(result)
    if error is not None:
        return _not_checked(summary, UNREACHABLE if result.get("unreachable") else CHECK_FAILED, error)
    if not isinstance(result.get("network"), Mapping):
        summary["summary"] = ("DRIFT on %s (see the diff above)" if summary["drifted"] else "as desired (%s)") \
            % summary["backend"]
        return summary
    reads = [failure(read) for read in (device or {}).get("reads") or []]
    errors = [error for error in reads if error is not None]
    if errors:
        return _not_checked(summary, NOT_READ, "; ".join(errors))
    summary.update(device_drift(result["network"], device).as_dict())
    return summary


def not_finished() -> Dict[str, Any]:
    """The summary of a host that stopped before its summary was made: not checked, the play's output has why."""
    return {"drifted": None, "checked": False, "reason": NOT_FINISHED, "backend": None, "products": [],
            "catalog": None, "error": "the host failed before its drift was summarised; see the play's output",
            "diff": [], "lists": [], "compared": [],
            "summary": "not checked, %s: see the play's output" % NOT_FINISHED}


def play_report(hosts: Sequence[str], summaries: Mapping[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Host name -> its summary for every host of the play, in its order; a host without one did not finish."""
    return dict((host, summaries.get(host) if isinstance(summaries.get(host), Mapping) else not_finished())
                for host in hosts)


__all__: List[str] = ["CHECK_FAILED", "NOT_FINISHED", "NOT_READ", "UNREACHABLE", "failure", "host_summary",
                      "not_finished", "play_report"]
