#pragma once
// Fills every input of a model from a set: one InputPreparer per model input, each bound to the
// set input that feeds it (Dataset::InputFor). Built once per (set, model) pair; Fill is const
// and thread-safe.

#include <cstddef>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/eval/input_preparer.h"
#include "harness/runtime/compiled_model.h"

namespace harness::eval {

class InputFeeder {
 public:
  // Throws harness::Error naming the set and the model input the set does not provide (or
  // does not fit). Keeps a reference to `dataset`.
  InputFeeder(const Dataset& dataset, const runtime::CompiledModel& model);

  size_t input_count() const { return preparers_.size(); }
  const InputPreparer& preparer(size_t input) const { return preparers_.at(input); }

  // Writes window `window` of sample `sample` into every input of `session`.
  void Fill(size_t sample, size_t window, runtime::Session& session) const;

 private:
  std::vector<InputPreparer> preparers_;
};

}  // namespace harness::eval
