# SPDX-License-Identifier: GPL-3.0-or-later
# melodist_add_test(<Name> SOURCES <files> LINK <targets> [GUI] [LABELS <labels>] [TIMEOUT <s>]
#                   [WRAPPER <command...>] [ENV <VAR=value...>])
# One Qt Test executable per test file, registered with ctest. Engine and training
# tests use QTEST_GUILESS_MAIN; GUI tests run on the offscreen platform.
# Every test gets MELODIST_SOURCE_DIR, MELODIST_BINARY_DIR, MELODIST_BIN_DIR and
# MELODIST_SHARED_DIR (../shared beside the checkout; tests skip when it is absent).
set(MELODIST_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared" CACHE PATH "Corpora and seed models beside the checkout")

function(melodist_add_test name)
  cmake_parse_arguments(ARG "GUI" "TIMEOUT" "SOURCES;LINK;LABELS;WRAPPER;ENV" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LINK} melodist_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})  # tests/common/TestSupport.h
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/bin)
  add_test(NAME ${name} COMMAND ${ARG_WRAPPER} $<TARGET_FILE:${name}>)
  set(env
    "MELODIST_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
    "MELODIST_BINARY_DIR=${CMAKE_BINARY_DIR}"
    "MELODIST_BIN_DIR=${CMAKE_BINARY_DIR}/bin"
    "MELODIST_SHARED_DIR=${MELODIST_SHARED_DIR}"
    "MELODIST_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data")
  list(APPEND env ${ARG_ENV})
  if(ARG_GUI)
    list(APPEND env "QT_QPA_PLATFORM=offscreen")
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()
