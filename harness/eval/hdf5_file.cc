#include "harness/eval/hdf5_file.h"

#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>

#include "harness/eval/isolated_call.h"

namespace harness::eval::hdf5 {
namespace {

std::recursive_mutex& LibraryMutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

hid_t ToHdf5(NativeType type) {
  switch (type) {
    case NativeType::kInt8:
      return H5T_NATIVE_INT8;
    case NativeType::kUInt8:
      return H5T_NATIVE_UINT8;
    case NativeType::kInt16:
      return H5T_NATIVE_INT16;
    case NativeType::kUInt16:
      return H5T_NATIVE_UINT16;
    case NativeType::kInt32:
      return H5T_NATIVE_INT32;
    case NativeType::kUInt32:
      return H5T_NATIVE_UINT32;
    case NativeType::kInt64:
      return H5T_NATIVE_INT64;
    case NativeType::kUInt64:
      return H5T_NATIVE_UINT64;
    case NativeType::kFloat32:
      return H5T_NATIVE_FLOAT;
    case NativeType::kFloat64:
      return H5T_NATIVE_DOUBLE;
  }
  return H5T_NATIVE_UINT8;
}

ElementType Describe(hid_t type) {
  ElementType element;
  element.size = H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      element.element_class = H5Tget_sign(type) == H5T_SGN_NONE ? ElementClass::kUnsignedInteger
                                                                : ElementClass::kSignedInteger;
      break;
    case H5T_FLOAT:
      element.element_class = ElementClass::kFloat;
      break;
    case H5T_STRING:
      element.element_class = ElementClass::kString;
      break;
    default:
      element.element_class = ElementClass::kOther;
      break;
  }
  return element;
}

std::string ShapeText(const std::vector<uint64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::vector<uint64_t> ShapeOf(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank <= 0) return {};
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return std::vector<uint64_t>(dims.begin(), dims.end());
}

// Limits on what a set may ask of the reader. A set of a few MB (or a fuzzed one) that claims
// 2^60 rows must be refused before any allocation; these bounds are far above any real set.
constexpr uint64_t kMaxAttributeElements = uint64_t{1} << 20;
constexpr uint64_t kMaxAttributeBytes = uint64_t{16} << 20;
// Deflate, the strongest filter HDF5 ships, compresses at most about 1032:1; a dataset larger
// than that many times its stored bytes is not backed by the file (unwritten chunks of a
// damaged or forged file). Small datasets are exempt: a few fill values are harmless.
constexpr uint64_t kMaxCompressionRatio = 1100;
constexpr uint64_t kUnbackedBytesAllowed = uint64_t{1} << 20;

// The product of the dimensions; nullopt when it does not fit in 64 bits.
std::optional<uint64_t> CheckedProduct(const std::vector<uint64_t>& shape, uint64_t factor = 1) {
  uint64_t count = factor;
  for (uint64_t dim : shape) {
    if (__builtin_mul_overflow(count, dim, &count)) return std::nullopt;
  }
  return count;
}

uint64_t ElementCount(const std::vector<uint64_t>& shape) {
  return CheckedProduct(shape).value_or(std::numeric_limits<uint64_t>::max());
}

// Strings travel from the reading child process as a count and length-prefixed bytes.
void AppendNumber(std::string& bytes, uint64_t value) {
  bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
}

uint64_t TakeNumber(const std::string& bytes, size_t& at) {
  uint64_t value = 0;
  if (bytes.size() - at < sizeof value) throw std::runtime_error("truncated string list");
  std::memcpy(&value, bytes.data() + at, sizeof value);
  at += sizeof value;
  return value;
}

std::vector<std::string> DecodeStrings(const std::string& bytes) {
  size_t at = 0;
  const uint64_t count = TakeNumber(bytes, at);
  std::vector<std::string> strings;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t length = TakeNumber(bytes, at);
    if (bytes.size() - at < length) throw std::runtime_error("truncated string list");
    strings.emplace_back(bytes.data() + at, static_cast<size_t>(length));
    at += static_cast<size_t>(length);
  }
  return strings;
}

