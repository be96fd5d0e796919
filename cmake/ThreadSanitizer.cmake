# TTADS_TSAN: ThreadSanitizer for ttads's own concurrent units (tools/test --tsan,
# docs/reliability.md "Sanitizers"). Included by the root CMakeLists.txt before any target.
if(NOT TTADS_TSAN)
  function(ttads_tsan_executable target)
  endfunction()
  return()
endif()
if(TTADS_SANITIZE OR TTADS_FUZZ)
  message(FATAL_ERROR "TTADS_TSAN cannot be combined with TTADS_SANITIZE or TTADS_FUZZ")
endif()
add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -gline-tables-only)
add_link_options(-fsanitize=thread)

# Tells TSan about Debian's uninstrumented absl::Mutex; every executable a TSan test runs,
# in process or as a child process, links it.
add_library(ttads_tsan_annotations OBJECT "${PROJECT_SOURCE_DIR}/test/tsan/absl_mutex_annotations.cc")
target_link_libraries(ttads_tsan_annotations PUBLIC absl::synchronization absl::time
                                                    ${CMAKE_DL_LIBS})
ttads_warnings(ttads_tsan_annotations)

function(ttads_tsan_executable target)
  target_link_libraries(${target} PRIVATE ttads_tsan_annotations)
endfunction()
