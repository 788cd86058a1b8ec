// Compiles a test graph and runs it once through a Session, or checks that compiling refuses it.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/graph.h"
#include "harness/runtime/compiled_model.h"
#include "tests/runtime/graph_builder.h"

namespace harness::test {

// Compiles the graph, writes each input (a std::vector per graph input, in order; each must
// fill its input exactly), runs once and returns output 0 as T values.
template <class T, class... Inputs>
std::vector<T> RunGraph(model::Graph graph, const Inputs&... inputs) {
  const runtime::CompiledModel compiled(std::move(graph));
  auto session = compiled.NewSession();
  size_t i = 0;
  auto write = [&](const auto& values) {
    const auto bytes = Bytes(values);
    const auto destination = session->input(i++);
    EXPECT_EQ(destination.size(), bytes.size());
    std::memcpy(destination.data(), bytes.data(), std::min(destination.size(), bytes.size()));
  };
  (write(inputs), ...);
  session->Invoke();
  const auto out = session->output(0);
  std::vector<T> result(out.size() / sizeof(T));
  std::memcpy(result.data(), out.data(), out.size());
  return result;
}

// Compiling must throw harness::Error whose text contains every one of `parts`.
inline void ExpectCompileError(model::Graph graph, const std::vector<std::string>& parts) {
  try {
    const runtime::CompiledModel compiled(std::move(graph));
    ADD_FAILURE() << "the graph compiled";
  } catch (const Error& e) {
    for (const auto& part : parts) EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr(part));
  }
}

}  // namespace harness::test
