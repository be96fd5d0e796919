# Instrumentation of a TTADS_FUZZ build, included by the root CMakeLists.txt before any target so
# every ttads library gets libFuzzer's coverage hooks besides AddressSanitizer and UBSan; the fuzz
# executables add libFuzzer's main when they link (fuzz/CMakeLists.txt). tools/fuzz builds this.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "TTADS_FUZZ needs clang (libFuzzer): CC=clang-14 CXX=clang++-14 (tools/fuzz)")
endif()
# AddressSanitizer and UBSan come from TTADS_SANITIZE, which TTADS_FUZZ turns on (repeating
# them here would not work: CMake drops a repeated -fno-sanitize=vptr, so vptr would come back).
# UBSan findings abort instead of printing and going on, so libFuzzer keeps the input. Line
# tables are enough for stack traces and cost far less build time than full debug info.
add_compile_options(-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -gline-tables-only)
