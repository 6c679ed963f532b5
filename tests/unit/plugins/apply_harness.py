# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The apply action run in-process, loaded by ansible-core's own loader, with a stand-in for the host."""

from __future__ import annotations

from types import SimpleNamespace

from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import action_loader
from ansible.template import Templar


class Host:
    """Answers each module by name (a dict, or a function of the arguments); logs (module, arguments)."""

    def __init__(self, **answers):
        self.answers, self.calls = answers, []

    def __call__(self, module_name, module_args, task_vars):
        self.calls.append((module_name, module_args))
        answer = self.answers.get(module_name.rsplit(".", 1)[1], {"changed": False})
        return dict(answer(module_args) if callable(answer) else answer)

    @property
    def modules(self):
        return [name.rsplit(".", 1)[1] for name, _args in self.calls]


def run_apply(host, task_vars, check_mode=False, products=("webrtc_client",)):
    """apply with ``task_vars`` (the host's variables) as a role runs it; the host answers through ``host``."""
    loader = DataLoader()
    task = SimpleNamespace(args={"products": list(products)}, async_val=0, check_mode=check_mode,
                           action="purecloud.firewall.apply")
    action = action_loader.get("purecloud.firewall.apply", task=task,
                               connection=SimpleNamespace(_shell=SimpleNamespace(tmpdir="/nonexistent"),
                                                          reset=lambda: host.calls.append(("connection.reset", {}))),
                               play_context=None, loader=loader, templar=Templar(loader=loader, variables=task_vars),
                               shared_loader_obj=None)
    action._execute_module = host
    return action.run(task_vars=task_vars)
