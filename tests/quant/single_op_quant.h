#pragma once
// The quantizer check of issue 16's new ops: a float graph holding one op (its first input the
// graph input, other inputs constants) is calibrated on seeded samples and quantized to int8 or
// int16x8; the written model must pass the flatbuffers verifier, load back, lint clean on the
// ESP32-S3 target, carry the expected op version and output type, and stay within a stated
// number of output steps of the float model on every element.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "harness/model/schema/tflite_generated.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/calibrators.h"
#include "harness/quant/int8_quantizer.h"
#include "harness/quant/lint.h"
#include "harness/runtime/compiled_model.h"
#include "tests/quant/small_float_model.h"

namespace harness::quant::testing {

struct SingleOpQuantCase {
  model::Graph float_graph;  // one graph input (float32), one graph output
  model::OpType op;
  float input_lo = -4.0f, input_hi = 3.0f;  // range of the seeded samples
  int32_t int8_version = 1, int16_version = 1;
  // Allowed error in output steps (unused for an output without parameters, such as ARG_MAX's
  // INT32 index, which the caller compares).
  double tolerance_steps = 1.0;
};

inline std::vector<float> SingleOpSample(const model::Graph& g, size_t i, float lo, float hi) {
  const size_t n = static_cast<size_t>(model::ElementCount(g.tensor(g.inputs[0]).shape));
  return SeededValues(n, 1000 + i, lo, hi);
}

template <class T>
std::vector<T> RunOnSample(const runtime::CompiledModel& model, const std::vector<float>& x) {
  auto session = model.NewSession();
  std::memcpy(session->input(0).data(), x.data(), x.size() * sizeof(float));
  session->Invoke();
  const auto out = session->output(0);
  std::vector<T> y(out.size() / sizeof(T));
  std::memcpy(y.data(), out.data(), out.size());
  return y;
}

// Quantizes the case's graph and returns the loaded quantized model after the checks above
// (the comparison with float is made here for float outputs).
inline model::Graph CheckSingleOpQuantization(const SingleOpQuantCase& c, bool int16,
                                              size_t samples = 16) {
  const runtime::CompiledModel float_model(c.float_graph);
  const CalibrationResult calibration =
      RunCalibration(float_model, samples, [&](size_t i, std::span<std::byte> input) {
        const std::vector<float> x = SingleOpSample(c.float_graph, i, c.input_lo, c.input_hi);
        std::memcpy(input.data(), x.data(), input.size());
      });
  Int8Options options;
  options.float_io = true;
  options.int16_activations = int16;
  const model::Graph q =
      QuantizeInt8(c.float_graph, calibration, *MakeCalibrator("minmax"), options);

  const std::vector<uint8_t> bytes = model::WriteTflite(q);
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  EXPECT_TRUE(tflite::VerifyModelBuffer(verifier));
  model::Graph loaded = model::LoadTflite(bytes, "single_op_quantized");

  const model::Op* op = nullptr;
  for (const model::Op& o : loaded.ops) {
    if (o.type == c.op) op = &o;
  }
  EXPECT_NE(op, nullptr);
  if (op == nullptr) return loaded;
  const model::Tensor& in = loaded.tensor(op->inputs[0]);
  EXPECT_EQ(in.type, int16 ? model::DataType::kInt16 : model::DataType::kInt8);
  EXPECT_EQ(op->version, int16 ? c.int16_version : c.int8_version);

  const LintReport lint = Lint(loaded, LintTarget::Esp32S3());
  EXPECT_EQ(lint.errors(), 0u);

  const model::Tensor& out = loaded.tensor(op->outputs[0]);
  if (out.quantization.scales.empty()) return loaded;  // an index output: the caller compares
  const double step = out.quantization.scales.at(0);
  const runtime::CompiledModel quantized(loaded);
  for (size_t i = 0; i < samples; ++i) {
    const std::vector<float> x = SingleOpSample(c.float_graph, i, c.input_lo, c.input_hi);
    const std::vector<float> expected = RunOnSample<float>(float_model, x);
    const std::vector<float> got = RunOnSample<float>(quantized, x);
    EXPECT_EQ(got.size(), expected.size());
    for (size_t k = 0; k < expected.size() && k < got.size(); ++k) {
      EXPECT_NEAR(got[k], expected[k], c.tolerance_steps * step)
          << "sample " << i << " element " << k;
      if (std::abs(static_cast<double>(got[k] - expected[k])) > c.tolerance_steps * step)
        return loaded;
    }
  }
  return loaded;
}

// ---- Ops with several outputs, integer constants or weights ----
//
// CheckQuantizedOp: the same checks for every output of the op (UNPACK, SPLIT), with
// `weight_bound` added to the tolerance for ops whose int8 weights round (TRANSPOSE_CONV).

// A float tensor of `shape`, appended to the graph; constant when `values` is given.
inline int32_t AddFloatTensor(model::Graph& g, const char* name, std::vector<int32_t> shape,
                              const std::vector<float>* values = nullptr) {
  model::Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  if (values) {
    std::vector<uint8_t> bytes(values->size() * sizeof(float));
    std::memcpy(bytes.data(), values->data(), bytes.size());
    t.buffer = g.AddBuffer(std::move(bytes));
  }
  g.tensors.push_back(std::move(t));
  return static_cast<int32_t>(g.tensors.size() - 1);
}

// An int32 constant (shapes, begin / end / strides, axes).
inline int32_t AddInt32Constant(model::Graph& g, const char* name,
                                const std::vector<int32_t>& values) {
  model::Tensor t;
  t.name = name;
  t.type = model::DataType::kInt32;
  t.shape = {static_cast<int32_t>(values.size())};
  std::vector<uint8_t> bytes(values.size() * sizeof(int32_t));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  t.buffer = g.AddBuffer(std::move(bytes));
  g.tensors.push_back(std::move(t));
  return static_cast<int32_t>(g.tensors.size() - 1);
}

// Deterministic sample i of `n` floats over [-4, 3].
inline std::vector<float> QuantSample(size_t i, size_t n) {
  std::vector<float> x(n);
  for (size_t k = 0; k < n; ++k) {
    x[k] = -4.0f + 7.0f * static_cast<float>((k * 37 + i * 11) % 101) / 100.0f;
  }
  return x;
}

inline std::vector<std::vector<float>> RunFloatModel(const runtime::CompiledModel& model,
                                                     size_t i) {
  auto session = model.NewSession();
  const std::vector<float> x = QuantSample(i, model.input_bytes(0) / sizeof(float));
  std::memcpy(session->input(0).data(), x.data(), x.size() * sizeof(float));
  session->Invoke();
  std::vector<std::vector<float>> outputs;
  for (size_t o = 0; o < model.graph().outputs.size(); ++o) {
    std::vector<float> y(model.output_bytes(o) / sizeof(float));
    std::memcpy(y.data(), session->output(o).data(), y.size() * sizeof(float));
    outputs.push_back(std::move(y));
  }
  return outputs;
}

inline void CheckQuantizedOp(const model::Graph& float_graph, model::OpType type, bool int16,
                             int32_t expected_version, double steps, double weight_bound = 0.0) {
  const runtime::CompiledModel float_model(float_graph);
  const CalibrationResult calibration =
      RunCalibration(float_model, 16, [](size_t i, std::span<std::byte> input) {
        const std::vector<float> x = QuantSample(i, input.size() / sizeof(float));
        std::memcpy(input.data(), x.data(), input.size());
      });
  Int8Options options;
  options.float_io = true;
  options.int16_activations = int16;
  const model::Graph q = QuantizeInt8(float_graph, calibration, *MakeCalibrator("minmax"), options);

  const std::vector<uint8_t> bytes = model::WriteTflite(q);
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  ASSERT_TRUE(tflite::VerifyModelBuffer(verifier));
  const model::Graph loaded = model::LoadTflite(bytes, "quantized");

  const model::Op* found = nullptr;
  for (const model::Op& op : loaded.ops) {
    if (op.type == type) found = &op;
  }
  ASSERT_NE(found, nullptr);
  const model::DataType expected_type = int16 ? model::DataType::kInt16 : model::DataType::kInt8;
  std::vector<double> output_steps;
  for (int32_t output : found->outputs) {
    EXPECT_EQ(loaded.tensor(output).type, expected_type);
    output_steps.push_back(loaded.tensor(output).quantization.scales.at(0));
  }
  EXPECT_EQ(found->version, expected_version);  // TFLite's op_version.cc

  const LintReport lint = Lint(loaded, LintTarget::Esp32S3());
  EXPECT_EQ(lint.errors(), 0u);

  const runtime::CompiledModel quantized(loaded);
  ASSERT_EQ(quantized.graph().outputs.size(), float_graph.outputs.size());
  for (size_t i = 0; i < 16; ++i) {
    const auto expected = RunFloatModel(float_model, i);
    const auto got = RunFloatModel(quantized, i);
    for (size_t o = 0; o < expected.size(); ++o) {
      const double step = output_steps.at(o < output_steps.size() ? o : 0);
      ASSERT_EQ(got[o].size(), expected[o].size());
      for (size_t k = 0; k < expected[o].size(); ++k) {
        ASSERT_NEAR(got[o][k], expected[o][k], steps * step + weight_bound)
            << "sample " << i << " output " << o << " element " << k;
      }
    }
  }
}

}  // namespace harness::quant::testing
