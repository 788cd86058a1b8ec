#!/usr/bin/env bash
# Installs the build and test dependencies from Debian 12's archive. Idempotent: packages that
# are already installed are skipped, and apt-get runs only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libyaml-cpp-dev           # suites
  libhdf5-dev hdf5-tools    # data sets and outputs
  flatbuffers-compiler libflatbuffers-dev  # .tflite schema (flatc 2.0.8)
  libtbb-dev                # parallel runner
  nlohmann-json3-dev        # report and baseline JSON (reading and writing)
  libbenchmark-dev          # kernel benchmarks
  # ONNX import: ONNX's own generated protobuf classes (onnx-ml.pb.h, libonnx_proto) and
  # protobuf, so the importer follows the real schema and protobuf bounds-checks hostile files
  libonnx-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev # tests
  dpkg-dev                  # the Debian package (cpack's dpkg-shlibdeps, ci/package.sh)
  clang libclang-rt-14-dev lld  # libFuzzer targets (the fuzz preset, ci/fuzz.sh)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
