// SPDX-License-Identifier: PostgreSQL
// carry_file and its helpers; see file_carry.hpp.
#include "io/file_carry.hpp"

#include "pgarc/errors.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <ftw.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace pgarc::detail {

namespace {

[[noreturn]] void throw_os_error(const std::string& action, const std::string& name, int code) {
  throw io_error("could not " + action + " \"" + name + "\": " + std::strerror(code));
}

/// A descriptor closed on every path out.
class descriptor {
public:
  explicit descriptor(int fd) : m_fd(fd) {}
  ~descriptor() {
    if (m_fd >= 0)
      ::close(m_fd);
  }
  descriptor(const descriptor&) = delete;
  descriptor& operator=(const descriptor&) = delete;
  int get() const noexcept { return m_fd; }
  /// Closes now, reporting a failure (a delayed write error) as io_error.
  void close(const std::string& name) {
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0)
      throw_os_error("write", name, errno);
  }

private:
  int m_fd;
};

int create_exclusive(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    throw_os_error("create", path, errno);
  return fd;
}

/// Copies in the kernel; false (nothing copied) when copy_file_range cannot
/// be used between these files.
bool copy_in_kernel(int in, int out, std::uint64_t size, const std::string& to) {
  std::uint64_t done = 0;
  while (done < size) {
    const ssize_t got = ::copy_file_range(in, nullptr, out, nullptr, size - done, 0);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0 && done == 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP))
      return false;
    if (got < 0)
      throw_os_error("write", to, errno);
    if (got == 0)
      throw io_error("could not copy to \"" + to + "\": the source file became shorter");
    done += static_cast<std::uint64_t>(got);
  }
  return true;
}

void copy_through_buffer(int in, int out, const std::string& from, const std::string& to) {
  std::vector<char> buffer(std::size_t{1} << 20);
  for (;;) {
    const ssize_t got = ::read(in, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      throw_os_error("read", from, errno);
    if (got == 0)
      return;
    std::size_t written = 0;
    while (written < static_cast<std::size_t>(got)) {
      const ssize_t put = ::write(out, buffer.data() + written, static_cast<std::size_t>(got) - written);
      if (put < 0 && errno == EINTR)
        continue;
      if (put < 0)
        throw_os_error("write", to, errno);
      written += static_cast<std::size_t>(put);
    }
  }
}

} // namespace

carried carry_file(const std::string& from, const std::string& to, bool link, bool sync,
                   std::uint64_t& copied_bytes) {
  if (link) {
    if (::link(from.c_str(), to.c_str()) != 0)
      throw io_error("could not link \"" + to + "\" to \"" + from + "\": " + std::strerror(errno));
    return carried::linked;
  }
  descriptor in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0)
    throw_os_error("open", from, errno);
  struct stat info {};
  if (::fstat(in.get(), &info) != 0)
    throw_os_error("read", from, errno);
  descriptor out(create_exclusive(to));
  carried how = carried::cloned;
  if (::ioctl(out.get(), FICLONE, in.get()) != 0) {
    how = carried::copied;
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (!copy_in_kernel(in.get(), out.get(), size, to))
      copy_through_buffer(in.get(), out.get(), from, to);
    copied_bytes += size;
  }
  if (sync && ::fsync(out.get()) != 0)
    throw_os_error("write", to, errno);
  out.close(to);
  return how;
}

new_file::new_file(std::string path) : m_path(std::move(path)), m_fd(create_exclusive(m_path)) {}

new_file::~new_file() {
  if (m_fd >= 0)
    ::close(m_fd);
}

void new_file::append(std::string_view bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t put = ::write(m_fd, bytes.data() + written, bytes.size() - written);
    if (put < 0 && errno == EINTR)
      continue;
    if (put < 0)
      throw_os_error("write", m_path, errno);
    written += static_cast<std::size_t>(put);
  }
}

void new_file::finish(bool sync) {
  if (sync && ::fsync(m_fd) != 0)
    throw_os_error("write", m_path, errno);
  const int fd = m_fd;
  m_fd = -1;
  if (::close(fd) != 0)
    throw_os_error("write", m_path, errno);
}

void write_new_file(const std::string& to, const std::string& bytes, bool sync) {
  new_file out(to);
  out.append(bytes);
  out.finish(sync);
}

std::string read_whole_file(const std::string& path, std::uint64_t limit) {
  descriptor in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0)
    throw_os_error("open", path, errno);
  struct stat info {};
  if (::fstat(in.get(), &info) != 0)
    throw_os_error("read", path, errno);
  if (static_cast<std::uint64_t>(info.st_size) > limit)
    throw unsupported_error("\"" + path + "\" is over " + std::to_string(limit >> 20) +
                            " MiB; pgarc rewrites only small data files");
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::read(in.get(), bytes.data() + done, bytes.size() - done);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      throw_os_error("read", path, errno);
    if (got == 0)
      throw io_error("could not read \"" + path + "\": the file became shorter");
    done += static_cast<std::size_t>(got);
  }
  return bytes;
}

namespace {
int remove_one(const char* path, const struct stat*, int type, struct FTW*) {
  if (type == FTW_DP)
    ::rmdir(path);
  else
    ::unlink(path);
  return 0;
}
} // namespace

void remove_tree(const std::string& path) noexcept {
  ::nftw(path.c_str(), remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void sync_directory(const std::string& path) {
  descriptor dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0)
    throw_os_error("open", path, errno);
  if (::fsync(dir.get()) != 0)
    throw_os_error("write", path, errno);
}

} // namespace pgarc::detail
