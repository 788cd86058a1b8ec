# `cmake --install`: the harness binary, its man page, the documentation, and the shipped suites
# with the models, sets and baselines they read (so that an installed tool runs
# `harness run PREFIX/share/harness/suites/esp32.yaml` as a checkout does; the suites' relative
# paths keep the repository's layout).
include(GNUInstallDirs)
# Installing (and cpack) must not build every test first: what is installed is built explicitly
# (ci/package.sh builds `harness` and `harness_man`).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# harness(1) is written from the command table (harness/cli/command_help.h) by a small program
# of the build, so the man page and `--help` cannot disagree; installed gzipped, as Debian wants.
add_executable(harness_man_page ${PROJECT_SOURCE_DIR}/harness/cli/man_page_main.cc)
target_link_libraries(harness_man_page PRIVATE harness_cli harness_warnings)
set(HARNESS_MAN_PAGE ${PROJECT_BINARY_DIR}/man/harness.1)
add_custom_command(
  OUTPUT ${HARNESS_MAN_PAGE}.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
  COMMAND harness_man_page ${HARNESS_MAN_PAGE}
  COMMAND gzip -9nf ${HARNESS_MAN_PAGE}
  DEPENDS harness_man_page
  COMMENT "Writing the man page harness(1)")
add_custom_target(harness_man ALL DEPENDS ${HARNESS_MAN_PAGE}.gz)

install(TARGETS harness RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${HARNESS_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")

set(HARNESS_DATA_DIR ${CMAKE_INSTALL_DATADIR}/harness)
install(DIRECTORY suites/ DESTINATION ${HARNESS_DATA_DIR}/suites FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY reports/baselines/ DESTINATION ${HARNESS_DATA_DIR}/reports/baselines
        FILES_MATCHING PATTERN "*.json")
install(DIRECTORY datasets/ DESTINATION ${HARNESS_DATA_DIR}/datasets
        FILES_MATCHING PATTERN "*.onnx" PATTERN "calib.h5" PATTERN "val.h5" PATTERN "README.md")
