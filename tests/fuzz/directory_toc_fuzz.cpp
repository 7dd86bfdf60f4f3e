// SPDX-License-Identifier: PostgreSQL
// libFuzzer target over directory archives: the input is a toc.dat,
// optionally followed by members, each after a line "--pgarc-member NAME"
// (NAME of letters, digits, '_' and '.' only, so that the harness itself
// writes nowhere else). The archive is laid out in a fresh directory and read
// with directory_archive; it must end in a model or a pgarc::error. What can
// be read is listed, verified (problems reported, never thrown) and written
// to a new directory, which must read back as the same model.
// Built by -Dfuzzing=true; replay_main.cpp replays the corpus without libFuzzer.
#include "pgarc/directory.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/listing.hpp"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

constexpr std::string_view marker = "\n--pgarc-member ";

bool plain_name(std::string_view name) {
  if (name.empty() || name == "." || name == ".." || name.size() > 64)
    return false;
  for (const char character : name)
    if (!std::isalnum(static_cast<unsigned char>(character)) && character != '_' && character != '.')
      return false;
  return true;
}

void put(const fs::path& path, std::string_view content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(content.data(), static_cast<std::streamsize>(content.size()));
}

/// The input laid out as toc.dat and members in `directory`.
void lay_out(std::string_view input, const fs::path& directory) {
  std::size_t cut = input.find(marker);
  put(directory / "toc.dat", input.substr(0, cut));
  while (cut != std::string_view::npos) {
    const std::size_t name_start = cut + marker.size();
    const std::size_t name_end = input.find('\n', name_start);
    if (name_end == std::string_view::npos)
      return;
    const std::string_view name = input.substr(name_start, name_end - name_start);
    cut = input.find(marker, name_end);
    const std::string_view content =
        input.substr(name_end + 1, cut == std::string_view::npos ? std::string_view::npos : cut - name_end - 1);
    if (plain_name(name) && name != "toc.dat")
      put(directory / std::string(name), content);
  }
}

struct scratch {
  scratch() {
    std::string pattern = (fs::temp_directory_path() / "pgarc-directory-fuzz-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
      std::abort();
    path = pattern;
  }
  ~scratch() { fs::remove_all(path); }
  fs::path path;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const scratch where;
  const fs::path archive_path = where.path / "in";
  fs::create_directory(archive_path);
  lay_out(input, archive_path);
  try {
    const pgarc::directory_archive source(archive_path.string());
    (void)pgarc::format_listing(source.contents());
    (void)pgarc::format_json(source.contents());
    (void)pgarc::verify_directory(source);
    const fs::path written = where.path / "out";
    pgarc::directory_write_options how;
    how.sync = false;
    pgarc::write_directory(source, source.contents(), written.string(), how);
    const pgarc::directory_archive again(written.string());
    if (!(again.contents().header == source.contents().header) ||
        !(again.contents().entries == source.contents().entries))
      std::abort();
  } catch (const pgarc::error&) {
    // refused: fine
  }
  return 0;
}
