# -*- coding: utf-8 -*-
# Copyright: purecloud.firewall contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Python packages beyond Ansible's own that rendering needs on the controller, and the error naming them.

Each package is one record: the name it is imported by and the requirement
pip installs, as requirements.txt pins it (a unit test holds the two
together).  Every message that tells how to install one is made here, from
the record, so no hint names another version than the one the collection is
tested with.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from typing import Optional, Sequence

from ansible_collections.purecloud.firewall.plugins.module_utils.errors import PurecloudFirewallError


@dataclass(frozen=True)
class Package:
    """A package rendering imports on the controller: its import name and its requirement (``name==version``)."""

    name: str
    requirement: str

    @property
    def version(self) -> str:
        return self.requirement.partition("==")[2]


# Junos's module builds its NETCONF XML with ncclient, which needs lxml; Aerleon writes the perimeter platforms'.
NCCLIENT = Package("ncclient", "ncclient==0.7.1")
LXML = Package("lxml", "lxml==6.1.3")
AERLEON = Package("aerleon", "aerleon==1.18.0")


def importable(name: str) -> bool:
    """Whether the controller's Python finds the package ``name``, without importing it."""
    try:
        return importlib.util.find_spec(name) is not None
    except ValueError:  # loaded already, without a spec
        return True
    except ImportError:  # an import hook that refuses it
        return False


def packages_error(backend: str, packages: Sequence[Package], missing: Sequence[Package], chosen_by: str = "",
                   cause: Optional[str] = None) -> PurecloudFirewallError:
    """``backend`` rendering needs ``packages``; ``missing`` are not there (``cause``: why one failed to import).

    ``chosen_by`` says what picked the platform (``purecloud_firewall_backend junos``).  The message ends with
    the command that installs the missing ones, pinned, into the Python that runs Ansible.
    """
    names = ", ".join(package.name for package in missing)
    return PurecloudFirewallError(
        "%s rendering needs the Python package%s %s on the controller%s; its Python (%s) %s: %s -m pip install %s"
        % (backend, "s" if len(packages) > 1 else "", ", ".join(package.name for package in packages),
           " (%s)" % chosen_by if chosen_by else "", sys.executable,
           "cannot import %s (%s)" % (names, cause) if cause else "has no %s" % names,
           sys.executable, " ".join(package.requirement for package in missing)))


def check_packages(backend: str, packages: Sequence[Package], chosen_by: str = "") -> None:
    """Refuse ``backend`` when the controller's Python lacks any of ``packages``, naming them and their install."""
    missing = [package for package in packages if not importable(package.name)]
    if missing:
        raise packages_error(backend, packages, missing, chosen_by)


__all__ = ["AERLEON", "LXML", "NCCLIENT", "Package", "check_packages", "importable", "packages_error"]
