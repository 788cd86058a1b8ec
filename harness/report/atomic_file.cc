#include "harness/report/atomic_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "harness/common/error.h"

namespace harness::report {

void WriteFileAtomically(const std::string& path, std::string_view content) {
  namespace fs = std::filesystem;
  // The temporary file lives in the target's folder (rename does not cross file systems) and
  // carries the process id, so two runs writing into the same folder do not share it.
  const fs::path target(path);
  // Built with append: GCC 12 warns falsely (-Wrestrict) on `"." + std::string`.
  std::string temporary_name(".");
  temporary_name.append(target.filename().string())
      .append(".tmp.")
      .append(std::to_string(getpid()));
  const fs::path temporary = target.parent_path() / temporary_name;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path, "cannot create the temporary file " + temporary.string());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw Error(path, "cannot write the file (disk full?)");
    }
  }
  std::error_code error;
  fs::rename(temporary, target, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw Error(path, "cannot replace the file: " + error.message());
  }
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot open the file");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw Error(path, "read error");
  return content.str();
}

}  // namespace harness::report
