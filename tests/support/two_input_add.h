#pragma once
// A float32 model of two inputs, "a" [1, 3] + "b" [1, 3] -> `output` [1, 3], written as a
// .tflite file: the smallest model for which feeding only the first input gives a wrong answer.

#include <string>

#include "harness/model/graph.h"
#include "harness/model/tflite_writer.h"

namespace harness::test {

inline void WriteTwoInputAdd(const std::string& path, const char* output = "sum") {
  model::Graph g;
  g.AddBuffer({});
  for (const char* name : {"a", "b", output}) {
    model::Tensor t;
    t.name = name;
    t.shape = {1, 3};
    g.tensors.push_back(t);
  }
  model::Op add;
  add.type = model::OpType::kAdd;
  add.inputs = {0, 1};
  add.outputs = {2};
  add.options = model::AddOptions{};
  add.version = 1;
  g.ops = {add};
  g.inputs = {0, 1};
  g.outputs = {2};
  model::WriteTfliteFile(g, path);
}

}  // namespace harness::test
