// SPDX-License-Identifier: PostgreSQL
// Tests of directory archives (src/lib/directory/): reading and checking
// members, writing a new directory, verifying, on archives built in code.
#include <boost/test/unit_test.hpp>

#include "archive_builder.hpp"
#include "compress/codec.hpp"
#include "pgarc/directory.hpp"
#include "pgarc/errors.hpp"

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace pgarc;
using pgarc::test::archive_builder;
namespace fs = std::filesystem;

namespace {

struct scratch {
  scratch() {
    std::string pattern = (fs::temp_directory_path() / "pgarc-directory-test-XXXXXX").string();
    BOOST_TEST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~scratch() { fs::remove_all(path); }
  std::string path;
};

const std::string rows = "1\tone\n2\ttwo\n\\.\n\n\n";

/// A table with data and a BLOBS entry with two large objects, uncompressed.
archive_builder two_entries() {
  archive_builder builder;
  builder.header().compression_level = 0;
  builder.add(archive_builder::entry(5, "TABLE", "users", "public", "CREATE TABLE public.users (id int, name text);\n"));
  builder.add(archive_builder::table_data(10, "users", 5));
  builder.add(archive_builder::blobs(11));
  builder.add_block({10, block_type::data, {"1\tone\n", "2\ttwo\n", "\\.\n\n\n"}, {}});
  builder.add_block({11, block_type::blobs, {}, {{16385, {"hello"}}, {16386, {"world"}}}});
  return builder;
}

std::string contents_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void put(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

/// The message of the format_error that opening `path` throws ("" if none).
std::string refusal(const std::string& path) {
  try {
    directory_archive opened(path);
  } catch (const format_error& problem) {
    return problem.what();
  }
  return {};
}

/// A directory archive whose data file is named `name` in toc.dat.
std::string with_data_file_name(const scratch& where, const std::string& name) {
  archive_builder builder = two_entries();
  auto data = archive_builder::table_data(10, "users", 5);
  data.data_file = name;
  archive_builder renamed;
  renamed.header() = builder.header();
  renamed.add(archive_builder::entry(5, "TABLE", "users", "public"));
  renamed.add(data);
  renamed.add_block({10, block_type::data, {rows}, {}});
  const std::string dir = where.path + "/named";
  renamed.write_directory(dir);
  return dir;
}

} // namespace

BOOST_AUTO_TEST_SUITE(directory)

BOOST_AUTO_TEST_CASE(reads_toc_files_and_large_objects) {
  scratch where;
  two_entries().write_directory(where.path + "/a");
  for (const std::string& path : {where.path + "/a", where.path + "/a/toc.dat"}) {
    const directory_archive archive(path);
    BOOST_TEST(archive.contents().entries.size() == 3u);
    BOOST_TEST((archive.contents().layout == archive_layout::directory));
    BOOST_TEST(archive.contents().entries[1].data_file == "10.dat");
    BOOST_TEST_REQUIRE(archive.files().size() == 2u);
    BOOST_TEST(archive.files()[0].file == "10.dat");
    BOOST_TEST(archive.files()[0].size == rows.size());
    BOOST_TEST(archive.files()[1].is_blobs);
    BOOST_TEST_REQUIRE(archive.files()[1].large_objects.size() == 2u);
    BOOST_TEST(archive.files()[1].large_objects[1].oid == 16386u);
    BOOST_TEST(archive.files()[1].large_objects[1].file == "blob_16386.dat");
  }
  BOOST_TEST(is_directory_archive(where.path + "/a"));
  BOOST_TEST(is_directory_archive(where.path + "/a/toc.dat"));
  BOOST_TEST(!is_directory_archive(where.path + "/a/10.dat"));
}

BOOST_AUTO_TEST_CASE(finds_files_by_their_compression_suffix) {
  scratch where;
  two_entries().write_directory(where.path + "/a");
  fs::rename(where.path + "/a/10.dat", where.path + "/a/10.dat.zst");
  put(where.path + "/a/10.dat.zst", std::string("\x28\xb5\x2f\xfd", 4) + "rest");
  const directory_archive archive(where.path + "/a");
  BOOST_TEST(archive.files()[0].file == "10.dat.zst");
  BOOST_TEST((archive.files()[0].compression == compression_algorithm::zstd));
}

BOOST_AUTO_TEST_CASE(names_that_leave_the_directory_are_refused) {
  for (const auto& [name, problem] : std::vector<std::pair<std::string, std::string>>{
           {"../10.dat", "member \"../10.dat\" of dump id 10 contains \"/\", so it is not a file name inside the archive"},
           {"/etc/passwd", "member \"/etc/passwd\" of dump id 10 is an absolute path, not a file name inside the archive"},
           {"..", "member \"..\" of dump id 10 is not a file name inside the archive"},
           {"sub/10.dat", "member \"sub/10.dat\" of dump id 10 contains \"/\", so it is not a file name inside the archive"},
       }) {
    scratch where;
    BOOST_TEST(refusal(with_data_file_name(where, name)) == problem);
  }
}

BOOST_AUTO_TEST_CASE(missing_empty_and_cut_files_are_refused) {
  scratch where;
  const std::string dir = where.path + "/a";
  two_entries().write_directory(dir);
  fs::remove(dir + "/10.dat");
  BOOST_TEST(refusal(dir) == "member \"10.dat\" of dump id 10 is missing (looked for 10.dat with no suffix, .gz, .lz4 and .zst)");
  put(dir + "/10.dat", "1\tone\n2\ttw");
  BOOST_TEST(refusal(dir) == "member \"10.dat\" of dump id 10 is truncated (the COPY data does not end with its terminator \\.)");
  fs::remove(dir + "/10.dat");
  put(dir + "/10.dat.gz", "");
  BOOST_TEST(refusal(dir) == "member \"10.dat.gz\" of dump id 10 is empty (truncated)");
  fs::remove(dir + "/10.dat.gz");
  put(dir + "/10.dat", rows);
  fs::remove(dir + "/blob_16386.dat");
  BOOST_TEST(refusal(dir) == "member \"blob_16386.dat\" of dump id 11 is missing (looked for blob_16386.dat with no suffix, .gz, .lz4 and .zst)");
}

BOOST_AUTO_TEST_CASE(symbolic_links_may_not_lead_outside) {
  scratch where;
  const std::string dir = where.path + "/a";
  two_entries().write_directory(dir);
  put(where.path + "/outside.dat", rows);
  fs::remove(dir + "/10.dat");
  fs::create_symlink(where.path + "/outside.dat", dir + "/10.dat");
  const std::string outside = fs::canonical(where.path + "/outside.dat").string();
  BOOST_TEST(refusal(dir) == "member \"10.dat\" of dump id 10 is a symbolic link to \"" + outside + "\", outside the archive");
  // One inside the archive is fine (pg_restore follows it too).
  fs::rename(where.path + "/outside.dat", dir + "/real.dat");
  fs::remove(dir + "/10.dat");
  fs::create_symlink("real.dat", dir + "/10.dat");
  BOOST_TEST(refusal(dir) == "");
}

BOOST_AUTO_TEST_CASE(bad_large_object_lists_are_refused) {
  scratch where;
  const std::string dir = where.path + "/a";
  two_entries().write_directory(dir);
  put(dir + "/blobs.toc", "16385 blob_16385.dat\nx blob_16386.dat\n");
  BOOST_TEST(refusal(dir) == "member \"blobs.toc\" of dump id 11 line 2 does not start with a large object's OID");
  put(dir + "/blobs.toc", "16385 ../blob_16385.dat\n");
  BOOST_TEST(refusal(dir) == "member \"../blob_16385.dat\" of dump id 11 contains \"/\", so it is not a file name inside the archive");
  put(dir + "/blobs.toc", "16385 blob_16385.dat");
  BOOST_TEST(refusal(dir) == "member \"blobs.toc\" of dump id 11 line 1 does not end with a newline (truncated)");
}

BOOST_AUTO_TEST_CASE(a_damaged_toc_names_the_member) {
  scratch where;
  const std::string dir = where.path + "/a";
  two_entries().write_directory(dir);
  const std::string toc = contents_of(dir + "/toc.dat");
  put(dir + "/toc.dat", toc.substr(0, toc.size() - 3));
  const std::string message = refusal(dir);
  BOOST_TEST(message.starts_with("member \"toc.dat\": "), message);
}

BOOST_AUTO_TEST_CASE(written_copy_has_the_same_bytes_and_no_leftovers) {
  scratch where;
  two_entries().write_directory(where.path + "/a");
  const directory_archive source(where.path + "/a");
  archive edited = source.contents();
  edited.entries[0].defn = "CREATE TABLE public.users (id bigint, name text);\n";
  const auto summary = write_directory(source, std::move(edited), where.path + "/b");
  BOOST_TEST(summary.files_cloned + summary.files_copied == 4u);
  for (const char* file : {"10.dat", "blobs.toc", "blob_16385.dat", "blob_16386.dat"})
    BOOST_TEST(contents_of(where.path + "/b/" + file) == contents_of(where.path + "/a/" + file));
  const directory_archive written(where.path + "/b");
  BOOST_TEST(*written.contents().entries[0].defn == "CREATE TABLE public.users (id bigint, name text);\n");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& item : fs::directory_iterator(where.path))
    ++entries;
  BOOST_TEST(entries == 2u); // a and b, no temporary directory
}

BOOST_AUTO_TEST_CASE(read_and_written_unchanged_gives_the_same_toc) {
  scratch where;
  two_entries().write_directory(where.path + "/a");
  const directory_archive source(where.path + "/a");
  write_directory(source, source.contents(), where.path + "/b");
  BOOST_TEST(contents_of(where.path + "/b/toc.dat") == contents_of(where.path + "/a/toc.dat"));
}

BOOST_AUTO_TEST_CASE(hard_links_share_the_inode) {
  scratch where;
  two_entries().write_directory(where.path + "/a");
  const directory_archive source(where.path + "/a");
  directory_write_options how;
  how.carry = carry_over::hard_link;
  const auto summary = write_directory(source, source.contents(), where.path + "/b", how);
  BOOST_TEST(summary.files_linked == 4u);
  struct stat in {}, out {};
  BOOST_TEST_REQUIRE(::stat((where.path + "/a/10.dat").c_str(), &in) == 0);
  BOOST_TEST_REQUIRE(::stat((where.path + "/b/10.dat").c_str(), &out) == 0);
  BOOST_TEST(in.st_ino == out.st_ino);
}

BOOST_AUTO_TEST_CASE(an_existing_destination_is_kept_and_nothing_left) {
  scratch where;
  two_entries().write_directory(where.path + "/a");
  fs::create_directory(where.path + "/b");
  put(where.path + "/b/keep", "x");
  const directory_archive source(where.path + "/a");
  BOOST_CHECK_THROW(write_directory(source, source.contents(), where.path + "/b"), io_error);
  BOOST_TEST(contents_of(where.path + "/b/keep") == "x");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& item : fs::directory_iterator(where.path))
    ++entries;
  BOOST_TEST(entries == 2u);
  // An empty directory is taken, as pg_dump -Fd takes one.
  fs::remove(where.path + "/b/keep");
  write_directory(source, source.contents(), where.path + "/b");
  BOOST_TEST(fs::exists(where.path + "/b/toc.dat"));
}

