#pragma once
// SHA-256 (FIPS 180-4) for the provenance of a report: every model, data set and suite file is
// recorded with its digest, so a baseline diff can say when its inputs changed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace harness {

// Incremental hashing: Update any number of times, then Finish once.
class Sha256 {
 public:
  Sha256();
  void Update(std::span<const uint8_t> bytes);
  void Update(std::string_view text);
  std::array<uint8_t, 32> Finish();

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string ToHex(std::span<const uint8_t> bytes);  // lowercase
std::string Sha256Hex(std::string_view bytes);
// The digest of a file's bytes; Error (place: the path) when it cannot be read.
std::string Sha256OfFile(const std::string& path);

}  // namespace harness
