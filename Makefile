# vpcshark: the two commands of the README, and the steps they take.
#
#   make demo      install what is missing, build, install the plugins, decode the samples
#   make test      install what is missing, build, run the whole test suite
#   make install   install the plugins for this user (SYSTEM=1: for everyone)
#   make bench     speed and memory ratios (bench/; report_scale.py is run by hand: it takes minutes)
#
# SPDX-License-Identifier: GPL-2.0-or-later

BUILD      ?= build
PYTHON     ?= /usr/bin/python3
PYTEST_ARGS ?=
SYSTEM     ?= 0

INSTALL_ARGS = $(if $(filter 1,$(SYSTEM)),--system,)

.PHONY: all deps build demo test install uninstall bench clean

all: build

deps:
	@tools/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j2

# Root's tshark only loads plugins from the system folder.
demo: build
	@if [ "$$(id -u)" -eq 0 ]; then tools/install-plugins.sh $(BUILD) --system; \
	 else tools/install-plugins.sh $(BUILD); fi
	@tools/demo.sh

test: build
	$(PYTHON) -m pytest -q tests $(PYTEST_ARGS)

install: build
	@tools/install-plugins.sh $(BUILD) $(INSTALL_ARGS)

uninstall:
	@tools/install-plugins.sh $(BUILD) $(INSTALL_ARGS) --uninstall

bench: build
	$(PYTHON) bench/flowlog_read.py
	$(PYTHON) bench/cloudwatch_read.py

clean:
	rm -rf $(BUILD)
