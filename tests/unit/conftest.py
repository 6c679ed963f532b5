# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures: the repository's paths and Ansible's own plugin loaders.

Plugins are loaded through ansible-core's loaders (not imported by hand) so
their DOCUMENTATION is parsed and option types are enforced exactly as in a
playbook run.
"""

from __future__ import annotations

import os

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.join(os.path.dirname(REPO), "shared")
PAGE = os.path.join(SHARED, "reference", "purecloud-firewall-ports-and-services.txt")
FEEDS = os.path.join(SHARED, "data")

# The vendor's region table, written from its SDKs (PureCloudRegionHosts in purecloudlabs/
# platform-client-sdk-common, 2026-03-11) and its Terraform provider's getRegionMap(): AWS region -> the
# organisation's domain.  Tests compare the catalog with it.
SDK_REGIONS = {
    "us-east-1": "mypurecloud.com", "eu-west-1": "mypurecloud.ie", "ap-southeast-2": "mypurecloud.com.au",
    "ap-northeast-1": "mypurecloud.jp", "eu-central-1": "mypurecloud.de", "us-west-2": "usw2.pure.cloud",
    "ca-central-1": "cac1.pure.cloud", "ap-northeast-2": "apne2.pure.cloud", "eu-west-2": "euw2.pure.cloud",
    "ap-south-1": "aps1.pure.cloud", "us-east-2": "use2.us-gov-pure.cloud", "sa-east-1": "sae1.pure.cloud",
    "me-central-1": "mec1.pure.cloud", "ap-northeast-3": "apne3.pure.cloud", "eu-central-2": "euc2.pure.cloud",
    "mx-central-1": "mxc1.pure.cloud", "ap-southeast-1": "apse1.pure.cloud",
    "eusc-de-east-1": "edee1.eusc-pure.cloud",
}


def _collections_root() -> str:
    """A directory holding ansible_collections/purecloud/firewall for this repo.

    When the repo already sits in that layout (ansible-test's copy, an
    installed collection), its own root; otherwise a symlink under .build/.
    """
    parts = REPO.split(os.sep)
    if parts[-3:-1] == ["ansible_collections", "purecloud"] and parts[-1] == "firewall":
        return os.sep.join(parts[:-3])
    root = os.path.join(REPO, ".build", "collections")
    link = os.path.join(root, "ansible_collections", "purecloud", "firewall")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.relpath(REPO, os.path.dirname(link)), link)
    return root


def _install_collection_loader() -> None:
    # Ansible's collection finder must own the ansible_collections namespace
    # before any test imports from it, or plugins load without metadata.
    from ansible.plugins.loader import init_plugin_loader

    init_plugin_loader([_collections_root()])


_install_collection_loader()


@pytest.fixture(scope="session")
def plugin_loaders():
    from ansible.plugins.loader import filter_loader, lookup_loader

    return {"lookup": lookup_loader, "filter": filter_loader}


@pytest.fixture(scope="session")
def lookup(plugin_loaders):
    """``lookup('requirements', 'edge', include_legacy=False)`` runs the collection's lookup."""

    def run(name, *terms, **options):
        plugin = plugin_loaders["lookup"].get("purecloud.firewall.%s" % name)
        assert plugin is not None, "lookup purecloud.firewall.%s not found" % name
        return plugin.run(list(terms), variables={}, **options)

    return run


@pytest.fixture(scope="session")
def jinja_filter(plugin_loaders):
    """``jinja_filter('port_merge')`` is the collection's filter function."""

    def get(name):
        fqcn = "purecloud.firewall.%s" % name
        plugin = plugin_loaders["filter"].get(fqcn)
        assert plugin is not None, "filter %s not found" % fqcn
        return plugin.j2_function

    return get
