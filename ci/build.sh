#!/usr/bin/env bash
# Configures and builds one preset (default: release) with every core: ci/build.sh [PRESET
# [TARGET...]]. The `tool` preset builds the harness binary alone, without tests.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
targets=()
if (($# > 0)); then targets=(--target "$@"); fi
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)" "${targets[@]}"
