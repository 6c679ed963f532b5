# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the files the collection writes on the controller go."""

from __future__ import annotations

import os


def output_path(path, output_dir=None):
    """``path`` under ``output_dir``, or under the run's working directory (where it was started).

    Not under the playbook's directory, where a relative ``dest`` of a task
    in one of the collection's playbooks would go: inside the collection.
    An absolute path stays as it is.
    """
    path = os.path.expanduser(path)
    if os.path.isabs(path):
        return path
    return os.path.join(os.path.abspath(os.path.expanduser(output_dir)) if output_dir else os.getcwd(), path)
