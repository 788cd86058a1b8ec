#include "harness/eval/hdf5_file.h"

#include <cstring>
#include <filesystem>

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

std::vector<uint64_t> ShapeOf(hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank <= 0) return {};
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return std::vector<uint64_t>(dims.begin(), dims.end());
}

uint64_t ElementCount(const std::vector<uint64_t>& shape) {
  uint64_t count = 1;
  for (uint64_t dim : shape) count *= dim;
  return count;
}

void ReclaimStrings(hid_t memory_type, hid_t space, std::vector<char*>& strings) {
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(memory_type, space, H5P_DEFAULT, strings.data());
#else
  H5Dvlen_reclaim(memory_type, space, H5P_DEFAULT, strings.data());
#endif
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
  return ShapeOf(space.get());
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
  const size_t count = static_cast<size_t>(ElementCount(shape));

  Id attribute = OpenAttributeId(name);
  LibraryLock lock;
  Id file_type(H5Aget_type(attribute.get()), H5Tclose);
  Id memory_type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_cset(memory_type.get(), H5Tget_cset(file_type.get()));
  std::vector<std::string> strings;
  strings.reserve(count);

  if (H5Tis_variable_str(file_type.get()) > 0) {
    H5Tset_size(memory_type.get(), H5T_VARIABLE);
    std::vector<char*> pointers(count, nullptr);
    if (H5Aread(attribute.get(), memory_type.get(), pointers.data()) < 0) {
      throw Fail(AttributePlace(name), "cannot read the strings");
    }
    for (const char* text : pointers) strings.emplace_back(text ? text : "");
    Id space(H5Aget_space(attribute.get()), H5Sclose);
    ReclaimStrings(memory_type.get(), space.get(), pointers);
    return strings;
  }

  // Fixed-length strings may fill their whole width without a terminator: read them one byte
  // wider, null-terminated, so every one ends inside the buffer.
  const size_t width = H5Tget_size(file_type.get()) + 1;
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
