// Writes harness(1) to the file named by its argument; run by the build (harness/CMakeLists.txt).

#include <fstream>
#include <iostream>

#include "harness/cli/command_help.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: harness_man_page OUT.1\n";
    return 2;
  }
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << harness::cli::ManPage();
  out.close();
  if (!out) {
    std::cerr << "harness_man_page: cannot write " << argv[1] << "\n";
    return 2;
  }
  return 0;
}
