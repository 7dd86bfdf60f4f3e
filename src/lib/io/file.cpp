// SPDX-License-Identifier: PostgreSQL
// File and descriptor sources and sinks. file_sink writes to a temporary file
// beside the destination and renames it into place only on commit().
#include "pgarc/errors.hpp"
#include "pgarc/io.hpp"

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgarc {

namespace {

[[noreturn]] void throw_os_error(const std::string& action, const std::string& name, int code) {
  throw io_error("could not " + action + " \"" + name + "\": " + std::strerror(code));
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_name_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// The process's umask, read without changing it (umask() would race with
/// other threads creating files): from /proc/self/status on Linux.
mode_t process_umask() {
  if (FILE* status = std::fopen("/proc/self/status", "re")) {
    char line[256];
    unsigned int mask = 0;
    bool found = false;
    while (!found && std::fgets(line, sizeof line, status))
      found = std::sscanf(line, "Umask: %o", &mask) == 1;
    std::fclose(status);
    if (found)
      return static_cast<mode_t>(mask);
  }
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

/// A pipe's buffer holds 64 KiB by default, so every read or write moves at
/// most that much; ask for 1 MiB (the unprivileged limit), as pv does. Other
/// descriptors, and systems that refuse, are left as they are.
void widen_pipe(int fd) noexcept {
#ifdef F_SETPIPE_SZ
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISFIFO(info.st_mode))
    (void)::fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
  (void)fd;
#endif
}

} // namespace

file_source::file_source(int fd, bool owned, std::string name)
    : m_fd(fd), m_owned(owned), m_name(std::move(name)) {
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
    const off_t position = ::lseek(fd, 0, SEEK_CUR);
    if (position >= 0 && position <= info.st_size) {
      m_start = static_cast<std::uint64_t>(position);
      m_size = static_cast<std::uint64_t>(info.st_size - position);
      // A regular file is read by offset (pread, or mapped windows lent to
      // the reader), never through the descriptor's own position.
      m_can_map = true;
    }
  }
}

void file_source::unmap() noexcept {
  if (m_window)
    ::munmap(m_window, m_window_size);
  m_window = nullptr;
  m_window_size = 0;
}

std::span<const std::byte> file_source::lend(std::size_t max) {
  unmap();
  if (!m_can_map || !m_size || m_position >= *m_size)
    return {};
  static const std::uint64_t page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  constexpr std::size_t window = std::size_t{2} << 20;
  const std::uint64_t take = std::min<std::uint64_t>(std::max(max, window), *m_size - m_position);
  const std::uint64_t at = m_start + m_position;
  const std::uint64_t aligned = at - at % page;
  const std::size_t length = static_cast<std::size_t>(take + (at - aligned));
  void* mapped = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE, m_fd,
                        static_cast<off_t>(aligned));
  if (mapped == MAP_FAILED) {
    m_can_map = false; // fall back to reading (a file system without mmap)
    return {};
  }
  ::madvise(mapped, length, MADV_SEQUENTIAL);
  m_window = mapped;
  m_window_size = length;
  m_position += take;
  return {static_cast<const std::byte*>(mapped) + (at - aligned), static_cast<std::size_t>(take)};
}

std::optional<std::pair<int, std::uint64_t>> file_source::file_range() const noexcept {
  if (!m_size)
    return std::nullopt;
  return std::make_pair(m_fd, m_start);
}

std::unique_ptr<file_source> file_source::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw_os_error("open", path, errno);
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    // pg_dump -Fd writes a directory holding toc.dat and one file per table.
    struct stat toc {};
    const bool directory_dump = ::fstatat(fd, "toc.dat", &toc, 0) == 0;
    ::close(fd);
    throw io_error("could not read \"" + path + "\": it is a directory, not a custom-format archive",
                   directory_dump
                       ? "It looks like a directory-format dump (pg_dump -Fd); pgarc reads only "
                         "custom-format archives, so dump again with pg_dump -Fc."
                       : "Give the path of an archive file written by pg_dump -Fc.");
  }
  return std::unique_ptr<file_source>(new file_source(fd, true, path));
}

std::unique_ptr<file_source> file_source::from_descriptor(int fd, std::string name) {
  widen_pipe(fd);
  return std::unique_ptr<file_source>(new file_source(fd, false, std::move(name)));
}

file_source::~file_source() {
  unmap();
  if (m_owned)
    ::close(m_fd);
}

