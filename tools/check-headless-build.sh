#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Proves `-DMELODIST_GUI=OFF` needs neither Qt, FluidSynth nor RtMidi: builds in a
# private mount namespace where their headers, CMake packages and pkg-config files are
# hidden (needs root for unshare -m). usage: tools/check-headless-build.sh [BUILD_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-/tmp/melodist-headless-check}
rm -rf "$build"
exec unshare -m bash -euo pipefail -c '
  src=$1; build=$2
  empty=$(mktemp -d)
  lib=/usr/lib/x86_64-linux-gnu
  for d in /usr/include/x86_64-linux-gnu/qt6 /usr/include/rtmidi /usr/include/fluidsynth \
           $lib/cmake/Qt6* $lib/qt6; do
    [ -e "$d" ] && mount --bind "$empty" "$d"
  done
  for f in /usr/include/fluidsynth.h $lib/pkgconfig/fluidsynth.pc $lib/pkgconfig/rtmidi.pc $lib/libQt6Core.so*; do
    [ -e "$f" ] && mount --bind /dev/null "$f"
  done
  echo "hidden: Qt6 headers/CMake packages/libraries, FluidSynth and RtMidi headers and .pc files"
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMELODIST_GUI=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)"
  "$build/bin/melodist" --version
  if ldd "$build/bin/melodist" "$build/bin/melodist-ml" | grep -Ei "qt6|fluidsynth|rtmidi"; then
    echo "FAIL: headless binaries link Qt, FluidSynth or RtMidi" >&2; exit 1
  fi
  echo "headless build OK: no Qt, FluidSynth or RtMidi needed"
' bash "$src" "$build"
