# Instrumentation of a TTADS_FUZZ build, included by the root CMakeLists.txt before any target so
# every ttads library gets libFuzzer's coverage hooks, AddressSanitizer and UBSan; the fuzz
# executables add libFuzzer's main when they link (fuzz/CMakeLists.txt). tools/fuzz builds this.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "TTADS_FUZZ needs clang (libFuzzer): CC=clang-14 CXX=clang++-14 (tools/fuzz)")
endif()
# vptr is left out as in TTADS_SANITIZE (Debian's libsoci lacks the typeinfo it needs). UBSan
# findings abort instead of printing and going on, so libFuzzer keeps the input. Line tables
# are enough for stack traces and cost far less build time than full debug info.
# cmake/Warnings.cmake passes GCC's -Wno-maybe-uninitialized, which clang does not know.
add_compile_options(-Wno-unknown-warning-option)
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr
                    -fno-sanitize-recover=undefined -fno-omit-frame-pointer -gline-tables-only)
add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