// Reads `count` variable-length strings of an attribute. libhdf5 1.10 follows each string's
// reference into the file's global heap without checking it: a damaged heap makes it crash,
// loop for minutes or allocate gigabytes. So the read runs in a child process with bounded time
// and memory; only the strings come back. Runs under the caller's LibraryLock and calls libhdf5
// directly (see isolated_call.h).
std::string ReadVariableStrings(hid_t attribute, hid_t memory_type, size_t count) {
  std::vector<char*> pointers(count, nullptr);
  if (H5Aread(attribute, memory_type, pointers.data()) < 0) {
    throw std::runtime_error("libhdf5 cannot read them");
  }
  uint64_t total = 0;
  std::string bytes;
  AppendNumber(bytes, count);
  for (const char* text : pointers) {
    const size_t length = text ? std::strlen(text) : 0;
    total += length;
    if (total > kMaxAttributeBytes) {
      throw std::runtime_error("they hold more than " + std::to_string(kMaxAttributeBytes) +
                               " bytes");
    }
    AppendNumber(bytes, length);
    bytes.append(text ? text : "", length);
  }
  return bytes;  // the child exits without freeing: nothing of it outlives the call
}

// Every root attribute: opened and its type and shape read, as the reader will later.
herr_t ProbeAttribute(hid_t location, const char* name, const H5A_info_t*, void*) {
  const hid_t attribute = H5Aopen(location, name, H5P_DEFAULT);
  if (attribute < 0) return 0;
  const hid_t type = H5Aget_type(attribute);
  const hid_t space = H5Aget_space(attribute);
  if (type >= 0) H5Tget_size(type);
  if (space >= 0) ShapeOf(space);
  return 0;
}

// Opens the file and reads the structure the set reader asks about (the datasets a set may
// have, the root attributes), calling libhdf5 directly: it runs in a child process (see
// isolated_call.h). A damaged file whose metadata makes libhdf5 crash, loop or allocate
// gigabytes (a B-tree node "of" 17 GB) fails here, in the child, and the parent never opens it.
std::string ProbeStructure(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  if (H5Fis_hdf5(path.c_str()) <= 0) throw std::runtime_error("not an HDF5 file");
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) throw std::runtime_error("cannot open the HDF5 file");
  for (const char* name : {"/inputs", "/labels", "/boxes", "/box_classes", "/box_sample"}) {
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0) continue;
    const hid_t object = H5Oopen(file, name, H5P_DEFAULT);
    if (object < 0 || H5Iget_type(object) != H5I_DATASET) continue;
    const hid_t type = H5Dget_type(object);
    const hid_t space = H5Dget_space(object);
    if (type >= 0) H5Tget_size(type);
    if (space >= 0) ShapeOf(space);
    H5Dget_storage_size(object);
  }
  hsize_t next = 0;
  H5Aiterate2(file, H5_INDEX_NAME, H5_ITER_INC, &next, ProbeAttribute, nullptr);
  return "";  // the child exits without closing: nothing of it outlives the call
}

}  // namespace

LibraryLock::LibraryLock() : lock_(LibraryMutex()) {
  // Thread-safe HDF5 builds keep the error-printing setting per thread, so it is set on every
  // entry: the harness reports errors itself, with the file and object named.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Id& Id::operator=(Id&& other) noexcept {
  if (this != &other) {
    Reset();
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = -1;
  }
  return *this;
}

bool Id::Reset() {
  if (id_ < 0) return true;
  LibraryLock lock;
  const herr_t status = closer_(id_);
  id_ = -1;
  return status >= 0;
}

std::string ElementType::Name() const {
  const std::string bits = std::to_string(size * 8);
  switch (element_class) {
    case ElementClass::kSignedInteger:
      return "int" + bits;
    case ElementClass::kUnsignedInteger:
      return "uint" + bits;
    case ElementClass::kFloat:
      return "float" + bits;
    case ElementClass::kString:
      return "string";
    case ElementClass::kOther:
      break;
  }
  return "non-numeric type";
}