BOOST_AUTO_TEST_CASE(replace_exchanges_the_directories) {
  scratch where;
  two_entries().write_directory(where.path + "/a");
  struct stat before {};
  BOOST_TEST_REQUIRE(::stat((where.path + "/a").c_str(), &before) == 0);
  archive edited;
  {
    const directory_archive source(where.path + "/a");
    edited = source.contents();
    edited.entries[0].defn = "CREATE TABLE public.users (id bigint);\n";
    directory_write_options how;
    how.replace = true;
    write_directory(source, std::move(edited), where.path + "/a", how);
  }
  struct stat after {};
  BOOST_TEST_REQUIRE(::stat((where.path + "/a").c_str(), &after) == 0);
  BOOST_TEST(before.st_ino != after.st_ino);
  const directory_archive replaced(where.path + "/a");
  BOOST_TEST(*replaced.contents().entries[0].defn == "CREATE TABLE public.users (id bigint);\n");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& item : fs::directory_iterator(where.path))
    ++entries;
  BOOST_TEST(entries == 1u); // the old archive is gone
}

BOOST_AUTO_TEST_CASE(verify_decodes_gzip_files_and_finds_damage) {
  scratch where;
  const std::string dir = where.path + "/a";
  archive_builder builder = two_entries();
  builder.header().compression_level = -1;
  builder.write_directory(dir);
  auto encoder = detail::make_compressor(compression_algorithm::gzip, -1, detail::stream_framing::file);
  std::string gzipped;
  encoder->feed(std::as_bytes(std::span(rows.data(), rows.size())), gzipped);
  encoder->finish(gzipped);
  fs::remove(dir + "/10.dat");
  put(dir + "/10.dat.gz", gzipped);
  const verify_report good = verify_directory(directory_archive(dir));
  BOOST_TEST(good.ok());
  BOOST_TEST(good.large_objects == 2u);
  BOOST_TEST(good.decompressed_bytes == rows.size() + 10);
  put(dir + "/10.dat.gz", gzipped.substr(0, gzipped.size() - 6));
  const verify_report cut = verify_directory(directory_archive(dir));
  BOOST_TEST_REQUIRE(cut.problems.size() == 1u);
  BOOST_TEST(cut.problems[0].dump_id == 10);
  BOOST_TEST(cut.problems[0].message == "could not decompress member \"10.dat.gz\": the zlib stream is incomplete");
}

BOOST_AUTO_TEST_SUITE_END()
