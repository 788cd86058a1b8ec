// The op table: every registered descriptor is complete and agrees with the public schema's
// names and TFLite-Micro's resolver naming; a descriptor cannot be built with a property left out.
#include "harness/model/op_registry.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <type_traits>

#include "harness/common/error.h"
#include "harness/model/builtin_names.h"
#include "harness/runtime/op_kernel.h"

namespace harness::model {
namespace {

// A property left out of a descriptor is a compile error: none of these is default-constructible,
// so designated initializers that skip a member do not compile.
static_assert(!std::is_default_constructible_v<OpDescriptor>);
static_assert(!std::is_default_constructible_v<QuantRule>);
static_assert(!std::is_default_constructible_v<ArenaNeeds>);
static_assert(!std::is_default_constructible_v<Required<bool>>);

// TFLite-Micro's MicroMutableOpResolver names its methods after the op in camel case:
// CONV_2D -> AddConv2D, RELU6 -> AddRelu6, LEAKY_RELU -> AddLeakyRelu.
std::string ResolverCallFromName(const std::string& name) {
  std::string call = "Add";
  bool word_start = true;
  for (char c : name) {
    if (c == '_') {
      word_start = true;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    call += word_start ? static_cast<char>(std::toupper(u)) : static_cast<char>(std::tolower(u));
    // A word that starts with a digit ("2D") keeps its letters upper case.
    word_start = std::isdigit(u) != 0 && word_start;
  }
  return call;
}

TEST(OpRegistry, ResolverNamingRule) {
  EXPECT_EQ(ResolverCallFromName("CONV_2D"), "AddConv2D");
  EXPECT_EQ(ResolverCallFromName("DEPTHWISE_CONV_2D"), "AddDepthwiseConv2D");
  EXPECT_EQ(ResolverCallFromName("RELU6"), "AddRelu6");
  EXPECT_EQ(ResolverCallFromName("HARD_SWISH"), "AddHardSwish");
}

TEST(OpRegistry, EveryDescriptorIsComplete) {
  const auto ops = RegisteredOps();
  ASSERT_GE(ops.size(), 19u);  // the ops harness ran before the table existed
  std::set<int32_t> codes;
  for (const OpDescriptor* d : ops) {
    const auto code = static_cast<int32_t>(*d->type);
    SCOPED_TRACE(*d->name);
    EXPECT_TRUE(codes.insert(code).second);
    // The name is the public schema's name of the code.
    ASSERT_NE(BuiltinOperatorName(code), nullptr);
    EXPECT_STREQ(*d->name, BuiltinOperatorName(code));
    EXPECT_STREQ(ToString(*d->type), *d->name);
    EXPECT_EQ(*d->micro_resolver_call, ResolverCallFromName(*d->name));
    EXPECT_NE(*d->read_options, nullptr);
    EXPECT_NE(*d->write_options, nullptr);
    EXPECT_NE(*d->make_kernel, nullptr);
    EXPECT_NE(*d->version, nullptr);
    EXPECT_NE(*d->macs, nullptr);
    EXPECT_NE(*d->arena.op_data_bytes, nullptr);
    EXPECT_NE(*d->arena.persistent_arrays, nullptr);
    EXPECT_NE(*d->arena.scratch_bytes, nullptr);
    const QuantRule& q = d->quant;
    // Fixed output parameters are given exactly when the rule says the output is fixed.
    const bool fixed = *q.output == OutputParams::kFixed;
    EXPECT_EQ(fixed, q.fixed_int8->has_value());
    if (!*q.int16x8) {
      EXPECT_FALSE(q.fixed_int16->has_value());
    }
    if (q.weights->has_value()) {
      EXPECT_NE((*q.weights)->filter_input, (*q.weights)->bias_input);
      EXPECT_GE((*q.weights)->per_channel_axis, 0);
    }
  }
}

TEST(OpRegistry, LookUp) {
  EXPECT_STREQ(*GetOp(OpType::kConv2D).name, "CONV_2D");
  // LSH_PROJECTION: TFLite-Micro does not run it either.
  EXPECT_EQ(FindOp(static_cast<OpType>(15)), nullptr);
  try {
    GetOp(static_cast<OpType>(15));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), "LSH_PROJECTION");
    EXPECT_NE(e.message().find("not supported"), std::string::npos);
    EXPECT_NE(e.message().find("CONV_2D"), std::string::npos);  // lists what is supported
  }
}

}  // namespace
}  // namespace harness::model
