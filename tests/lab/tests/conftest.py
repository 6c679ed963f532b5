# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the lab's own tests: build labs by id, always tear them down."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from labkit import build, topology  # noqa: E402


@pytest.fixture
def make_lab():
    """``make_lab('site', 'id', gateway_kind='firewalld')`` -> (Lab, state); torn down after the test."""
    made = []

    def make(topology_name, lab_id, **params):
        lab = build.Lab(lab_id)
        lab.down()  # a lab left over by an interrupted earlier run
        made.append(lab)
        state = lab.up(topology.load(topology_name, params))
        return lab, state

    yield make
    for lab in made:
        lab.down()
        assert build.leftovers(lab) == []
