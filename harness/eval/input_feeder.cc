#include "harness/eval/input_feeder.h"

namespace harness::eval {

InputFeeder::InputFeeder(const Dataset& dataset, const runtime::CompiledModel& model) {
  const size_t inputs = model.graph().inputs.size();
  preparers_.reserve(inputs);
  for (size_t k = 0; k < inputs; ++k) preparers_.emplace_back(dataset, model.input(k), k);
}

void InputFeeder::Fill(size_t sample, size_t window, runtime::Session& session) const {
  for (size_t k = 0; k < preparers_.size(); ++k) {
    preparers_[k].Prepare(sample, window, session.input(k));
  }
}

}  // namespace harness::eval
