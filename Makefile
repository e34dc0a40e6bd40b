# vpcshark: the two commands of the README, and the steps they take.
#
#   make demo      install what is missing, build, install the plugins, decode the samples
#   make test      install what is missing, build, run the whole test suite
#   make install   install the plugins for this user (SYSTEM=1: for everyone)
#   make bench     speed and memory ratios (bench/; report_scale.py is run by hand: it takes minutes)
#   make package   the Debian package for the Wireshark installed here (tools/make-deb.sh),
#                  in $(BUILD)-package/out; WIRESHARK=4.4 builds 4.4's in its Debian root
#
# Robustness (docs/fuzzing.md); "make test" runs each of them, bounded:
#   make fuzz          libFuzzer targets of the library, until interrupted
#                      (FUZZ_SECONDS=N: N seconds each; FUZZ_TARGETS, FUZZ_JOBS)
#   make fuzz-tshark   whole-program fuzzing of tshark with the ASan/UBSan plugins
#                      (until interrupted, or FUZZ_SECONDS=N)
#   make valgrind      memcheck over the reader, writer and dissector paths
#   make test-quick    the suite without fuzzing, sanitizer and valgrind runs
#
# Other Wireshark versions, each in a Debian root of its own (tools/debian-root.sh;
# build folders build-4.4, build-asan-4.4, ...; the host's build/ is left alone):
#   make test WIRESHARK=4.4       any target above, run inside the root of that version
#                                 (4.4: Debian 13, 4.6: Debian testing)
#   make test-versions            the suite without the slow runs in each root (VERSIONS),
#                                 side by side (VERSIONS_JOBS=2; logs in build-<version>/versions.log)
#   make roots                    make the roots, or bring them up to date
#
# SPDX-License-Identifier: GPL-2.0-or-later

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 0
FUZZ_JOBS  ?= 1
FUZZ_TARGETS ?=
PYTHON     ?= /usr/bin/python3
PACKAGE_BUILD ?= $(BUILD)-package
# Packaging tools: dpkg-dev for make package; lintian and mount (the overlay a
# test installs the package in) for its test, which make test runs (not test-quick).
PACKAGE_DEPS = dpkg-dev lintian mount
PYTEST_ARGS ?=
SYSTEM     ?= 0
WIRESHARK  ?=
VERSIONS   ?= 4.4 4.6
VERSIONS_JOBS ?= 2

# The suite finds the builds it tests through these (tests/harness.py).
export VPCSHARK_BUILD = $(abspath $(BUILD))
export VPCSHARK_ASAN_BUILD = $(abspath $(ASAN_BUILD))
export VPCSHARK_FUZZ_BUILD = $(abspath $(FUZZ_BUILD))
export VPCSHARK_PACKAGE_BUILD = $(abspath $(PACKAGE_BUILD))

INSTALL_ARGS = $(if $(filter 1,$(SYSTEM)),--system,)

.PHONY: all deps build asan-build fuzz-build demo test test-quick fuzz fuzz-tshark valgrind install uninstall \
	bench clean roots test-versions package package-deps

all: build

ifneq ($(WIRESHARK),)
# The same target inside the Debian root of that Wireshark, with build folders of its own.
ROOT_TARGETS = all deps build asan-build fuzz-build demo test test-quick fuzz fuzz-tshark valgrind install \
	uninstall bench clean
$(ROOT_TARGETS):
	@tools/debian-root.sh make $(WIRESHARK)
	tools/debian-root.sh run $(WIRESHARK) make $@ WIRESHARK= BUILD=$(BUILD)-$(WIRESHARK) \
		ASAN_BUILD=$(ASAN_BUILD)-$(WIRESHARK) FUZZ_BUILD=$(FUZZ_BUILD)-$(WIRESHARK) \
		FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_TARGETS='$(FUZZ_TARGETS)' \
		SYSTEM=$(SYSTEM) PYTEST_ARGS='$(PYTEST_ARGS)'
else

deps:
	@tools/install-deps.sh

# What make package and its test need besides (make demo does without).
package-deps: deps
	@VPCSHARK_DEPS_EXTRA="$(PACKAGE_DEPS)" tools/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j2

# The plugins with AddressSanitizer and UBSan (gcc), for whole-program fuzzing.
$(ASAN_BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVPCSHARK_SANITIZE=ON

asan-build: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j2

# The library's libFuzzer targets (clang, ASan and UBSan); only those.
$(FUZZ_BUILD)/CMakeCache.txt: | deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVPCSHARK_FUZZ=ON

fuzz-build: deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j2

# Root's tshark only loads plugins from the system folder.
demo: build
	@if [ "$$(id -u)" -eq 0 ]; then tools/install-plugins.sh $(BUILD) --system; \
	 else tools/install-plugins.sh $(BUILD); fi
	@tools/demo.sh

test: build asan-build fuzz-build package-deps
	$(PYTHON) -m pytest -q tests $(PYTEST_ARGS)

test-quick: build
	$(PYTHON) -m pytest -q -m "not slow" tests $(PYTEST_ARGS)

fuzz: fuzz-build
	$(PYTHON) fuzz/libfuzzer.py --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS) $(FUZZ_TARGETS)

fuzz-tshark: asan-build
	$(PYTHON) fuzz/tshark_fuzz.py --build $(ASAN_BUILD) --jobs $(FUZZ_JOBS) \
		$(if $(filter 0,$(FUZZ_SECONDS)),--forever,--seconds $(FUZZ_SECONDS))

valgrind: build
	$(PYTHON) -m pytest -q tests/test_valgrind.py $(PYTEST_ARGS)

install: build
	@tools/install-plugins.sh $(BUILD) $(INSTALL_ARGS)

uninstall:
	@tools/install-plugins.sh $(BUILD) $(INSTALL_ARGS) --uninstall

bench: build
	$(PYTHON) bench/flowlog_read.py
	$(PYTHON) bench/cloudwatch_read.py
	$(PYTHON) bench/mirror_bench.py

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(PACKAGE_BUILD)
endif

roots:
	@for v in $(VERSIONS); do tools/debian-root.sh make $$v || exit 1; done

# Each version's suite runs to its end even when another failed; VERSIONS_JOBS at a time.
test-versions:
	@tools/test-versions.sh -j $(VERSIONS_JOBS) -t test-quick $(VERSIONS)

# The Debian package: inside the Debian root of WIRESHARK when it is set.
ifneq ($(WIRESHARK),)
package:
	@tools/debian-root.sh make $(WIRESHARK)
	tools/debian-root.sh run $(WIRESHARK) make package WIRESHARK= BUILD=$(BUILD)-$(WIRESHARK)
else
package: package-deps
	@tools/make-deb.sh $(PACKAGE_BUILD) $(PACKAGE_BUILD)/out
endif
