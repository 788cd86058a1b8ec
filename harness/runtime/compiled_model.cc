#include "harness/runtime/compiled_model.h"

#include <algorithm>

#include "harness/common/error.h"
#include "harness/runtime/memory_planner.h"

namespace harness::runtime {
namespace {

constexpr size_t kAlignment = 64;

size_t TensorBytes(const model::Tensor& t) {
  return static_cast<size_t>(model::ElementCount(t.shape)) * model::ElementSize(t.type);
}

// Pointer to the first 64-byte-aligned byte of `storage`, which has kAlignment bytes of slack.
std::byte* Aligned(std::vector<std::byte>& storage) {
  auto address = reinterpret_cast<uintptr_t>(storage.data());
  return storage.data() + ((kAlignment - address % kAlignment) % kAlignment);
}

}  // namespace

CompiledModel::CompiledModel(model::Graph graph) : graph_(std::move(graph)) {
  const int op_count = static_cast<int>(graph_.ops.size());
  for (int i = 0; i < op_count; ++i) {
    try {
      kernels_.push_back(MakeKernel(graph_, i));
    } catch (const Error& e) {
      // A helper shared by many ops (padding, broadcasting) does not know which op it serves,
      // and no op knows the file.
      const model::Op& op = graph_.ops[static_cast<size_t>(i)];
      const Error placed =
          e.place().empty()
              ? Error("op " + std::to_string(i) + " (" + model::ToString(op.type) + ")",
                      e.message())
              : e;
      if (graph_.source.empty()) throw placed;
      throw placed.Within(graph_.source);
    }
    scratch_bytes_ = std::max(scratch_bytes_, kernels_.back()->ScratchBytes());
  }

  // Lifetimes of every activation tensor: from the op that writes it (graph inputs: before the
  // first op) to the last op that reads it (graph outputs: to the end).
  const size_t tensor_count = graph_.tensors.size();
  std::vector<int> first(tensor_count, -1), last(tensor_count, -1);
  auto touch = [&](int32_t t, int step) {
    if (t < 0 || static_cast<size_t>(t) >= tensor_count || graph_.tensor(t).is_constant()) return;
    auto i = static_cast<size_t>(t);
    if (first[i] < 0 || step < first[i]) first[i] = step;
    last[i] = std::max(last[i], step);
  };
  for (int32_t t : graph_.inputs) touch(t, 0);
  for (int i = 0; i < op_count; ++i) {
    for (int32_t t : graph_.ops[static_cast<size_t>(i)].inputs) touch(t, i);
    for (int32_t t : graph_.ops[static_cast<size_t>(i)].outputs) touch(t, i);
  }
  for (int32_t t : graph_.outputs) touch(t, op_count);

  std::vector<Lifetime> lifetimes;
  std::vector<size_t> planned;
  for (size_t t = 0; t < tensor_count; ++t) {
    if (first[t] < 0) continue;
    lifetimes.push_back({TensorBytes(graph_.tensors[t]), first[t], last[t]});
    planned.push_back(t);
  }
  const MemoryPlan plan = PlanMemory(lifetimes, kAlignment);
  arena_offsets_.assign(tensor_count, -1);
  for (size_t k = 0; k < planned.size(); ++k)
    arena_offsets_[planned[k]] = static_cast<std::ptrdiff_t>(plan.offsets[k]);
  arena_bytes_ = plan.total_bytes;
}

CompiledModel::~CompiledModel() = default;

size_t CompiledModel::input_bytes(size_t i) const { return TensorBytes(input(i)); }
size_t CompiledModel::output_bytes(size_t i) const { return TensorBytes(output(i)); }

std::unique_ptr<Session> CompiledModel::NewSession() const {
  return std::make_unique<Session>(*this);
}

Session::Session(const CompiledModel& model)
    : model_(model),
      arena_storage_(model.arena_bytes_ + kAlignment),
      scratch_storage_(model.scratch_bytes_ + kAlignment) {
  std::byte* arena = Aligned(arena_storage_);
  scratch_ = Aligned(scratch_storage_);
  const model::Graph& graph = model.graph_;
  pointers_.assign(graph.tensors.size(), nullptr);
  for (size_t t = 0; t < graph.tensors.size(); ++t) {
    if (model.arena_offsets_[t] >= 0) {
      pointers_[t] = arena + model.arena_offsets_[t];
    } else if (graph.tensors[t].is_constant()) {
      // Kernels only read their inputs; the const_cast never leads to a write.
      const auto& bytes = graph.data(static_cast<int32_t>(t));
      pointers_[t] = const_cast<std::byte*>(reinterpret_cast<const std::byte*>(bytes.data()));
    }
  }
}

std::span<std::byte> Session::input(size_t i) {
  const int32_t t = model_.graph_.inputs.at(i);
  return {pointers_[static_cast<size_t>(t)], model_.input_bytes(i)};
}

std::span<const std::byte> Session::output(size_t i) const {
  const int32_t t = model_.graph_.outputs.at(i);
  return {pointers_[static_cast<size_t>(t)], model_.output_bytes(i)};
}

std::span<const std::byte> Session::tensor(int32_t index) const {
  const auto i = static_cast<size_t>(index);
  return {pointers_.at(i), pointers_[i] ? TensorBytes(model_.graph_.tensor(index)) : 0};
}

void Session::Invoke() {
  const TensorPointers tensors(pointers_);
  const std::span<std::byte> scratch(scratch_, model_.scratch_bytes_);
  for (const auto& kernel : model_.kernels_) kernel->Eval(tensors, scratch);
}

void Session::Invoke(const std::function<void(int op_index)>& after_op) {
  const TensorPointers tensors(pointers_);
  const std::span<std::byte> scratch(scratch_, model_.scratch_bytes_);
  for (size_t i = 0; i < model_.kernels_.size(); ++i) {
    model_.kernels_[i]->Eval(tensors, scratch);
    after_op(static_cast<int>(i));
  }
}

}  // namespace harness::runtime
