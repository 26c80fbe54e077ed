#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages Melodist needs, and only those that are missing.
# Idempotent: when everything is present it installs nothing and needs no network.
# Uses sudo only when not root.   usage: tools/install-deps.sh [--headless]
set -euo pipefail

headless=0
[[ "${1:-}" == "--headless" ]] && headless=1

# Build tools and the headless core (engine, training, CLI).
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  # a faster linker: each test executable links the Qt and LibTorch libraries
  lld
  libtorch-dev nlohmann-json3-dev libpugixml-dev
  # Keras .h5 model import (HDF5 C API)
  libhdf5-dev
  # Gloo headers: LibTorch's c10d ProcessGroupGloo.hpp includes them (multi-process training on CPU)
  libgloo-dev
  # LibTorch multiplies through libblas.so.3; the reference BLAS is 5-15x slower.
  libopenblas0-pthread
)
if (( ! headless )); then
  packages+=(
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev qt6-qpa-plugins
    librtmidi-dev libfluidsynth-dev
    # end-to-end test of the studio in a real X server
    xvfb xauth
    # a real JACK server for the `melodist record` end-to-end test. jackd1, not jackd2:
    # Debian 12's jackd2 replaces libjack0, which removes librtmidi-dev and libjack-dev
    jackd1
    # a real peer for the MusicXML export test (MusicXML -> MIDI)
    musescore3
  )
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$package")
done

if (( ${#missing[@]} == 0 )); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

# Debian picks the BLAS by alternatives priority; OpenBLAS wins over the reference
# BLAS once installed. Say so if something pinned the slow one.
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
case "$blas" in
  *openblas*) ;;
  *) echo "install-deps: warning: libblas.so.3 is $blas, not OpenBLAS; run: update-alternatives --config libblas.so.3-x86_64-linux-gnu" >&2 ;;
esac
