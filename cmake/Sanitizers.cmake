# HARNESS_SANITIZE=ON builds everything with AddressSanitizer and UndefinedBehaviorSanitizer;
# UB is fatal so that ctest reports it as a failure rather than a line in a log.
if(HARNESS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
