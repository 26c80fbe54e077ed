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
