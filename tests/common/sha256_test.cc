// SHA-256 against the FIPS 180-2 / NIST example vectors.
#include "harness/common/sha256.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "harness/common/error.h"

namespace harness {
namespace {

TEST(Sha256, Empty) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Abc) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlockMessage) {
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, MillionAs) {
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Any split of the input into Update calls gives the same digest (the buffering is right at
// every boundary, including 55/56/64 bytes where the padding needs one or two blocks).
TEST(Sha256, IncrementalEqualsOneShot) {
  std::string text;
  for (int i = 0; i < 200; ++i) text.push_back(static_cast<char>('a' + i % 26));
  for (size_t length : {55u, 56u, 63u, 64u, 65u, 119u, 120u, 200u}) {
    const std::string message = text.substr(0, length);
    for (size_t split = 0; split <= length; split += 7) {
      Sha256 hash;
      hash.Update(std::string_view(message).substr(0, split));
      hash.Update(std::string_view(message).substr(split));
      EXPECT_EQ(ToHex(hash.Finish()), Sha256Hex(message)) << length << " split " << split;
    }
  }
}

TEST(Sha256, FileAndMissingFile) {
  const auto path = std::filesystem::temp_directory_path() / "harness_report_sha256.txt";
  std::ofstream(path, std::ios::binary) << "abc";
  EXPECT_EQ(Sha256OfFile(path.string()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::filesystem::remove(path);
  EXPECT_THROW(Sha256OfFile(path.string()), Error);
}

}  // namespace
}  // namespace harness
