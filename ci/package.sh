#!/usr/bin/env bash
# Builds the Debian package of the tool from one preset (default: tool; ci/test.sh passes the
# release build it already has), unpacks it with dpkg -x into a fresh folder and checks the
# installed tool there: `harness --version` names the project version, the man page renders,
# and the shipped suite with its models, sets and baseline is in place and readable.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-tool}"
build="build/$preset"  # every preset's binaryDir

ci/build.sh "$preset" harness harness_man
rm -rf "$build/package"
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/package/harness_*.deb)
echo "package: $deb"
dpkg-deb --field "$deb" Package Version Depends

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
harness="$root/usr/bin/harness"

version=$(sed -nE 's/^project\(harness VERSION ([0-9.]+).*/\1/p' CMakeLists.txt)
first_line=$("$harness" --version | head -1)
if [[ $first_line != "harness $version" ]]; then
  echo "package: installed harness --version says '$first_line', expected 'harness $version'" >&2
  exit 1
fi
"$harness" --version

if command -v man >/dev/null; then
  warnings=$(MANWIDTH=100 man --warnings -l "$root/usr/share/man/man1/harness.1.gz" 2>&1 >/dev/null)
  if [[ -n $warnings ]]; then
    echo "package: the man page has roff warnings: $warnings" >&2
    exit 1
  fi
else
  echo "package: man is not installed; the man page was not rendered"
fi
share="$root/usr/share/harness"
"$harness" inspect "$share/datasets/digits/digits.onnx" >/dev/null
"$harness" diff "$share/reports/baselines/esp32.json" "$share/reports/baselines/esp32.json" >/dev/null
test -f "$share/suites/esp32.yaml"
test -f "$root/usr/share/doc/harness/suite-format.md"
echo "package: installed and ran from $deb"
