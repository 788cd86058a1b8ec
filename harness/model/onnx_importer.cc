#include "harness/model/onnx_importer.h"

#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <string>

#include "harness/common/error.h"
#include "harness/model/onnx_import_context.h"

namespace harness::model {
namespace onnx_import {

std::string Importer::NodePlace(const onnx::NodeProto& node) const {
  // Appended piece by piece: GCC 12 reports a false -Wrestrict on some operator+ chains.
  std::string place = path_;
  place += ": node '";
  if (node.name().empty()) {
    place += '#';
    place += std::to_string(node_index_);
  } else {
    place += node.name();
  }
  place += "' (";
  place += node.op_type();
  place += ", opset ";
  place += std::to_string(opset_);
  place += ')';
  return place;
}

Error Importer::Fail(const onnx::NodeProto& node, const std::string& message) const {
  return Error(NodePlace(node), message);
}

void Importer::Convert(const onnx::NodeProto& node) {
  static const std::map<std::string, Converter> kConverters = {
      {"Conv", &Importer::ConvertConv},
      {"Gemm", &Importer::ConvertGemm},
      {"MatMul", &Importer::ConvertMatMul},
      {"Relu", &Importer::ConvertRelu},
      {"Clip", &Importer::ConvertClip},
      {"Sigmoid", &Importer::ConvertSigmoid},
      {"Tanh", &Importer::ConvertTanh},
      {"HardSwish", &Importer::ConvertHardSwish},
      {"Add", &Importer::ConvertAdd},
      {"Mul", &Importer::ConvertMul},
      {"MaxPool", &Importer::ConvertMaxPool},
      {"AveragePool", &Importer::ConvertAveragePool},
      {"GlobalAveragePool", &Importer::ConvertGlobalAveragePool},
      {"ReduceMean", &Importer::ConvertReduceMean},
      {"Flatten", &Importer::ConvertFlatten},
      {"Reshape", &Importer::ConvertReshape},
      {"Concat", &Importer::ConvertConcat},
      {"Pad", &Importer::ConvertPad},
      {"Softmax", &Importer::ConvertSoftmax},
      {"BatchNormalization", &Importer::ConvertBatchNormalization},
      {"Transpose", &Importer::ConvertTranspose},
      {"Identity", &Importer::ConvertIdentity},
      {"Dropout", &Importer::ConvertIdentity},
      {"Constant", &Importer::ConvertConstant},
      {"Shape", &Importer::ConvertShape},
      {"Gather", &Importer::ConvertGather},
      {"Unsqueeze", &Importer::ConvertUnsqueeze},
  };
  if (!node.domain().empty() && node.domain() != "ai.onnx") {
    throw Fail(node, "operator domain '" + node.domain() + "' is not supported");
  }
  auto it = kConverters.find(node.op_type());
  if (it == kConverters.end()) throw Fail(node, "operator is not supported");
  (this->*(it->second))(node);
}

void Importer::ReadInputs() {
  const onnx::GraphProto& g = model_.graph();
  for (const auto& init : g.initializer()) {
    Value v;
    v.constant = ReadOnnxTensor(init, path_ + ": initializer '" + init.name() + "'");
    v.shape = v.constant->shape;
    values_[init.name()] = std::move(v);
  }
  for (const auto& input : g.input()) {
    if (values_.count(input.name()) > 0) continue;  // an initializer listed as input (IR < 4)
    const std::string place = path_ + ": input '" + input.name() + "'";
    if (!input.type().has_tensor_type() || input.type().tensor_type().elem_type() != onnx::TensorProto::FLOAT) {
      throw Error(place, "only float tensor inputs are supported");
    }
    Shape shape;
    const auto& dims = input.type().tensor_type().shape().dim();
    for (int i = 0; i < dims.size(); ++i) {
      if (dims[i].has_dim_value()) {
        shape.push_back(dims[i].dim_value());
      } else if (i == 0) {
        shape.push_back(1);  // a symbolic batch runs one sample at a time
      } else {
        throw Error(place, "dimension " + std::to_string(i) + " is symbolic; only the batch may be");
      }
    }
    Value v;
    v.shape = shape;
    std::vector<int32_t> stored;
    for (int64_t d : Stored(shape)) {
      if (d < 1 || d > std::numeric_limits<int32_t>::max()) throw Error(place, "invalid dimension");
      stored.push_back(static_cast<int32_t>(d));
    }
    v.tensor = AddTensor(input.name(), stored, DataType::kFloat32, -1);
    graph_.inputs.push_back(v.tensor);
    values_[input.name()] = std::move(v);
  }
}

void Importer::BindOutputs() {
  for (const auto& output : model_.graph().output()) {
    const std::string place = path_ + ": output '" + output.name() + "'";
    auto it = values_.find(output.name());
    if (it == values_.end()) throw Error(place, "is not produced by any node");
    const Value& v = it->second;
    if (v.constant) throw Error(place, "is a constant; only computed outputs are supported");
    if (v.flattened_chw) {
      throw Error(place, "is an NCHW tensor flattened, whose NHWC element order differs");
    }
    graph_.outputs.push_back(v.tensor);
  }
}

Graph Importer::Run() {
  for (const auto& op : model_.opset_import()) {
    if (op.domain().empty() || op.domain() == "ai.onnx") opset_ = op.version();
  }
  if (opset_ < kMinOpset || opset_ > kMaxOpset) {
    throw Error(path_, "ONNX opset " + std::to_string(opset_) + " is not supported (only " +
                           std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset) + ")");
  }
  const onnx::GraphProto& g = model_.graph();
  for (const auto& node : g.node()) {
    for (const auto& name : node.input()) ++consumers_[name];
  }
  for (const auto& output : g.output()) ++consumers_[output.name()];
  ReadInputs();
  for (node_index_ = 0; node_index_ < g.node_size(); ++node_index_) Convert(g.node(node_index_));
  BindOutputs();
  graph_.description = "converted from ONNX (" + model_.producer_name() + " " +
                       model_.producer_version() + ", opset " + std::to_string(opset_) + ")";
  return std::move(graph_);
}

}  // namespace onnx_import

using onnx_import::Importer;


Graph LoadOnnxFile(const std::string& path) {
  std::error_code status;
  if (!std::filesystem::is_regular_file(path, status)) throw Error(path, "cannot open the file");
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) throw Error(path, "cannot open the file");
  const std::streamoff size = file.tellg();
  if (size < 0 || size > std::numeric_limits<int>::max()) {
    throw Error(path, "cannot read the file, or it is too large for protobuf");
  }
  std::string bytes(static_cast<size_t>(size), '\0');
  file.seekg(0);
  if (size > 0 && !file.read(bytes.data(), static_cast<std::streamsize>(size))) {
    throw Error(path, "cannot read the file");
  }
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw Error(path, "not a valid ONNX model (protobuf parsing failed; truncated or corrupt)");
  }
  if (!model.has_graph()) throw Error(path, "the model has no graph");
  return Importer(model, path).Run();
}

}  // namespace harness::model
