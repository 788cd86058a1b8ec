# `cpack -G DEB` in a build folder writes the Debian package of what cmake/Install.cmake
# installs (ci/package.sh builds and checks it). Its library dependencies are computed by
# dpkg-shlibdeps from the binary, so they follow the Debian release it was built on.
set(CPACK_PACKAGE_NAME harness)
set(CPACK_PACKAGE_VENDOR "harness")
set(CPACK_PACKAGE_CONTACT "harness maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Benchmark and regression harness for quantized edge ML models")
set(CPACK_PACKAGE_DESCRIPTION
    "Quantizes float models (TFLite, ONNX) under every method and calibrator, runs them with \
kernels bit-exact with TFLite-Micro's, measures accuracy and fidelity on HDF5 sets, and writes \
reports compared with a stored baseline.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
include(CPack)
