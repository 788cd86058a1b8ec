#pragma once
// A small RAII layer over the HDF5 C API: files, datasets and attributes of the root group,
// with every failure turned into a harness::Error whose place names the file and the object
// ("set.h5: /labels"). Only what the harness needs: whole-dataset reads and writes, scalar
// and 1-D attributes of numbers and strings.
//
// HDF5 is not safe to call from several threads at once in every build, and its error printing
// is configured per thread in thread-safe builds. Every entry point here therefore runs under one
// process-wide lock (LibraryLock) that also silences HDF5's own stderr error printing: callers
// that do several calls in a row may hold the lock themselves (it is recursive).

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "harness/common/error.h"

namespace harness::eval::hdf5 {

// Holds the process-wide HDF5 lock for its lifetime.
class LibraryLock {
 public:
  LibraryLock();

 private:
  std::unique_lock<std::recursive_mutex> lock_;
};

// Owns an HDF5 identifier and closes it with the matching H5?close function.
class Id {
 public:
  using Closer = herr_t (*)(hid_t);

  Id() = default;
  Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  ~Id() { Reset(); }
  Id(Id&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
  Id& operator=(Id&& other) noexcept;
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now; returns false when HDF5 reports a failure (a write that could not be flushed).
  bool Reset();

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

// The kind and width of a stored element, independent of byte order.
enum class ElementClass { kSignedInteger, kUnsignedInteger, kFloat, kString, kOther };

struct ElementType {
  ElementClass element_class = ElementClass::kOther;
  size_t size = 0;  // bytes; for a variable-length string the size of its handle

  bool is_integer() const {
    return element_class == ElementClass::kSignedInteger ||
           element_class == ElementClass::kUnsignedInteger;
  }
  bool is_number() const { return is_integer() || element_class == ElementClass::kFloat; }
  // "uint8", "int16", "float32", "float64", "string", ...
  std::string Name() const;
};

// The in-memory element types the harness reads and writes.
enum class NativeType {
  kInt8,
  kUInt8,
  kInt16,
  kUInt16,
  kInt32,
  kUInt32,
  kInt64,
  kUInt64,
  kFloat32,
  kFloat64
};

template <typename T>
constexpr NativeType NativeTypeOf();

class File {
 public:
  // Throws Error(path, ...) when the file is missing or is not an HDF5 file.
  static File OpenReadOnly(const std::string& path);
  // Creates (or truncates) a file for writing.
  static File Create(const std::string& path);

  const std::string& path() const { return path_; }

  // `name` is an absolute path in the file such as "/inputs".
  bool HasDataset(const std::string& name) const;
  bool HasGroup(const std::string& name) const;
  // The names of the datasets directly in group `name`, in HDF5's name order; throws when the
  // group has more than kMaxGroupMembers members.
  std::vector<std::string> DatasetsInGroup(const std::string& name) const;
  static constexpr size_t kMaxGroupMembers = 1024;
  ElementType DatasetType(const std::string& name) const;
  std::vector<uint64_t> DatasetShape(const std::string& name) const;
  // Reads the whole dataset converted by HDF5 to `type`; `count` must be its element count.
  void ReadDataset(const std::string& name, NativeType type, void* out, size_t count) const;
  template <typename T>
  std::vector<T> ReadDataset(const std::string& name) const;
  void WriteDataset(const std::string& name, NativeType type, const std::vector<uint64_t>& shape,
                    const void* data);
  // An empty group such as "/outputs", for datasets "/outputs/0", "/outputs/1", ...
  void CreateGroup(const std::string& name);

  // Attributes of the root group.
  bool HasAttribute(const std::string& name) const;
  ElementType AttributeType(const std::string& name) const;
  std::vector<uint64_t> AttributeShape(const std::string& name) const;  // {} for a scalar
  // A scalar number of any integer or float type, converted to double.
  double ReadNumberAttribute(const std::string& name) const;
  // A scalar integer of any width; a float attribute is an error.
  int64_t ReadIntegerAttribute(const std::string& name) const;
  // A scalar string (fixed or variable length).
  std::string ReadStringAttribute(const std::string& name) const;
  // A scalar or 1-D attribute of strings (fixed or variable length).
  std::vector<std::string> ReadStringsAttribute(const std::string& name) const;
  void WriteStringAttribute(const std::string& name, const std::string& value);

  // Flushes and closes the file, throwing when HDF5 cannot (a full disk shows up here).
  void Close();

  // An error placed at `object` in this file: "PATH: OBJECT: message".
  Error Fail(const std::string& object, const std::string& message) const;
  // How errors name an attribute of the root group: "attribute 'scale'".
  static std::string AttributePlace(const std::string& name);

 private:
  File(std::string path, Id id) : path_(std::move(path)), id_(std::move(id)) {}
  Id OpenDatasetId(const std::string& name) const;
  Id OpenAttributeId(const std::string& name) const;
  std::vector<std::string> ReadStrings(const std::string& name, bool scalar_only) const;

  std::string path_;
  Id id_;
};

template <typename T>
constexpr NativeType NativeTypeOf() {
  if constexpr (std::is_same_v<T, int8_t>)
    return NativeType::kInt8;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return NativeType::kUInt8;
  else if constexpr (std::is_same_v<T, int16_t>)
    return NativeType::kInt16;
  else if constexpr (std::is_same_v<T, uint16_t>)
    return NativeType::kUInt16;
  else if constexpr (std::is_same_v<T, int32_t>)
    return NativeType::kInt32;
  else if constexpr (std::is_same_v<T, uint32_t>)
    return NativeType::kUInt32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return NativeType::kInt64;
  else if constexpr (std::is_same_v<T, uint64_t>)
    return NativeType::kUInt64;
  else if constexpr (std::is_same_v<T, float>)
    return NativeType::kFloat32;
  else {
    static_assert(std::is_same_v<T, double>, "no HDF5 native type for this element type");
    return NativeType::kFloat64;
  }
}

template <typename T>
std::vector<T> File::ReadDataset(const std::string& name) const {
  size_t count = 1;
  for (uint64_t dim : DatasetShape(name)) count *= static_cast<size_t>(dim);
  std::vector<T> values(count);
  ReadDataset(name, NativeTypeOf<T>(), values.data(), count);
  return values;
}

}  // namespace harness::eval::hdf5