std::size_t file_source::read_some(std::span<std::byte> buffer) {
  unmap();
  for (;;) {
    const ssize_t got =
        m_size ? ::pread(m_fd, buffer.data(), buffer.size(), static_cast<off_t>(m_start + m_position))
               : ::read(m_fd, buffer.data(), buffer.size());
    if (got >= 0) {
      m_position += static_cast<std::uint64_t>(got);
      return static_cast<std::size_t>(got);
    }
    if (errno != EINTR)
      throw_os_error("read", m_name, errno);
  }
}

file_sink::file_sink(int fd, bool owned, bool seekable, std::string name, std::string temp_path,
                     durability how, std::optional<replaced_file> replaced)
    : m_fd(fd), m_owned(owned), m_seekable(seekable), m_durability(how), m_name(std::move(name)),
      m_temp_path(std::move(temp_path)), m_replaced(replaced) {
  if (m_seekable) {
    const off_t position = ::lseek(m_fd, 0, SEEK_CUR);
    m_base = position > 0 ? static_cast<std::uint64_t>(position) : 0;
  }
}

namespace {

/// Opens a new temporary file beside `path`, in the same directory so that
/// rename() can move it over `path` atomically. Returns the descriptor and
/// sets `temp_path`.
int open_temporary_beside(const std::string& path, std::string& temp_path) {
  temp_path = directory_of(path) + "/." + base_name_of(path) + ".pgarc-XXXXXX";
  const int fd = ::mkostemp(temp_path.data(), O_CLOEXEC);
  if (fd < 0)
    throw_os_error("create a temporary file beside", path, errno);
  return fd;
}

} // namespace

namespace {

/// Where a write to `path` lands: `path` itself, or the file a symbolic link
/// there points to (the link stays a link). `info` describes that file when
/// it exists.
struct destination {
  std::string path;
  bool exists = false;
  struct stat info {};
};

destination resolve_destination(const std::string& path) {
  destination result{path};
  if (::lstat(path.c_str(), &result.info) != 0) {
    if (errno != ENOENT)
      throw_os_error("write", path, errno);
    return result;
  }
  result.exists = true;
  if (S_ISLNK(result.info.st_mode)) {
    std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr), &std::free);
    if (!resolved) {
      // As cp does, never create a file where a dangling link points.
      if (errno == ENOENT)
        throw io_error("could not write \"" + path + "\": it is a symbolic link to nothing");
      throw_os_error("resolve symbolic link", path, errno);
    }
    result.path = resolved.get();
    if (::stat(result.path.c_str(), &result.info) != 0)
      throw_os_error("write", result.path, errno);
  }
  return result;
}

} // namespace

std::unique_ptr<file_sink> file_sink::create(const std::string& path, durability how) {
  const destination target = resolve_destination(path);
  if (target.exists && S_ISREG(target.info.st_mode))
    return replace(path, how);
  if (target.exists) {
    if (S_ISDIR(target.info.st_mode))
      throw io_error("could not write \"" + path + "\": it is a directory");
    // A device, a FIFO or a socket: write into it, as cp and pg_dump -f do.
    // Renaming a file over it would replace the device node itself.
    const int fd = ::open(target.path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
      throw_os_error("open", path, errno);
    return std::unique_ptr<file_sink>(new file_sink(fd, true, false, path, {}, durability::unsynced));
  }
  std::string temp_path;
  const int fd = open_temporary_beside(path, temp_path);
  return std::unique_ptr<file_sink>(new file_sink(fd, true, true, path, temp_path, how));
}

std::unique_ptr<file_sink> file_sink::replace(const std::string& path, durability how) {
  const destination target = resolve_destination(path);
  if (!target.exists)
    throw_os_error("replace", path, ENOENT);
  if (!S_ISREG(target.info.st_mode))
    throw io_error("could not replace \"" + path + "\": not a regular file");
  std::string temp_path;
  const int fd = open_temporary_beside(target.path, temp_path);
  const replaced_file original{static_cast<std::uint32_t>(target.info.st_mode & 07777),
                               target.info.st_uid, target.info.st_gid};
  return std::unique_ptr<file_sink>(
      new file_sink(fd, true, true, target.path, temp_path, how, original));
}

std::unique_ptr<file_sink> file_sink::from_descriptor(int fd, std::string name) {
  widen_pipe(fd);
  struct stat info {};
  const bool regular = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
  const int flags = ::fcntl(fd, F_GETFL);
  // An O_APPEND descriptor ignores positions for writes, so it cannot be patched.
  const bool seekable =
      regular && flags >= 0 && (flags & O_APPEND) == 0 && ::lseek(fd, 0, SEEK_CUR) >= 0;
  // Not ours to flush: whoever opened standard output decides.
  return std::unique_ptr<file_sink>(
      new file_sink(fd, false, seekable, std::move(name), {}, durability::unsynced));
}

file_sink::~file_sink() {
  if (m_owned)
    ::close(m_fd);
  if (!m_committed && !m_temp_path.empty())
    ::unlink(m_temp_path.c_str());
}

void file_sink::write(std::span<const std::byte> data) {
  const std::byte* next = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    const ssize_t done = ::write(m_fd, next, left);
    if (done < 0) {
      if (errno == EINTR)
        continue;
      throw_os_error("write", m_name, errno);
    }
    next += done;
    left -= static_cast<std::size_t>(done);
    appended(static_cast<std::uint64_t>(done));
  }
}

