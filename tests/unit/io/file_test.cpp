// SPDX-License-Identifier: PostgreSQL
// Tests of file_source and file_sink (src/lib/io/file.cpp) and of the fast
// paths between files (src/lib/io/fast_paths.cpp), in a temporary folder.
#include <boost/test/unit_test.hpp>

#include "io/fast_paths.hpp"
#include "messages.hpp"
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"

#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace pgarc;
using pgarc::test::message_is;
namespace fs = std::filesystem;

namespace {

/// A temporary folder, removed with everything in it.
struct scratch {
  scratch() {
    std::string pattern = (fs::temp_directory_path() / "pgarc-file-test-XXXXXX").string();
    BOOST_TEST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~scratch() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
  fs::path path;
};

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void put(byte_sink& sink, const std::string& text) {
  sink.write(std::as_bytes(std::span(text.data(), text.size())));
}

std::string read_all(byte_source& source) {
  std::string text;
  std::byte buffer[7]; // small, so that reads go round several times
  while (const std::size_t got = source.read_some(buffer))
    text.append(reinterpret_cast<const char*>(buffer), got);
  return text;
}

mode_t mode_of(const std::string& path) {
  struct stat info {};
  BOOST_TEST_REQUIRE(::lstat(path.c_str(), &info) == 0);
  return info.st_mode;
}

} // namespace

BOOST_AUTO_TEST_SUITE(io_file)

BOOST_AUTO_TEST_CASE(a_new_file_appears_only_on_commit) {
  scratch dir;
  const std::string out = dir.file("new.dump");
  {
    auto sink = file_sink::create(out, durability::unsynced);
    put(*sink, "hello");
    BOOST_TEST(sink->is_seekable());
    BOOST_TEST(!fs::exists(out));
    BOOST_TEST(fs::exists(sink->temporary_path()));
    sink->commit();
    BOOST_TEST(sink->temporary_path().empty());
  }
  BOOST_TEST(read_text(out) == "hello");
  BOOST_TEST(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

BOOST_AUTO_TEST_CASE(an_uncommitted_sink_leaves_nothing_and_the_original_untouched) {
  scratch dir;
  const std::string out = dir.file("kept.dump");
  write_text(out, "original");
  std::string temporary;
  {
    auto sink = file_sink::create(out, durability::unsynced);
    put(*sink, "half of something");
    temporary = sink->temporary_path();
    BOOST_TEST(fs::exists(temporary));
  }
  BOOST_TEST(!fs::exists(temporary));
  BOOST_TEST(read_text(out) == "original");
}

BOOST_AUTO_TEST_CASE(a_replaced_file_keeps_its_mode) {
  scratch dir;
  const std::string out = dir.file("private.dump");
  write_text(out, "old");
  BOOST_TEST_REQUIRE(::chmod(out.c_str(), 0640) == 0);
  auto sink = file_sink::create(out, durability::synced);
  put(*sink, "new");
  sink->commit();
  BOOST_TEST(read_text(out) == "new");
  BOOST_TEST((mode_of(out) & 07777) == 0640u);
}

BOOST_AUTO_TEST_CASE(a_symbolic_link_is_followed_and_stays_a_link) {
  scratch dir;
  const std::string target = dir.file("target.dump"), link = dir.file("link.dump");
  write_text(target, "old");
  fs::create_symlink("target.dump", link);
  auto sink = file_sink::create(link, durability::unsynced);
  put(*sink, "new");
  sink->commit();
  BOOST_TEST(fs::is_symlink(link));
  BOOST_TEST(read_text(target) == "new");
}

BOOST_AUTO_TEST_CASE(a_dangling_link_and_a_directory_are_refused) {
  scratch dir;
  const std::string link = dir.file("nowhere.dump");
  fs::create_symlink("missing/target.dump", link);
  BOOST_CHECK_EXCEPTION(file_sink::create(link), io_error,
                        message_is("could not write \"" + link + "\": it is a symbolic link to nothing"));
  BOOST_CHECK_EXCEPTION(file_sink::create(dir.path.string()), io_error,
                        message_is("could not write \"" + dir.path.string() + "\": it is a directory"));
  BOOST_TEST(!fs::exists(dir.file("missing")));
}

BOOST_AUTO_TEST_CASE(a_fifo_is_written_into_and_never_replaced) {
  scratch dir;
  const std::string fifo = dir.file("pipe");
  BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string received;
  std::thread reader([&] { received = read_text(fifo); });
  {
    auto sink = file_sink::create(fifo, durability::synced);
    BOOST_TEST(!sink->is_seekable());
    BOOST_TEST(sink->temporary_path().empty());
    put(*sink, "through the pipe");
    sink->commit();
  }
  reader.join();
  BOOST_TEST(received == "through the pipe");
  BOOST_TEST(S_ISFIFO(mode_of(fifo)));
}

BOOST_AUTO_TEST_CASE(a_source_from_a_descriptor_starts_where_the_descriptor_is) {
  scratch dir;
  const std::string in = dir.file("in.dump");
  write_text(in, "skipped|the rest of the file");
  const int fd = ::open(in.c_str(), O_RDONLY);
  BOOST_TEST_REQUIRE(fd >= 0);
  BOOST_TEST_REQUIRE(::lseek(fd, 8, SEEK_SET) == 8);
  {
    auto source = file_source::from_descriptor(fd, "standard input");
    BOOST_TEST((source->size() == std::optional<std::uint64_t>(20)));
    const auto range = detail::io_gate::file_range(*source);
    BOOST_TEST_REQUIRE(range.has_value());
    BOOST_TEST(range->first == fd);
    BOOST_TEST(range->second == 8u);
    BOOST_TEST(read_all(*source) == "the rest of the file");
  }
  ::close(fd);
}

BOOST_AUTO_TEST_CASE(a_missing_input_is_named) {
  scratch dir;
  const std::string in = dir.file("absent.dump");
  BOOST_CHECK_EXCEPTION(file_source::open(in), io_error,
                        message_is("could not open \"" + in + "\": " + std::strerror(ENOENT)));
}

BOOST_AUTO_TEST_CASE(a_file_lends_mapped_windows_and_memory_does_not) {
  scratch dir;
  const std::string in = dir.file("big.dump");
  std::string text(std::size_t{9} << 20, 'a'); // more than one 8 MiB window
  text.back() = 'z';
  write_text(in, text);
  auto source = file_source::open(in);
  std::string lent;
  for (;;) {
    const std::span<const std::byte> window = detail::io_gate::lend(*source, 4096);
    if (window.empty())
      break;
    lent.append(reinterpret_cast<const char*>(window.data()), window.size());
  }
  BOOST_TEST(lent.size() == text.size());
  BOOST_TEST((lent == text));

  const std::byte one[1]{};
  memory_source memory(one);
  BOOST_TEST(detail::io_gate::lend(memory, 4096).empty());
  BOOST_TEST(!detail::io_gate::file_range(memory).has_value());
}

BOOST_AUTO_TEST_CASE(file_ranges_go_from_file_to_file_and_not_to_memory) {
  scratch dir;
  const std::string in = dir.file("in.dump"), out = dir.file("out.dump");
  write_text(in, "0123456789");
  auto source = file_source::open(in);
  const auto range = detail::io_gate::file_range(*source);
  BOOST_TEST_REQUIRE(range.has_value());
  auto sink = file_sink::create(out, durability::unsynced);
  put(*sink, "<");
  BOOST_TEST(detail::io_gate::append_file_range(*sink, range->first, 3, 4));
  put(*sink, ">");
  sink->commit();
  BOOST_TEST(read_text(out) == "<3456>");

  memory_sink memory;
  BOOST_TEST(!detail::io_gate::append_file_range(memory, range->first, 0, 4));
  BOOST_TEST(memory.bytes().empty());
}

BOOST_AUTO_TEST_SUITE_END()