File File::OpenReadOnly(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw Error(path, "no such file");
  if (std::filesystem::is_directory(path, error)) throw Error(path, "is a directory, not a file");
  LibraryLock lock;
  const IsolatedOutcome probe =
      RunIsolated([&] { return ProbeStructure(path); }, IsolationLimits{});
  if (!probe.output) {
    if (probe.failure == "not an HDF5 file" || probe.failure == "cannot open the HDF5 file") {
      throw Error(path, probe.failure);
    }
    throw Error(path, "libhdf5 cannot read the file's structure safely: " + probe.failure +
                          " (a damaged file?)");
  }
  if (H5Fis_hdf5(path.c_str()) <= 0) throw Error(path, "not an HDF5 file");
  Id id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!id.valid()) throw Error(path, "cannot open the HDF5 file");
  return File(path, std::move(id));
}

File File::Create(const std::string& path) {
  LibraryLock lock;
  Id id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
  if (!id.valid()) throw Error(path, "cannot create the HDF5 file");
  return File(path, std::move(id));
}

Error File::Fail(const std::string& object, const std::string& message) const {
  return Error(path_ + ": " + object, message);
}

std::string File::AttributePlace(const std::string& name) { return "attribute '" + name + "'"; }

bool File::HasDataset(const std::string& name) const {
  LibraryLock lock;
  if (H5Lexists(id_.get(), name.c_str(), H5P_DEFAULT) <= 0) return false;
  Id object(H5Oopen(id_.get(), name.c_str(), H5P_DEFAULT), H5Oclose);
  return object.valid() && H5Iget_type(object.get()) == H5I_DATASET;
}

bool File::HasGroup(const std::string& name) const {
  LibraryLock lock;
  if (H5Lexists(id_.get(), name.c_str(), H5P_DEFAULT) <= 0) return false;
  Id object(H5Oopen(id_.get(), name.c_str(), H5P_DEFAULT), H5Oclose);
  return object.valid() && H5Iget_type(object.get()) == H5I_GROUP;
}

std::vector<std::string> File::DatasetsInGroup(const std::string& name) const {
  LibraryLock lock;
  Id group(H5Gopen2(id_.get(), name.c_str(), H5P_DEFAULT), H5Gclose);
  if (!group.valid()) throw Fail(name, "cannot open the group");
  H5G_info_t info;
  if (H5Gget_info(group.get(), &info) < 0) throw Fail(name, "cannot read the group");
  if (info.nlinks > kMaxGroupMembers) {
    throw Fail(name, "has " + std::to_string(info.nlinks) + " members, at most " +
                         std::to_string(kMaxGroupMembers) + " are read");
  }
  std::vector<std::string> datasets;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length = H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i,
                                              nullptr, 0, H5P_DEFAULT);
    if (length <= 0 || length > 4096)
      throw Fail(name, "member " + std::to_string(i) + " has no usable name");
    std::vector<char> buffer(static_cast<size_t>(length) + 1);
    H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, buffer.data(),
                       buffer.size(), H5P_DEFAULT);
    std::string member(buffer.data(), static_cast<size_t>(length));
    // Hard links only: a soft or external link could point anywhere, even into another file.
    H5L_info_t link;
    if (H5Lget_info(group.get(), member.c_str(), &link, H5P_DEFAULT) < 0 ||
        link.type != H5L_TYPE_HARD) {
      continue;
    }
    if (HasDataset(name + "/" + member)) datasets.push_back(std::move(member));
  }
  return datasets;
}

