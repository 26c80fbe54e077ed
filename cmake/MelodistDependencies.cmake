# SPDX-License-Identifier: GPL-3.0-or-later
# Finds the third-party packages. Only LibTorch is needed for a headless build
# (-DMELODIST_GUI=OFF); Qt, FluidSynth and RtMidi are looked up only when wanted.

# LibTorch: Debian's libtorch-dev 1.13 is found in the default prefix; a CUDA
# LibTorch 2.x is found through -DCMAKE_PREFIX_PATH=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)').
find_package(Torch REQUIRED)
if(NOT Torch_VERSION AND TORCH_VERSION)
  set(Torch_VERSION ${TORCH_VERSION})
endif()
# TorchConfig appends its own flags (e.g. -D_GLIBCXX_USE_CXX11_ABI) to this variable;
# targets get them through the imported torch target, keep the global flags clean.
add_library(melodist_torch INTERFACE)
target_link_libraries(melodist_torch INTERFACE ${TORCH_LIBRARIES})
target_include_directories(melodist_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
if(TORCH_CXX_FLAGS)
  separate_arguments(_melodist_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
  target_compile_options(melodist_torch INTERFACE ${_melodist_torch_flags})
endif()

find_package(nlohmann_json 3.10 REQUIRED)
find_package(pugixml REQUIRED)
find_package(Threads REQUIRED)
# HDF5 (C API only) reads Keras .h5 models; Debian: libhdf5-dev. FindHDF5 probes the
# C wrapper with a C test program, so the C language must be enabled.
enable_language(C)
find_package(HDF5 REQUIRED COMPONENTS C)
add_library(melodist_hdf5 INTERFACE)
target_link_libraries(melodist_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
target_include_directories(melodist_hdf5 SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS})
target_compile_definitions(melodist_hdf5 INTERFACE ${HDF5_C_DEFINITIONS})

if(MELODIST_AUDIO OR MELODIST_MIDI)
  find_package(PkgConfig REQUIRED)
endif()
if(MELODIST_AUDIO)
  pkg_check_modules(FLUIDSYNTH REQUIRED IMPORTED_TARGET fluidsynth>=2.2)
endif()
if(MELODIST_MIDI)
  pkg_check_modules(RTMIDI REQUIRED IMPORTED_TARGET rtmidi>=4.0)
endif()
if(MELODIST_GUI)
  find_package(Qt6 6.2 REQUIRED COMPONENTS Widgets Charts)
  if(MELODIST_BUILD_TESTS)
    find_package(Qt6 REQUIRED COMPONENTS Test)
  endif()
  set(CMAKE_AUTOMOC ON)
  set(CMAKE_AUTORCC ON)
endif()
