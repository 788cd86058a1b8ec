// The HDF5 set reader (Dataset::Open reads the whole set, its attributes and ground truth).
// A harness::Error is the expected answer to a bad file; anything else is a finding, including
// crashes inside libhdf5 on what harness asked of it.

#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_input_file.h"
#include "harness/common/error.h"
#include "harness/eval/dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace harness;
  const std::string path = fuzz::WriteInputFile(data, size, ".h5");
  try {
    const eval::Dataset set = eval::Dataset::Open(path);
    for (size_t i = 0; i < set.size(); ++i) (void)set.FloatSample(i);
  } catch (const Error&) {
  }
  return 0;
}
