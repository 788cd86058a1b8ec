#include "harness/eval/output_writer.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "harness/common/error.h"
#include "harness/eval/hdf5_file.h"

namespace harness::eval {
namespace {

hdf5::NativeType NativeTypeFor(const std::string& path, model::DataType type) {
  switch (type) {
    case model::DataType::kInt8:
      return hdf5::NativeType::kInt8;
    case model::DataType::kUInt8:
      return hdf5::NativeType::kUInt8;
    case model::DataType::kInt16:
      return hdf5::NativeType::kInt16;
    case model::DataType::kInt32:
      return hdf5::NativeType::kInt32;
    case model::DataType::kFloat32:
      return hdf5::NativeType::kFloat32;
    default:
      break;
  }
  throw Error(path, std::string("cannot write outputs of type ") + model::ToString(type));
}

// A name in the destination's folder (so the rename stays on one file system and is atomic)
// that no other writer in this or another process picks at the same time.
std::filesystem::path TemporaryPathFor(const std::filesystem::path& destination) {
  static std::atomic<uint64_t> counter{0};
  // Built by appending: GCC 12 gives a false -Wrestrict on `"." + std::string`.
  std::string name = ".";
  name.append(destination.filename().string());
  name.append(".tmp.");
  name.append(std::to_string(::getpid()));
  name.append(".");
  name.append(std::to_string(counter++));
  return destination.parent_path() / name;
}

}  // namespace

void WriteOutputFile(const std::string& path, const std::vector<OutputArray>& outputs,
                     const std::vector<std::pair<std::string, std::string>>& attributes) {
  if (outputs.empty()) throw Error(path, "no outputs to write");
  std::vector<std::vector<uint64_t>> shapes;
  for (const OutputArray& output : outputs) {
    NativeTypeFor(path, output.type);
    uint64_t elements = 1;
    std::vector<uint64_t>& shape = shapes.emplace_back();
    for (int64_t dim : output.shape) {
      if (dim < 0) throw Error(path, "output shape has a negative dimension");
      elements *= static_cast<uint64_t>(dim);
      shape.push_back(static_cast<uint64_t>(dim));
    }
    const uint64_t expected_bytes = elements * model::ElementSize(output.type);
    if (output.bytes.size() != expected_bytes) {
      throw Error(path, "output '" + output.name + "' has " + std::to_string(output.bytes.size()) +
                            " bytes, the shape and type need " + std::to_string(expected_bytes));
    }
  }

  const std::filesystem::path temporary = TemporaryPathFor(path);
  try {
    hdf5::File file = hdf5::File::Create(temporary.string());
    if (outputs.size() == 1) {
      file.WriteDataset("/outputs", NativeTypeFor(path, outputs[0].type), shapes[0],
                        outputs[0].bytes.data());
    } else {
      file.CreateGroup("/outputs");
      for (size_t k = 0; k < outputs.size(); ++k) {
        const std::string index = std::to_string(k);
        file.WriteDataset("/outputs/" + index, NativeTypeFor(path, outputs[k].type), shapes[k],
                          outputs[k].bytes.data());
        file.WriteStringAttribute("output_" + index, outputs[k].name);
      }
    }
    for (const auto& [name, value] : attributes) file.WriteStringAttribute(name, value);
    file.Close();
    std::filesystem::rename(temporary, path);
  } catch (const Error& error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    // Name the destination the user asked for, not the temporary file.
    std::string place = error.place();
    if (place.starts_with(temporary.string())) place.replace(0, temporary.string().size(), path);
    throw Error(place, error.message());
  } catch (const std::filesystem::filesystem_error& error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Error(path, std::string("cannot move the written file into place: ") + error.what());
  }
}

void WriteOutputFile(const std::string& path, const OutputArray& output,
                     const std::vector<std::pair<std::string, std::string>>& attributes) {
  WriteOutputFile(path, std::vector<OutputArray>{output}, attributes);
}

}  // namespace harness::eval
