#include "harness/model/op_descriptor.h"

namespace harness::model {

namespace fb = ::tflite;

const void* OptionsTable(const fb::Operator& op, fb::BuiltinOptions expected,
                         const std::string& place) {
  const fb::BuiltinOptions actual = op.builtin_options_type();
  if (actual == fb::BuiltinOptions::NONE) return nullptr;
  if (actual != expected) {
    const char* name = fb::EnumNameBuiltinOptions(actual);
    throw Error(place, std::string("builtin options are ") +
                           (name != nullptr && *name != '\0' ? name : "of an unknown type") +
                           ", expected " + fb::EnumNameBuiltinOptions(expected));
  }
  return op.builtin_options();
}

Padding ReadPadding(fb::Padding padding, const std::string& place) {
  switch (padding) {
    case fb::Padding::SAME:
      return Padding::kSame;
    case fb::Padding::VALID:
      return Padding::kValid;
  }
  throw Error(place, "padding " + std::to_string(static_cast<int>(padding)) + " is unknown");
}

Activation ReadActivation(fb::ActivationFunctionType activation, const std::string& place) {
  switch (activation) {
    case fb::ActivationFunctionType::NONE:
      return Activation::kNone;
    case fb::ActivationFunctionType::RELU:
      return Activation::kRelu;
    case fb::ActivationFunctionType::RELU_N1_TO_1:
      return Activation::kReluN1To1;
    case fb::ActivationFunctionType::RELU6:
      return Activation::kRelu6;
    case fb::ActivationFunctionType::TANH:
      return Activation::kTanh;
    case fb::ActivationFunctionType::SIGN_BIT:
      break;
  }
  throw Error(place, "fused activation " + std::to_string(static_cast<int>(activation)) +
                         " is not supported");
}

OpOptions ReadNoOptions(const fb::Operator& /*op*/, const std::string& /*place*/) { return {}; }

std::pair<fb::BuiltinOptions, flatbuffers::Offset<void>> WriteNoOptions(
    flatbuffers::FlatBufferBuilder& /*builder*/, const Op& /*op*/, const std::string& /*place*/) {
  return {fb::BuiltinOptions::NONE, 0};
}

}  // namespace harness::model
