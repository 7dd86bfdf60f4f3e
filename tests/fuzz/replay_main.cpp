// SPDX-License-Identifier: PostgreSQL
// Runs files through one fuzz target's LLVMFuzzerTestOneInput without
// libFuzzer, so that the corpus (and every input a fuzzer once crashed on) is
// replayed on every normal test run, also in the sanitizer build. Arguments
// are files or directories (read recursively, in name order).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // Named first, so that a crash can be traced to its input.
  std::fprintf(stderr, "replaying %s\n", file.c_str());
  std::vector<std::uint8_t> data(text.begin(), text.end());
  LLVMFuzzerTestOneInput(data.data(), data.size());
}

} // namespace

int main(int argc, char* argv[]) {
  std::size_t replayed = 0;
  for (int index = 1; index < argc; ++index) {
    const std::filesystem::path path(argv[index]);
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(path)) {
      for (const auto& item : std::filesystem::recursive_directory_iterator(path))
        if (item.is_regular_file())
          files.push_back(item.path());
      std::sort(files.begin(), files.end());
    } else if (std::filesystem::is_regular_file(path)) {
      files.push_back(path);
    } else {
      std::fprintf(stderr, "replay: %s is neither a file nor a directory\n", path.c_str());
      return 1;
    }
    for (const auto& file : files)
      replay(file);
    replayed += files.size();
  }
  std::printf("replayed %zu files\n", replayed);
  return replayed > 0 ? 0 : 1;
}
