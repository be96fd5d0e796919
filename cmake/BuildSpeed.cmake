# Build time: CI builds from a clean clone on 2 cores, twice (plain and sanitized), so the two
# biggest costs measured there are cut here.

# lld links each test executable about 4x faster than ld.bfd (5.5 s -> 1.3 s for
# brain_run_test, RelWithDebInfo); there are some forty of them per build.
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=lld TTADS_HAVE_LLD)
if(TTADS_HAVE_LLD)
  add_link_options(-fuse-ld=lld)
endif()

# Test code is compiled without optimisation and with line tables only: GCC spends ~40% of a
# test file's compile in -O2 codegen and full debug info (brain_run_test.cc: 24.6 s -> 14.7 s),
# and none of it makes the suite faster; the code under test keeps the build type's flags.
# Line tables still give sanitizer and debugger stack traces file and line.
function(ttads_test_code target)
  target_compile_options(${target} PRIVATE -O0 -g1)
endfunction()
