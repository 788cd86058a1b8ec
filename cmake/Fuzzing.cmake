# HARNESS_BUILD_FUZZERS=ON (the `fuzz` preset) builds the libFuzzer targets of fuzz/. Every
# library is instrumented for coverage (fuzzer-no-link) and checked by ASan and UBSan, so a bug
# in a layer below the entry point is found too; UB is fatal so libFuzzer records it as a crash.
if(HARNESS_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HARNESS_BUILD_FUZZERS needs clang (libFuzzer); use the `fuzz` preset")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
