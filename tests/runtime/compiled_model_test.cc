// The runtime on a hand-built float graph: results equal the closed form, intermediate tensors
// are observable after each op, sessions are independent, and the arena is smaller than the
// sum of the activations because dead tensors share memory.
#include "harness/runtime/compiled_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "harness/common/error.h"
#include "tests/runtime/chain_graph.h"

#include <cstring>
#include <thread>
#include <vector>

namespace harness::runtime {
namespace {

using model::DataType;
using test::ChainGraph;

std::vector<float> RunChain(Session& session, const std::vector<float>& input) {
  std::memcpy(session.input(0).data(), input.data(), input.size() * sizeof(float));
  session.Invoke();
  std::vector<float> out(4);
  std::memcpy(out.data(), session.output(0).data(), out.size() * sizeof(float));
  return out;
}

TEST(CompiledModel, ComputesTheClosedForm) {
  const CompiledModel model(ChainGraph());
  auto session = model.NewSession();
  // min(6, 2 * max(0, x))
  EXPECT_EQ(RunChain(*session, {-1.0f, 0.5f, 2.0f, 10.0f}), (std::vector<float>{0.0f, 1.0f, 4.0f, 6.0f}));
}

TEST(CompiledModel, ObserverSeesEveryOpOutputInOrder) {
  const CompiledModel model(ChainGraph());
  auto session = model.NewSession();
  const std::vector<float> input = {-1.0f, 0.5f, 2.0f, 10.0f};
  std::memcpy(session->input(0).data(), input.data(), sizeof(float) * 4);
  std::vector<int> order;
  std::vector<float> sums;
  session->Invoke([&](int op) {
    order.push_back(op);
    if (op == 1) {
      const auto bytes = session->tensor(2);
      sums.resize(4);
      std::memcpy(sums.data(), bytes.data(), bytes.size());
    }
  });
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(sums, (std::vector<float>{0.0f, 1.0f, 4.0f, 20.0f}));
}

TEST(CompiledModel, DeadTensorsShareArenaMemory) {
  const CompiledModel model(ChainGraph());
  // Four float [1,4] tensors of 16 bytes; at most two are live at once.
  EXPECT_LE(model.arena_bytes(), 2u * 64u);
  EXPECT_LT(model.arena_bytes(), 4u * 64u);
}

TEST(CompiledModel, SessionsOnManyThreadsAreIndependent) {
  const CompiledModel model(ChainGraph());
  std::vector<std::vector<float>> results(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      auto session = model.NewSession();
      for (int repeat = 0; repeat < 200; ++repeat)
        results[t] = RunChain(*session, {static_cast<float>(t), -1.0f, 0.25f, 1.0f});
    });
  }
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < results.size(); ++t) {
    EXPECT_EQ(results[t], (std::vector<float>{std::min(6.0f, 2.0f * static_cast<float>(t)), 0.0f, 0.5f, 2.0f}));
  }
}

TEST(CompiledModel, RefusesAnOpItCannotRunNamingIt) {
  model::Graph g = ChainGraph();
  g.tensors[1].type = DataType::kInt64;  // RELU on INT64 is not supported
  try {
    const CompiledModel model(std::move(g));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("op 0 (RELU)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace harness::runtime