void file_sink::appended(std::uint64_t bytes) noexcept {
  m_appended += bytes;
  // Start write-back of each completed 16 MiB, like PostgreSQL's
  // checkpointer flush hints: the disk then works while we copy, and
  // commit()'s fsync waits only for the tail (plain cat + sync waits for all).
  constexpr std::uint64_t step = std::uint64_t{16} << 20;
  if (m_durability != durability::synced || m_temp_path.empty() ||
      m_appended - m_written_back < step)
    return;
#ifdef SYNC_FILE_RANGE_WRITE
  ::sync_file_range(m_fd, static_cast<off_t>(m_base + m_written_back),
                    static_cast<off_t>(m_appended - m_written_back), SYNC_FILE_RANGE_WRITE);
#endif
  m_written_back = m_appended;
}

void file_sink::overwrite_at(std::uint64_t offset, std::span<const std::byte> data) {
  if (!m_seekable)
    byte_sink::overwrite_at(offset, data);
  const std::byte* next = data.data();
  std::size_t left = data.size();
  off_t position = static_cast<off_t>(m_base + offset);
  while (left > 0) {
    const ssize_t done = ::pwrite(m_fd, next, left, position);
    if (done < 0) {
      if (errno == EINTR)
        continue;
      throw_os_error("write", m_name, errno);
    }
    next += done;
    position += done;
    left -= static_cast<std::size_t>(done);
  }
}

bool file_sink::append_file_range(int fd, std::uint64_t offset, std::uint64_t length) {
  off_t from = static_cast<off_t>(offset);
  std::uint64_t done = 0;
  while (done < length) {
    const ssize_t copied = ::copy_file_range(fd, &from, m_fd, nullptr,
                                             static_cast<std::size_t>(std::min<std::uint64_t>(length - done, 1u << 30)), 0);
    if (copied < 0) {
      if (errno == EINTR)
        continue;
      // Not supported between these files: nothing written if it failed first.
      if (done == 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP ||
                        errno == EBADF || errno == EPERM))
        return false;
      throw_os_error("write", m_name, errno);
    }
    if (copied == 0)
      throw io_error("could not write \"" + m_name + "\": the input ended early");
    done += static_cast<std::uint64_t>(copied);
    appended(static_cast<std::uint64_t>(copied));
  }
  return true;
}

void file_sink::commit() {
  if (m_temp_path.empty()) {
    m_committed = true;
    return;
  }
  // A file made by mkstemp is private; give it the mode a new file would
  // get, or the mode (and owner, where we may) of the file it replaces.
  mode_t mode = 0666 & ~process_umask();
  if (m_replaced) {
    // Not permitted unless we are root or the owner already: keep ours then.
    if (::fchown(m_fd, m_replaced->owner, m_replaced->group) != 0 && errno != EPERM)
      throw_os_error("set the owner of", m_name, errno);
    mode = static_cast<mode_t>(m_replaced->mode);
  }
  if (::fchmod(m_fd, mode) != 0)
    throw_os_error("set permissions of", m_name, errno);
  if (m_durability == durability::synced && ::fsync(m_fd) != 0)
    throw_os_error("flush", m_name, errno);
  if (::rename(m_temp_path.c_str(), m_name.c_str()) != 0)
    throw_os_error("rename temporary file to", m_name, errno);
  m_committed = true;
  m_temp_path.clear();
  if (m_durability != durability::synced)
    return;
  // Make the rename itself durable.
  const int directory = ::open(directory_of(m_name).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    ::fsync(directory);
    ::close(directory);
  }
}

} // namespace pgarc
