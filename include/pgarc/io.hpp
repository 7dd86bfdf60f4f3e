// SPDX-License-Identifier: PostgreSQL
// Byte sources and sinks the reader and writer work on: files, pipes and memory.
// The library never interprets file names such as "-"; the caller picks the class.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace pgarc {

namespace detail {
class io_gate;
}

/// A stream of bytes read front to back, once.
class byte_source {
public:
  virtual ~byte_source() = default;
  /// Reads up to `buffer.size()` bytes; returns 0 only at end of input.
  /// Throws io_error.
  virtual std::size_t read_some(std::span<std::byte> buffer) = 0;
  /// Total size in bytes when known in advance (a regular file), else nullopt.
  virtual std::optional<std::uint64_t> size() const noexcept { return std::nullopt; }
  /// The name used in messages ("backup.dump", "standard input").
  virtual const std::string& name() const noexcept = 0;
};

/// A destination written front to back, optionally able to go back and
/// overwrite bytes already written (to fill in data offsets, as pg_dump does).
class byte_sink {
public:
  virtual ~byte_sink() = default;
  /// Appends all of `data`. Throws io_error.
  virtual void write(std::span<const std::byte> data) = 0;
  /// True when overwrite_at() works.
  virtual bool is_seekable() const noexcept { return false; }
  /// Overwrites bytes at `offset` (< bytes written so far). Throws io_error.
  virtual void overwrite_at(std::uint64_t offset, std::span<const std::byte> data);
  /// Makes the written bytes durable and visible; nothing is visible before.
  virtual void commit() {}
  virtual const std::string& name() const noexcept = 0;
};

/// Reads from a buffer the caller keeps alive. Tests and fuzzers use it.
class memory_source final : public byte_source {
public:
  explicit memory_source(std::span<const std::byte> bytes, std::string name = "memory");
  std::size_t read_some(std::span<std::byte> buffer) override;
  std::optional<std::uint64_t> size() const noexcept override { return m_bytes.size(); }
  const std::string& name() const noexcept override { return m_name; }

private:
  std::span<const std::byte> m_bytes;
  std::size_t m_position = 0;
  std::string m_name;
};

/// Collects the output in memory; seekable unless constructed as a pipe.
class memory_sink final : public byte_sink {
public:
  explicit memory_sink(bool seekable = true) : m_seekable(seekable) {}
  void write(std::span<const std::byte> data) override;
  bool is_seekable() const noexcept override { return m_seekable; }
  void overwrite_at(std::uint64_t offset, std::span<const std::byte> data) override;
  const std::string& name() const noexcept override { return m_name; }
  const std::vector<std::byte>& bytes() const noexcept { return m_bytes; }

private:
  std::vector<std::byte> m_bytes;
  bool m_seekable;
  std::string m_name = "memory";
};

/// Reads a file or an inherited descriptor (standard input).
class file_source final : public byte_source {
public:
  /// Opens `path` for reading. Throws io_error naming the file.
  static std::unique_ptr<file_source> open(const std::string& path);
  /// Wraps a descriptor the caller owns (not closed), e.g. 0 for standard input.
  static std::unique_ptr<file_source> from_descriptor(int fd, std::string name);
  ~file_source() override;
  std::size_t read_some(std::span<std::byte> buffer) override;
  std::optional<std::uint64_t> size() const noexcept override { return m_size; }
  const std::string& name() const noexcept override { return m_name; }
  int descriptor() const noexcept { return m_fd; }

private:
  // The reader borrows mapped windows (lend) and the writer copies ranges of
  // the file in the kernel (file_range), through src/lib/io/fast_paths.hpp.
  friend class detail::io_gate;
  std::span<const std::byte> lend(std::size_t max);
  std::optional<std::pair<int, std::uint64_t>> file_range() const noexcept;
  file_source(int fd, bool owned, std::string name);
  void unmap() noexcept;
  int m_fd;
  bool m_owned;
  std::optional<std::uint64_t> m_size;
  std::uint64_t m_start = 0;    // file offset where the source starts
  std::uint64_t m_position = 0; // bytes consumed from m_start
  void* m_window = nullptr;     // the mapped window lent last, if any
  std::size_t m_window_size = 0;
  bool m_can_map = false;
  std::string m_name;
};

/// Whether commit() waits for the bytes to reach the disk (as pg_dump does
/// unless given --no-sync).
enum class durability { synced, unsynced };

/// Writes a new file atomically: the bytes go to a temporary file beside
/// `path`, which commit() flushes and renames over `path`. Destroying the sink
/// without commit() removes the temporary file, so a failure leaves nothing.
/// When synced, write-back of what is written starts every few MiB, so that
/// the final flush has little left to wait for.
class file_sink final : public byte_sink {
public:
  /// Starts the output `path`. A new file is written to a temporary file
  /// beside it until commit(), which gives it the mode a new file gets under
  /// the umask. An existing regular file (or the one a symbolic link points
  /// to) is replaced as replace() does. An existing device, FIFO or socket is
  /// written into directly, unseekable and unsynced: it is never replaced.
  /// A directory or a dangling symbolic link is refused. Throws io_error.
  static std::unique_ptr<file_sink> create(const std::string& path,
                                           durability how = durability::synced);
  /// Starts the replacement of the existing regular file `path` (the file a
  /// symbolic link points to, if it is one): like create(), but commit()
  /// gives the new file the mode and, where permitted, the owner of the file
  /// it replaces. The original stays untouched until the new file is
  /// complete and flushed. Throws io_error.
  static std::unique_ptr<file_sink> replace(const std::string& path,
                                            durability how = durability::synced);
  /// Wraps a descriptor the caller owns (standard output). Seekable when it is
  /// a regular file opened for writing at its start.
  static std::unique_ptr<file_sink> from_descriptor(int fd, std::string name);
  ~file_sink() override;
  void write(std::span<const std::byte> data) override;
  bool is_seekable() const noexcept override { return m_seekable; }
  void overwrite_at(std::uint64_t offset, std::span<const std::byte> data) override;
  void commit() override;
  const std::string& name() const noexcept override { return m_name; }
  /// The temporary file's path while uncommitted, else empty.
  const std::string& temporary_path() const noexcept { return m_temp_path; }

private:
  // The writer appends ranges of the input file in the kernel through
  // src/lib/io/fast_paths.hpp.
  friend class detail::io_gate;
  bool append_file_range(int fd, std::uint64_t offset, std::uint64_t length);
  /// What replace() keeps of the file it replaces.
  struct replaced_file {
    std::uint32_t mode;
    std::uint32_t owner;
    std::uint32_t group;
  };
  file_sink(int fd, bool owned, bool seekable, std::string name, std::string temp_path,
            durability how, std::optional<replaced_file> replaced = std::nullopt);
  /// Counts `bytes` appended, and starts write-back when enough have piled up.
  void appended(std::uint64_t bytes) noexcept;
  int m_fd;
  bool m_owned;
  bool m_seekable;
  durability m_durability;
  std::uint64_t m_base = 0;        // file position where our output starts
  std::uint64_t m_appended = 0;    // bytes appended so far
  std::uint64_t m_written_back = 0; // appended bytes whose write-back has started
  std::string m_name;
  std::string m_temp_path;
  std::optional<replaced_file> m_replaced;
  bool m_committed = false;
};

} // namespace pgarc
