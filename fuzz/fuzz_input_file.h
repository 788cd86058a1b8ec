#pragma once
// Some readers take a path, not bytes (libhdf5 and the ONNX importer open files themselves).
// Each input is written to one file per fuzzer process, in TMPDIR, and read back from there.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

namespace harness::fuzz {

// Writes `data` to this process's scratch file (named with `suffix`, e.g. ".h5") and returns
// its path. The file is overwritten by the next input.
inline std::string WriteInputFile(const uint8_t* data, size_t size, const std::string& suffix) {
  static const std::string path = [&suffix] {
    const char* base = std::getenv("TMPDIR");
    return std::string(base && *base ? base : "/tmp") + "/harness-fuzz-" +
           std::to_string(getpid()) + suffix;
  }();
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  file.close();
  if (!file) std::abort();  // a full TMPDIR would make every input look valid or invalid alike
  return path;
}

}  // namespace harness::fuzz
