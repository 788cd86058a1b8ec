#pragma once
// Reading a set's inputs (dataset.h): `/inputs` itself, or every dataset of the group
// `/inputs`, one per model input.

#include <cstdint>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/eval/hdf5_file.h"

namespace harness::eval {

// The inputs of `file` with their place, name, sample shape and stored type (no values yet),
// and in `rows` their common row count. Throws harness::Error naming the file and the dataset
// when /inputs is missing or empty, a dataset is a scalar, or two inputs' row counts differ.
std::vector<Dataset::Input> ReadInputLayouts(const hdf5::File& file, uint64_t& rows);

// Reads `input`'s `rows` rows as `float(stored) * scale + offset` into input.values.
void ReadInputValues(const hdf5::File& file, Dataset::Input& input, size_t rows, float scale,
                     float offset);

}  // namespace harness::eval
