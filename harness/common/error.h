#pragma once
// The one error type of the project. It carries the place a problem was found (a file with its
// line and column, an HDF5 dataset, an op with its index, a tensor) apart from the message, so
// the command line can print "harness: error: PLACE: MESSAGE" and exit with code 2.

#include <stdexcept>
#include <string>

namespace harness {

class Error : public std::runtime_error {
 public:
  Error(std::string place, std::string message);

  const std::string& place() const { return place_; }
  const std::string& message() const { return message_; }

  // Returns the same error with `outer` prefixed to its place ("model.tflite: op 3 ..."), so
  // a caller that knows the file can add it to an error raised deep inside a parser.
  Error Within(const std::string& outer) const;

 private:
  std::string place_;
  std::string message_;
};

}  // namespace harness
