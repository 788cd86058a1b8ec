#include <iostream>
#include <string>
#include <vector>

#include "harness/cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return harness::cli::Main(args, std::cout, std::cerr);
}
