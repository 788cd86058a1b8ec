# Warnings that catch real mistakes in numeric code (narrowing, sign, shadowing) on every target
# of the project; third-party and generated headers are included as SYSTEM so they stay quiet.
add_library(harness_warnings INTERFACE)
target_compile_options(harness_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
  -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(HARNESS_WERROR)
  target_compile_options(harness_warnings INTERFACE -Werror)
endif()
