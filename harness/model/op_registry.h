#pragma once
// The table of ops harness runs: every op's descriptor registers itself at static
// initialization (an OpRegistration object in the op's own file), so adding an op edits no list.
// The op files are linked whole into every program that links the runtime (see
// harness/CMakeLists.txt), so each registration runs.

#include <optional>
#include <string>
#include <vector>

#include "harness/model/op_descriptor.h"

namespace harness::model {

// The descriptor of `type`, or nullptr when harness does not run it.
const OpDescriptor* FindOp(OpType type);
// The descriptor of `type`; throws harness::Error naming the op when it has none.
const OpDescriptor& GetOp(OpType type);
// Every registered descriptor, by builtin code.
std::vector<const OpDescriptor*> RegisteredOps();
// "ADD, AVERAGE_POOL_2D, ...": the ops harness runs, for messages.
std::string RegisteredOpNames();

class OpRegistration {
 public:
  // Registers `descriptor`, which must outlive the program (a namespace-scope constant). A second
  // descriptor for the same builtin code is a programming error: the program stops at start-up
  // with a message naming the op.
  explicit OpRegistration(const OpDescriptor& descriptor);
};

}  // namespace harness::model
