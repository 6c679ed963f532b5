# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action for purecloud.firewall.apply: plan on the controller, one module run on the host."""

from __future__ import annotations

import time

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError
from ansible_collections.purecloud.firewall.plugins.module_utils.platforms import PLATFORMS
from ansible_collections.purecloud.firewall.plugins.module_utils.site import (
    ARGUMENT_SPEC, DNS_GUARD, VARIABLES, catalog_for, check_destinations, check_management, check_network_packages,
    dns_guard, dnsmasq_dropin, network_backend, plan_site, removal_plan, render_network_site, render_site,
    rollback_timeout, summary_line)
from ansible_collections.purecloud.firewall.plugins.module_utils.site_feeds import strict_feeds
from ansible_collections.purecloud.firewall.plugins.plugin_utils.site_plans import plan_result
from ansible_collections.purecloud.firewall.plugins.plugin_utils.output import output_path
from ansible_collections.purecloud.firewall.plugins.plugin_utils.site_settings import gather, typo_warnings

MODULES = {"nftables": "purecloud.firewall.nft_table", "firewalld": "purecloud.firewall.firewalld_state"}
DROPIN = "purecloud.firewall.dnsmasq_dropin"
# The package managers whose module installs dnsmasq (ansible_pkg_mgr -> module).
INSTALLERS = {"apt": "ansible.legacy.apt", "dnf": "ansible.legacy.dnf", "dnf5": "ansible.legacy.dnf5"}
PACKAGES = {"dnsmasq": "dnsmasq", "nft": "nftables"}  # program -> the package that has it (Debian, RHEL)
# What a role registers; a later apply in the same run compares its products with it.
APPLIED = "purecloud_firewall_applied"


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        warnings = typo_warnings(task_vars)
        try:
            settings = self._settings(task_vars)
            catalog = catalog_for(settings)
            self._check_earlier_apply(settings, task_vars)
            network = self._network_backend(settings, task_vars)
            if network:  # before any feed is read or device contacted
                check_network_packages(settings, network, task_vars.get("ansible_network_os"))
            # Removal reads the feeds too where it removes what the plan would create (groups, perimeter objects).
            needs_feeds = settings["state"] == "present" or bool(network and PLATFORMS[network].plans_removal)
            feeds = strict_feeds(settings, warnings, catalog) if needs_feeds else {}
            if network:
                return self._network(result, settings, network, feeds, warnings)
            if settings["state"] == "absent":
                plan = removal_plan(settings, catalog)
            else:
                plan = plan_site(settings, catalog=catalog, **feeds)
            backend = settings["backend"]
            if backend == "auto":
                backend = self._detect_backend(task_vars)
            if settings["state"] == "absent":
                # Everything the collection owns goes: the table, or every purecloud* firewalld object.
                module_args = {"state": "absent"} if backend == "nftables" else {}
            else:
                check_management(settings["management"])
                check_destinations(settings, backend, plan)
                module_args = render_site(plan, backend, management=settings["management"],
                                          short_names=catalog.short_names())
                timer = rollback_timeout(settings, plan, backend)
                if timer:
                    module_args["rollback_timeout"] = timer
            guard, dropin = self._dns_parts(plan, backend, module_args, warnings, task_vars)
        except PurecloudFirewallError as exc:
            return self._failure(dict(result, msg="purecloud.firewall.apply: %s" % exc), warnings)
        result.update(self._apply_linux(backend, module_args, guard, dropin, task_vars))
        if result.get("failed"):
            return self._failure(result, warnings, backend)
        planned = plan_result(plan)
        warnings += planned.pop("warnings")
        result.update(planned, backend=backend, module_args=module_args, state=settings["state"])
        if settings["state"] == "present":
            result["summary"] = summary_line(plan, backend, module_args)
        if warnings:
            result["warnings"] = list(result.get("warnings") or []) + warnings
        return result

    @staticmethod
    def _failure(result, warnings, backend=None):
        """A failure is its message (with what changed, and a pending rollback): not the arguments and the plan."""
        short = dict((key, result[key]) for key in ("msg", "changed", "rollback") if key in result)
        short.update(failed=True, changed=bool(short.get("changed")))
        if backend:
            short["backend"] = backend
        if warnings:
            short["warnings"] = list(warnings)
        return short

    def _dns_parts(self, plan, backend, module_args, warnings, task_vars):
        """(guard table arguments or None, drop-in text or None) for the plan's DNS-fed sets.

        A plan without them removes what an earlier one made: firewalld's guard table and the drop-in go, where
        they are.  With them, dnsmasq (and nft for the guard) are installed and the drop-in checked first.
        """
        guard = dns_guard(plan, backend)
        if plan.dns is None:
            return guard, None
        dropin = dnsmasq_dropin(plan, guard or module_args)
        missing = self._ensure_programs(dropin, guard is not None, task_vars)
        if missing:  # check mode: the real run installs them
            warnings.append("%s would be installed" % " and ".join(missing))
            if "nft" in missing:
                warnings.append("the table %s would be created once nft is installed" % DNS_GUARD)
                guard = None
        return guard, dropin

    def _apply_linux(self, backend, module_args, guard, dropin, task_vars):
        """The firewall's module, firewalld's guard table, then dnsmasq's drop-in and service.

        The guard comes first when it is made (it holds the flows to the lookups before firewalld opens them),
        last when it goes.
        """
        guarded = None
        making_guard = guard is not None and guard.get("state") != "absent"
        if making_guard:
            guarded = self._guard(guard, task_vars)
            if guarded.get("failed"):
                return {"failed": True, "dns_guard": guarded, "msg": "purecloud.firewall.apply: the table %s: %s; "
                        "firewalld is unchanged" % (DNS_GUARD, guarded.get("msg"))}
        result = self._execute_module(module_name=MODULES[backend], module_args=module_args, task_vars=task_vars)
        if result.get("failed"):
            return dict(result, **({"dns_guard": guarded} if guarded else {}))
        if result.get("rollback"):
            result["rollback"] = self._confirm(backend, module_args, result["rollback"], task_vars)
            if not result["rollback"].get("confirmed"):
                return dict(result, failed=True, msg="purecloud.firewall.apply: %s" % result["rollback"]["error"])
        if guard is not None and not making_guard:
            guarded = self._guard(guard, task_vars)
        if guarded is not None:
            result.update(dns_guard=guarded, changed=bool(result.get("changed")) or bool(guarded.get("changed")))
            if guarded.get("failed"):
                return dict(result, failed=True, msg="purecloud.firewall.apply: the table %s: %s"
                            % (DNS_GUARD, guarded.get("msg")))
        if dropin is None and not (guarded or result).get("timeout_sets"):
            return result  # no DNS-fed sets were there, so no drop-in of the collection's either
        # A table made anew has empty sets (a replaced one keeps its elements; firewalld's reload spares the guard).
        emptied = bool((guarded if guard is not None else result).get("created"))
        result["dnsmasq"] = self._dnsmasq(dropin, emptied, task_vars)
        result["changed"] = bool(result.get("changed")) or bool(result["dnsmasq"].get("changed"))
        if result["dnsmasq"].get("failed"):
            result.update(failed=True, msg="purecloud.firewall.apply: the firewall is applied, but dnsmasq: %s"
                          % result["dnsmasq"].get("msg"))
        return result

    def _confirm(self, backend, module_args, armed, task_vars):
        """Cancel the host's rollback timer over a fresh connection: proof the change left the way in open.

        Until then the host restores its previous rules by itself at the deadline.
        """
        identity = dict((key, module_args[key]) for key in ("name", "family", "prefix") if key in module_args)
        try:
            self._connection.reset()  # a new SSH connection, not the one the change was made over
            confirmed = self._execute_module(module_name=MODULES[backend],
                                             module_args=dict(identity, confirm_rollback=True), task_vars=task_vars)
        except (AnsibleConnectionFailure, AnsibleError) as exc:
            confirmed = {"failed": True, "msg": str(exc)}
        if confirmed.get("failed") or confirmed.get("unreachable"):
            return dict(armed, confirmed=False, error="the change is applied, but the host was not reached again "
                        "over a fresh connection (%s); it restores its previous rules by itself at %s"
                        % (confirmed.get("msg"), time.strftime("%H:%M:%S", time.localtime(armed["deadline"]))))
        return dict(armed, confirmed=True)

    def _guard(self, guard, task_vars):
        guarded = self._execute_module(module_name=MODULES["nftables"], module_args=guard, task_vars=task_vars)
        return dict((key, guarded[key]) for key in ("changed", "failed", "msg", "table", "diff", "created",
                                                    "timeout_sets") if key in guarded)

    def _ensure_programs(self, dropin, nft, task_vars):
        """Before the firewall changes: dnsmasq (and nft for the guard table) are there, installed if they can be,
        and dnsmasq accepts the drop-in.  In check mode, the programs that would be installed."""
        check = {"content": dropin, "validate_only": True, "programs": ["nft"] if nft else []}
        checked = self._execute_module(module_name=DROPIN, module_args=check, task_vars=task_vars)
        if checked.get("missing"):
            if self._task.check_mode:
                return list(checked["missing"])
            facts = self._execute_module(module_name="ansible.legacy.setup",
                                         module_args={"gather_subset": ["!all", "!min", "pkg_mgr"]},
                                         task_vars=task_vars)
            manager = (facts.get("ansible_facts") or {}).get("ansible_pkg_mgr", "unknown")
            if manager not in INSTALLERS:
                raise PurecloudFirewallError(
                    "%s not installed on this host, and its package manager (%s) is none this collection installs "
                    "with (%s): install %s" % (" and ".join(checked["missing"]), manager, ", ".join(sorted(INSTALLERS)),
                                               ", ".join(PACKAGES[p] for p in checked["missing"])))
            packages = [PACKAGES[program] for program in checked["missing"]]
            installed = self._execute_module(module_name=INSTALLERS[manager],
                                             module_args={"name": packages, "state": "present"}, task_vars=task_vars)
            if installed.get("failed"):
                raise PurecloudFirewallError("%s not installed on this host and %s could not install %s: %s"
                                             % (" and ".join(checked["missing"]), manager, ", ".join(packages),
                                                installed.get("msg")))
            checked = self._execute_module(module_name=DROPIN, module_args=check, task_vars=task_vars)
            if checked.get("missing"):
                raise PurecloudFirewallError("%s still not found on this host after %s installed %s: install %s so "
                                             "that it is on the PATH or in /usr/sbin"
                                             % (" and ".join(checked["missing"]), manager, ", ".join(packages),
                                                ", ".join(PACKAGES[p] for p in checked["missing"])))
        if checked.get("failed"):
            raise PurecloudFirewallError(str(checked.get("msg")))
        return []

    def _dnsmasq(self, dropin, sets_emptied, task_vars):
        """Write (or remove) the drop-in; restart dnsmasq when it changed, clear its cache when the sets are new.

        Only then: an answer dnsmasq looks up again is added to a set that still holds it, and the kernel keeps
        that element's old expiry, so clearing the cache of a set that kept its elements would cut them short.
        A dnsmasq that does not start with the new drop-in gets the previous one back.
        """
        args = {"content": dropin} if dropin is not None else {"state": "absent"}
        written = self._drop_in(args, task_vars)
        if written.get("failed") or self._task.check_mode:
            return written
        if written.get("changed"):
            state = "restarted"
        elif dropin is not None:
            # The sets were made anew: answers dnsmasq still caches are in none of them.
            state = "reloaded" if sets_emptied else "started"
        else:
            return written
        service = self._service(state, enabled=True if dropin is not None else None, task_vars=task_vars)
        if service.get("failed") and written.get("changed"):
            before = (written.get("diff") or {}).get("before") or ""
            self._drop_in({"content": before} if before else {"state": "absent"}, task_vars)
            self._service("restarted", enabled=None, task_vars=task_vars)
            return dict(written, failed=True, msg="dnsmasq did not start with the new drop-in (%s); the previous "
                        "one is back" % service.get("msg"))
        if service.get("failed"):
            return dict(written, failed=True, msg="could not make dnsmasq %s: %s" % (state, service.get("msg")))
        return dict(written, changed=bool(written.get("changed")) or bool(service.get("changed")), service=state)

    def _drop_in(self, args, task_vars):
        written = self._execute_module(module_name=DROPIN, module_args=args, task_vars=task_vars)
        return dict((key, written[key]) for key in ("changed", "failed", "msg", "path", "diff") if key in written)

    def _service(self, state, enabled, task_vars):
        args = {"name": "dnsmasq", "state": state}
        if enabled is not None:
            args["enabled"] = enabled  # resolving for the site's clients: at boot too
        return self._execute_module(module_name="ansible.legacy.service", module_args=args, task_vars=task_vars)

    @staticmethod
    def _network_backend(settings, task_vars):
        return network_backend(settings["backend"], task_vars.get("ansible_network_os"))

    def _network(self, result, settings, backend, feeds, warnings):
        """Plan and render on the controller; the role's network tasks hand the config to the vendor's module."""
        network = render_network_site(settings, backend, **feeds)
        if self._task.check_mode:
            network.pop("confirm", None)  # nothing is committed, so nothing waits for a confirm
        if network.get("render_dir"):
            # Relative to purecloud_output_dir, by default where the run was started: never the collection's.
            network["render_dir"] = output_path(network["render_dir"], settings.get("output_dir"))
        result.update(changed=False, backend=backend, products=settings["products"], mode="gateway",
                      host_class=None, rules=[], excluded=[], unresolved=[], module_args={},
                      state=settings["state"], network=network, catalog=network["catalog"])
        warnings = warnings + network["warnings"]
        if warnings:
            result["warnings"] = warnings
        return result

    def _settings(self, task_vars):
        return gather(self._task.args, task_vars, self._templar, ARGUMENT_SPEC, VARIABLES)

    @staticmethod
    def _check_earlier_apply(settings, task_vars):
        """Two roles on one host must apply the same products, or each run would undo the other."""
        earlier = task_vars.get(APPLIED)
        if not isinstance(earlier, dict) or earlier.get("failed") or earlier.get("skipped"):
            return
        lost = [p for p in earlier.get("products") or [] if p not in settings["products"]]
        if lost and earlier.get("state") == "present" and settings["state"] == "present":
            raise PurecloudFirewallError(
                "this host's firewall got the flows of %s earlier in this run; applying %s now would remove them. "
                "List every product this host carries in purecloud_firewall_products, e.g. [%s]"
                % (", ".join(earlier["products"]), ", ".join(settings["products"]),
                   ", ".join(dict.fromkeys(list(earlier["products"]) + list(settings["products"])))))

    def _detect_backend(self, task_vars):
        info = self._execute_module(module_name="purecloud.firewall.backend_info", module_args={},
                                    task_vars=task_vars)
        if info.get("failed"):
            raise PurecloudFirewallError("could not detect the firewall backend: %s" % info.get("msg"))
        if info["backend"] == "none":
            raise PurecloudFirewallError("the host has neither a running firewalld nor nft; install nftables or "
                                         "start firewalld, or set purecloud_firewall_backend")
        return info["backend"]