Id File::OpenDatasetId(const std::string& name) const {
  if (!HasDataset(name)) throw Fail(name, "no such dataset");
  LibraryLock lock;
  Id dataset(H5Dopen2(id_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) throw Fail(name, "cannot open the dataset");
  return dataset;
}

ElementType File::DatasetType(const std::string& name) const {
  Id dataset = OpenDatasetId(name);
  LibraryLock lock;
  Id type(H5Dget_type(dataset.get()), H5Tclose);
  return Describe(type.get());
}

std::vector<uint64_t> File::DatasetShape(const std::string& name) const {
  Id dataset = OpenDatasetId(name);
  LibraryLock lock;
  Id space(H5Dget_space(dataset.get()), H5Sclose);
  std::vector<uint64_t> shape = ShapeOf(space.get());
  Id type(H5Dget_type(dataset.get()), H5Tclose);
  const std::optional<uint64_t> bytes = CheckedProduct(shape, H5Tget_size(type.get()));
  if (!bytes || *bytes > static_cast<uint64_t>(std::numeric_limits<std::ptrdiff_t>::max())) {
    throw Fail(name, "shape " + ShapeText(shape) + " holds more bytes than memory can address");
  }
  // What the file stores of the dataset bounds what it can honestly claim to hold.
  const uint64_t stored = H5Dget_storage_size(dataset.get());
  if (*bytes > kUnbackedBytesAllowed && *bytes / kMaxCompressionRatio > stored) {
    throw Fail(name, "shape " + ShapeText(shape) + " claims " + std::to_string(*bytes) +
                         " bytes, but the file stores only " + std::to_string(stored) +
                         " bytes of it (a damaged or truncated file?)");
  }
  return shape;
}

void File::ReadDataset(const std::string& name, NativeType type, void* out, size_t count) const {
  Id dataset = OpenDatasetId(name);
  LibraryLock lock;
  Id space(H5Dget_space(dataset.get()), H5Sclose);
  if (ElementCount(ShapeOf(space.get())) != count) {
    throw Fail(name, "holds " + std::to_string(ElementCount(ShapeOf(space.get()))) +
                         " elements, expected " + std::to_string(count));
  }
  if (count == 0) return;
  if (H5Dread(dataset.get(), ToHdf5(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
    throw Fail(name, "cannot read the dataset (damaged file or unconvertible element type)");
  }
}

void File::WriteDataset(const std::string& name, NativeType type,
                        const std::vector<uint64_t>& shape, const void* data) {
  LibraryLock lock;
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Id space(shape.empty() ? H5Screate(H5S_SCALAR)
                         : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
           H5Sclose);
  if (!space.valid()) throw Fail(name, "cannot make a dataspace for the shape");
  Id dataset(H5Dcreate2(id_.get(), name.c_str(), ToHdf5(type), space.get(), H5P_DEFAULT,
                        H5P_DEFAULT, H5P_DEFAULT),
             H5Dclose);
  if (!dataset.valid()) throw Fail(name, "cannot create the dataset");
  if (ElementCount(shape) == 0) return;
  if (H5Dwrite(dataset.get(), ToHdf5(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    throw Fail(name, "cannot write the dataset");
  }
}

void File::CreateGroup(const std::string& name) {
  LibraryLock lock;
  Id group(H5Gcreate2(id_.get(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  if (!group.valid()) throw Fail(name, "cannot create the group");
}

bool File::HasAttribute(const std::string& name) const {
  LibraryLock lock;
  return H5Aexists(id_.get(), name.c_str()) > 0;
}

Id File::OpenAttributeId(const std::string& name) const {
  if (!HasAttribute(name)) throw Fail(AttributePlace(name), "no such attribute");
  LibraryLock lock;
  Id attribute(H5Aopen(id_.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attribute.valid()) throw Fail(AttributePlace(name), "cannot open the attribute");
  return attribute;
}

ElementType File::AttributeType(const std::string& name) const {
  Id attribute = OpenAttributeId(name);
  LibraryLock lock;
  Id type(H5Aget_type(attribute.get()), H5Tclose);
  return Describe(type.get());
}

std::vector<uint64_t> File::AttributeShape(const std::string& name) const {
  Id attribute = OpenAttributeId(name);
  LibraryLock lock;
  Id space(H5Aget_space(attribute.get()), H5Sclose);
  return ShapeOf(space.get());
}

double File::ReadNumberAttribute(const std::string& name) const {
  const ElementType type = AttributeType(name);
  if (!type.is_number()) throw Fail(AttributePlace(name), "must be a number, is a " + type.Name());
  if (ElementCount(AttributeShape(name)) != 1)
    throw Fail(AttributePlace(name), "must be a single number");
  Id attribute = OpenAttributeId(name);
  LibraryLock lock;
  double value = 0;
  if (H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0)
    throw Fail(AttributePlace(name), "cannot read");
  return value;
}

int64_t File::ReadIntegerAttribute(const std::string& name) const {
  const ElementType type = AttributeType(name);
  if (!type.is_integer())
    throw Fail(AttributePlace(name), "must be an integer, is a " + type.Name());
  if (ElementCount(AttributeShape(name)) != 1)
    throw Fail(AttributePlace(name), "must be a single integer");
  Id attribute = OpenAttributeId(name);
  LibraryLock lock;
  int64_t value = 0;
  if (H5Aread(attribute.get(), H5T_NATIVE_INT64, &value) < 0)
    throw Fail(AttributePlace(name), "cannot read");
  return value;
}

std::string File::ReadStringAttribute(const std::string& name) const {
  return ReadStrings(name, /*scalar_only=*/true).front();
}

std::vector<std::string> File::ReadStringsAttribute(const std::string& name) const {
  return ReadStrings(name, /*scalar_only=*/false);
}

std::vector<std::string> File::ReadStrings(const std::string& name, bool scalar_only) const {
  const ElementType element = AttributeType(name);
  if (element.element_class != ElementClass::kString) {
    throw Fail(AttributePlace(name), "must be a string, is a " + element.Name());
  }
  const std::vector<uint64_t> shape = AttributeShape(name);
  if (scalar_only ? ElementCount(shape) != 1 : shape.size() > 1) {
    throw Fail(AttributePlace(name),
               scalar_only ? "must be a single string" : "must be a list of strings");
  }
  const uint64_t elements = ElementCount(shape);
  if (elements > kMaxAttributeElements) {
    throw Fail(AttributePlace(name), "holds " + std::to_string(elements) + " strings, more than " +
                                         std::to_string(kMaxAttributeElements));
  }
  const auto count = static_cast<size_t>(elements);

  Id attribute = OpenAttributeId(name);
  LibraryLock lock;
  Id file_type(H5Aget_type(attribute.get()), H5Tclose);
  Id memory_type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_cset(memory_type.get(), H5Tget_cset(file_type.get()));
  std::vector<std::string> strings;
  strings.reserve(count);

  if (H5Tis_variable_str(file_type.get()) > 0) {
    H5Tset_size(memory_type.get(), H5T_VARIABLE);
    const hid_t attribute_id = attribute.get();
    const hid_t memory_id = memory_type.get();
    const IsolatedOutcome read = RunIsolated(
        [&] { return ReadVariableStrings(attribute_id, memory_id, count); }, IsolationLimits{});
    if (!read.output) {
      throw Fail(AttributePlace(name),
                 "cannot read the variable-length strings safely: " + read.failure);
    }
    try {
      return DecodeStrings(*read.output);
    } catch (const std::exception& e) {
      throw Fail(AttributePlace(name), e.what());
    }
  }

  // Fixed-length strings may fill their whole width without a terminator: read them one byte
  // wider, null-terminated, so every one ends inside the buffer.
  const size_t width = H5Tget_size(file_type.get()) + 1;
  if (width - 1 > kMaxAttributeBytes || count * width > kMaxAttributeBytes) {
    throw Fail(AttributePlace(name), std::to_string(count) + " strings of " +
                                         std::to_string(width - 1) + " bytes are more than " +
                                         std::to_string(kMaxAttributeBytes) + " bytes");
  }
  H5Tset_size(memory_type.get(), width);
  H5Tset_strpad(memory_type.get(), H5T_STR_NULLTERM);
  std::vector<char> buffer(count * width, '\0');
  if (H5Aread(attribute.get(), memory_type.get(), buffer.data()) < 0) {
    throw Fail(AttributePlace(name), "cannot read the strings");
  }
  for (size_t i = 0; i < count; ++i) {
    const char* text = buffer.data() + i * width;
    strings.emplace_back(text, strnlen(text, width));
  }
  return strings;
}

void File::WriteStringAttribute(const std::string& name, const std::string& value) {
  LibraryLock lock;
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  Id attribute(
      H5Acreate2(id_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  if (!attribute.valid()) throw Fail(AttributePlace(name), "cannot create the attribute");
  const char* text = value.c_str();
  if (H5Awrite(attribute.get(), type.get(), &text) < 0)
    throw Fail(AttributePlace(name), "cannot write");
}

void File::Close() {
  if (!id_.Reset()) throw Error(path_, "cannot flush and close the HDF5 file");
}

}  // namespace harness::eval::hdf5
