# SPDX-License-Identifier: GPL-3.0-or-later
# Compiler settings shared by every Melodist target: warnings, ccache, sanitizers.

if(MELODIST_USE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(MELODIST_CCACHE ccache)
  if(MELODIST_CCACHE)
    # Precompiled headers need these sloppiness flags or every PCH user misses the cache;
    # BASEDIR lets two checkouts (a CI clone, a worktree) share cached objects.
    set(CMAKE_CXX_COMPILER_LAUNCHER
        ${CMAKE_COMMAND} -E env "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
        "CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}"
        ${MELODIST_CCACHE})
    message(STATUS "Compiling through ccache: ${MELODIST_CCACHE}")
  endif()
endif()

# Build time on a 2-core machine: RelWithDebInfo keeps line tables only (-g1: backtraces
# and perf still name functions and lines), which shrinks the objects of the Qt and
# LibTorch templates several-fold; linking reads them all, once per test executable.
# lld links them faster than GNU ld when it is installed (tools/install-deps.sh adds it).
string(REGEX REPLACE "(^| )-g( |$)" "\\1-g1\\2" CMAKE_CXX_FLAGS_RELWITHDEBINFO "${CMAKE_CXX_FLAGS_RELWITHDEBINFO}")
string(REGEX REPLACE "(^| )-g( |$)" "\\1-g1\\2" CMAKE_C_FLAGS_RELWITHDEBINFO "${CMAKE_C_FLAGS_RELWITHDEBINFO}")
option(MELODIST_USE_LLD "Link with lld when it is installed" ON)
if(MELODIST_USE_LLD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT MELODIST_FUZZ)
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-fuse-ld=lld" MELODIST_HAVE_LLD)
  if(MELODIST_HAVE_LLD)
    add_link_options(-fuse-ld=lld)
  endif()
endif()

add_library(melodist_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(melodist_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
  if(MELODIST_WARNINGS_AS_ERRORS)
    target_compile_options(melodist_warnings INTERFACE -Werror)
  endif()
endif()

if(MELODIST_SANITIZE_THREAD)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

if(MELODIST_FUZZ)
  # Instrument every library, not only the fuzz executables: libFuzzer needs coverage
  # from the parsers and ASan must see their memory accesses.
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MELODIST_FUZZ needs clang: CC=clang CXX=clang++ cmake -DMELODIST_FUZZ=ON ...")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
