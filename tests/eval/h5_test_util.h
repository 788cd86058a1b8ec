#pragma once
// Test helpers: a temporary folder removed at the end of a test, and a writer of small HDF5 sets
// that uses the HDF5 C API directly, so tests of the harness's reader do not depend on the
// harness's own HDF5 wrapper.

#include <hdf5.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace harness::eval::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "harness_eval_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("HDF5 test writer failed: ") + what);
}

// Writes datasets and root attributes with the HDF5 C API; closes the file on destruction.
class SetWriter {
 public:
  explicit SetWriter(const std::string& path)
      : file_(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)) {
    Check(file_ >= 0, "H5Fcreate");
  }
  ~SetWriter() { H5Fclose(file_); }
  SetWriter(const SetWriter&) = delete;
  SetWriter& operator=(const SetWriter&) = delete;

  // `memory_type` is an H5T_NATIVE_* type matching T; the file stores the same type.
  template <typename T>
  SetWriter& Dataset(const std::string& name, hid_t memory_type, std::vector<hsize_t> shape,
                     const std::vector<T>& values) {
    const hid_t space = H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr);
    const hid_t set =
        H5Dcreate2(file_, name.c_str(), memory_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    Check(set >= 0, "H5Dcreate2");
    Check(H5Dwrite(set, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0,
          "H5Dwrite");
    H5Dclose(set);
    H5Sclose(space);
    return *this;
  }

  // An empty group, e.g. "/inputs" for a set of several inputs.
  SetWriter& Group(const std::string& name) {
    const hid_t group = H5Gcreate2(file_, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    Check(group >= 0, "H5Gcreate2");
    H5Gclose(group);
    return *this;
  }

  template <typename T>
  SetWriter& Scalar(const std::string& name, hid_t memory_type, T value) {
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute =
        H5Acreate2(file_, name.c_str(), memory_type, space, H5P_DEFAULT, H5P_DEFAULT);
    Check(attribute >= 0, "H5Acreate2");
    Check(H5Awrite(attribute, memory_type, &value) >= 0, "H5Awrite");
    H5Aclose(attribute);
    H5Sclose(space);
    return *this;
  }

  // Variable-length UTF-8 strings; a scalar attribute when `scalar` and one string is given.
  SetWriter& Strings(const std::string& name, const std::vector<std::string>& values,
                     bool scalar = false) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    const hsize_t count = values.size();
    const hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &count, nullptr);
    std::vector<const char*> pointers;
    for (const std::string& value : values) pointers.push_back(value.c_str());
    const hid_t attribute = H5Acreate2(file_, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    Check(attribute >= 0, "H5Acreate2");
    Check(H5Awrite(attribute, type, pointers.data()) >= 0, "H5Awrite");
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
    return *this;
  }

  // Fixed-length, null-padded ASCII strings of `width` bytes (as numpy's "S" dtype writes).
  SetWriter& FixedStrings(const std::string& name, const std::vector<std::string>& values,
                          size_t width) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, width);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    const hsize_t count = values.size();
    const hid_t space = H5Screate_simple(1, &count, nullptr);
    std::vector<char> buffer(values.size() * width, '\0');
    for (size_t i = 0; i < values.size(); ++i) {
      values[i].copy(buffer.data() + i * width, std::min(width, values[i].size()));
    }
    const hid_t attribute = H5Acreate2(file_, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    Check(attribute >= 0, "H5Acreate2");
    Check(H5Awrite(attribute, type, buffer.data()) >= 0, "H5Awrite");
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
    return *this;
  }

 private:
  hid_t file_;
};

}  // namespace harness::eval::testing
