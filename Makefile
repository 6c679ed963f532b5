# purecloud.firewall: two commands on a fresh Debian 12 machine, as root:
#   make demo   the main job
#   make test   every test and quality gate
# Both install what they need first (scripts/install-deps).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
BUILD := $(CURDIR)/.build
COLLECTIONS := $(BUILD)/collections
# Outside the repository: ansible-test would otherwise take the repository's
# git root for the collection's and skip everything under .build.  One
# directory per checkout, so two checkouts' sanity runs never share a copy.
CHECKOUT_ID := $(shell printf '%s' '$(CURDIR)' | sha256sum | cut -c1-12)
SANITY_TOP := /tmp/purecloud-firewall-sanity-$(CHECKOUT_ID)
SANITY_ROOT := $(SANITY_TOP)/ansible_collections/purecloud/firewall
# Outside the repository too: antsibull-changelog copies the collection with
# git to ask ansible-doc for its plugins, and git lists nothing under .build.
PREVIEW_TOP := /tmp/purecloud-firewall-changelog-$(CHECKOUT_ID)
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_FORCE_COLOR := 0
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test deps collection unit network report lab-tests functional sanity lint changelog-preview build \
	molecule clean

# Build the lab, apply the roles, prove them with real packets, tear down.
demo: deps collection
	scripts/demo

test: deps collection unit network report sanity lint build lab-tests functional molecule

deps:
	@scripts/install-deps

# The repository, seen by Ansible as the collection purecloud.firewall.
collection:
	@mkdir -p $(COLLECTIONS)/ansible_collections/purecloud
	@ln -sfn ../../../.. $(COLLECTIONS)/ansible_collections/purecloud/firewall

unit: collection
	$(BIN)/python -m pytest tests/unit

# Every platform x product through the vendors' own modules, offline: golden
# files, rendered -> parsed round trip, no flow lost; and the render-only run.
network: collection
	$(BIN)/python -m pytest tests/network

# The change request in four formats, and its HTML in headless Chromium.
report: collection
	$(BIN)/python -m pytest tests/report

lab-tests: collection
	$(BIN)/python -m pytest tests/lab/tests

# The collection's modules on lab hosts over SSH: real nftables, firewalld, systemd.
functional: collection
	$(BIN)/python -m pytest tests/functional

# ansible-test wants a real ansible_collections/purecloud/firewall directory.
sanity:
	@rm -rf $(SANITY_TOP) && mkdir -p $(SANITY_ROOT)
	@git ls-files -co --exclude-standard -z | rsync -a --from0 --files-from=- ./ $(SANITY_ROOT)/
	@cd $(SANITY_ROOT) && git init -q && git add -A
	@$(BIN)/python tests/sanity/seed_pip_bootstrap.py
	cd $(SANITY_ROOT) && $(BIN)/ansible-test sanity --python 3.11 --color no

lint: collection
	$(BIN)/ansible-lint --offline
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog lint-changelog-yaml --strict changelogs/changelog.yaml
	@# CHANGELOG.md is made from changelogs/, never by hand: it must be what
	@# generate makes, written aside so that the check changes nothing.
	@mkdir -p $(BUILD)
	$(BIN)/antsibull-changelog generate --output $(BUILD)/CHANGELOG.md --output-format md
	@diff -u CHANGELOG.md $(BUILD)/CHANGELOG.md || { echo "lint: CHANGELOG.md is not what" \
	  "antsibull-changelog generate makes of changelogs/: run it; a change goes in a fragment" >&2; exit 1; }

# The next release's notes as antsibull-changelog release will write them from
# today's fragments, made in a throwaway copy so that nothing here changes:
# .build/CHANGELOG-preview.md.
changelog-preview:
	@rm -rf $(PREVIEW_TOP) && mkdir -p $(PREVIEW_TOP) $(BUILD)
	@git ls-files -co --exclude-standard -z | rsync -a --from0 --files-from=- ./ $(PREVIEW_TOP)/
	@echo 'release_summary: Not released yet, a preview of the fragments in changelogs/fragments today.' \
	  > $(PREVIEW_TOP)/changelogs/fragments/preview-release-summary.yml
	cd $(PREVIEW_TOP) && $(BIN)/antsibull-changelog release
	@cp $(PREVIEW_TOP)/CHANGELOG.md $(BUILD)/CHANGELOG-preview.md && rm -rf $(PREVIEW_TOP)
	@echo "changelog-preview: $(BUILD)/CHANGELOG-preview.md"

build: collection
	@rm -rf $(BUILD)/dist $(BUILD)/installed && mkdir -p $(BUILD)/dist
	$(BIN)/ansible-galaxy collection build --output-path $(BUILD)/dist --force
	ANSIBLE_COLLECTIONS_PATH=$(BUILD)/installed $(BIN)/ansible-galaxy collection install --offline --no-deps --force -p $(BUILD)/installed $(BUILD)/dist/purecloud-firewall-*.tar.gz
	ANSIBLE_COLLECTIONS_PATH=$(BUILD)/installed tests/build/check-installed.sh
	$(BIN)/python tests/build/check-tarball.py $(BUILD)/dist/purecloud-firewall-*.tar.gz
	$(BIN)/python tests/build/check-install.py $(BUILD)/dist/purecloud-firewall-*.tar.gz
	$(BIN)/python tests/build/check-ee.py $(BIN)/ansible-builder $(BUILD)/installed $(BUILD)/dist/purecloud-firewall-*.tar.gz $(BUILD)/ee

# Every scenario under extensions/molecule: create, converge, idempotence, verify, destroy.
molecule: collection
	$(BIN)/molecule test --all

clean:
	rm -rf $(BUILD) tests/output $(SANITY_TOP) $(PREVIEW_TOP)
