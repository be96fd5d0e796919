# Warnings for ttads's own targets (generated code is compiled without them).
function(ttads_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
endfunction()
