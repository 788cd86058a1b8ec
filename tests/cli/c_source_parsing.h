// Reading back what `harness export-c` generates: the initializer of a declaration and the
// numbers in it.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace harness::test {

// The text between "<declaration> = {" and the matching "};"; empty if it is not there.
inline std::string InitializerOf(const std::string& text, const std::string& declaration) {
  const size_t start = text.find(declaration);
  if (start == std::string::npos) return "";
  const size_t open = text.find("= {", start);
  const size_t close = text.find("};", open);
  return text.substr(open + 3, close - open - 3);
}

// Every number in an initializer, as written.
inline std::vector<std::string> ParseNumbers(const std::string& body) {
  std::string spaced = body;
  for (char& c : spaced)
    if (c == '{' || c == '}' || c == ',') c = ' ';
  std::istringstream in(spaced);
  std::vector<std::string> numbers;
  for (std::string token; in >> token;) numbers.push_back(token);
  return numbers;
}

}  // namespace harness::test
