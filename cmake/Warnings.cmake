# Warnings for ttads's own targets (generated code is compiled without them).
# -Wmaybe-uninitialized is off: GCC 12 reports false positives on std::optional<std::string>
# members at -O2 (GCC bugs 105562, 107138); -Wuninitialized stays on. Clang (the sanitizer
# builds) has no such option.
function(ttads_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers
                                           $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
endfunction()
