#pragma once
// One function per subcommand. Each takes the arguments after the command name, prints to
// `out`, returns an exit code, and throws harness::Error on bad usage or bad input.

#include <iosfwd>
#include <string>
#include <vector>

namespace harness::cli {

int RunDiff(const std::vector<std::string>& args, std::ostream& out);
int RunConvert(const std::vector<std::string>& args, std::ostream& out);
int RunRun(const std::vector<std::string>& args, std::ostream& out);
int RunMerge(const std::vector<std::string>& args, std::ostream& out);
int RunInspect(const std::vector<std::string>& args, std::ostream& out);
int RunInfer(const std::vector<std::string>& args, std::ostream& out);
int RunQuantize(const std::vector<std::string>& args, std::ostream& out);
int RunLint(const std::vector<std::string>& args, std::ostream& out);
int RunEval(const std::vector<std::string>& args, std::ostream& out);
int RunExportC(const std::vector<std::string>& args, std::ostream& out);
int RunBench(const std::vector<std::string>& args, std::ostream& out);

}  // namespace harness::cli
