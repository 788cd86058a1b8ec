# Run at build time (cmake -P): writes the SHA-256 of the source files that decide a result
# (harness/, kernels/) into a source file, touching it only when it changed. `--cache` keys
# results by it: a new build of the same code reuses them, a code change (committed or not)
# recomputes them, and a commit that touches only suites, models or docs does not.
file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR}
     ${SOURCE_DIR}/harness/*.cc ${SOURCE_DIR}/harness/*.h ${SOURCE_DIR}/harness/*.fbs
     ${SOURCE_DIR}/kernels/*.cc ${SOURCE_DIR}/kernels/*.h)
list(SORT files)
set(listing "")
foreach(file ${files})
  file(SHA256 ${SOURCE_DIR}/${file} digest)
  string(APPEND listing "${file} ${digest}\n")
endforeach()
string(SHA256 source_hash "${listing}")
set(content "// Generated at build time by cmake/WriteSourceHash.cmake.\nnamespace harness::runner { extern const char* const kSourceSha256; const char* const kSourceSha256 = \"${source_hash}\"; }\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} previous)
endif()
if(NOT "${previous}" STREQUAL "${content}")
  file(WRITE ${OUTPUT} "${content}")
endif()
