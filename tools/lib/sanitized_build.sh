# Sourced by tools/test --asan and tools/fuzz (after setting $root). One clang build with
# AddressSanitizer + UBSan serves both the sanitized test suite and the libFuzzer targets, so CI
# compiles the code once for the two (it used to build build-asan/ with GCC and build-fuzz/ with
# clang). -O1 is libFuzzer's usual trade between speed and build time and makes the sanitized
# suite run faster than -O0; NDEBUG stays undefined, so assertions stay on.
# clang_cmake_args is also the base of tools/test --tsan's build.
clang_cmake_args=(
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1
  -DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1)
sanitized_build_dir=$root/build-asan
sanitized_cmake_args=("${clang_cmake_args[@]}" -DTTADS_SANITIZE=ON -DTTADS_FUZZ=ON)
# A build-asan/ that GCC configured before the switch would keep its compiler: start it afresh.
# Called by the two commands that build there.
prepare_sanitized_build_dir() {
  if [[ -f $sanitized_build_dir/CMakeCache.txt ]] &&
     ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++-14$' "$sanitized_build_dir/CMakeCache.txt"; then
    rm -rf "$sanitized_build_dir"
  fi
}
