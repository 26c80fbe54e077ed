# SPDX-License-Identifier: GPL-3.0-or-later
# The two commands of the README:
#   make run    install what is missing, build, start the studio
#   make test   install what is missing, build, run every test
# Others: make build, make headless (no Qt/FluidSynth/RtMidi), make clean.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

.PHONY: run test build deps configure headless clean

run: build
	$(BUILD_DIR)/bin/melodist-studio

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

configure: deps
	@if [ ! -f $(BUILD_DIR)/CMakeCache.txt ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE); \
	fi

deps:
	tools/install-deps.sh

headless:
	tools/install-deps.sh --headless
	cmake -S . -B build-headless -G Ninja -DCMAKE_BUILD_TYPE=Release -DMELODIST_GUI=OFF
	cmake --build build-headless -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR) build-headless
