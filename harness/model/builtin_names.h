#pragma once
// Names of every TFLite builtin operator code (BuiltinOperator in the public schema), for
// messages about ops harness does not run: "op 7 (SQUEEZE): operator is not supported".

#include <cstdint>
#include <string>

namespace harness::model {

// The public name of a builtin code ("CONV_2D"), or nullptr for a value the schema does not
// define.
const char* BuiltinOperatorName(int32_t code);

// The name when known, else "BUILTIN_<code>", so a message always says something.
std::string DescribeBuiltinCode(int32_t code);

}  // namespace harness::model
