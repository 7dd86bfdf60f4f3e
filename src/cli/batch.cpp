// SPDX-License-Identifier: PostgreSQL
// run_batch; see batch.hpp. Results are printed in input order as soon as
// every earlier file is done, so output does not depend on scheduling.
#include "batch.hpp"

#include "pgarc/errors.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include <sys/stat.h>

namespace pgarc::cli {

std::string output_path(const options& parsed, const std::string& input) {
  if (!parsed.output_dir)
    return {};
  // A directory archive keeps its directory's name, also when given as its toc.dat.
  std::string path = input;
  while (path.size() > 1 && path.back() == '/')
    path.pop_back();
  if (path == "toc.dat" || path.ends_with("/toc.dat"))
    path = path == "toc.dat" ? "." : path.substr(0, path.size() - 8);
  const auto slash = path.rfind('/');
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string directory = *parsed.output_dir;
  if (!directory.empty() && directory.back() != '/')
    directory += '/';
  return directory + base;
}

bool prepare_output_dir(const std::string& directory) {
  if (::mkdir(directory.c_str(), 0777) == 0)
    return true;
  const int code = errno;
  struct stat info {};
  if (code == EEXIST && ::stat(directory.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode))
      return false;
    throw io_error("could not use \"" + directory + "\" as the output directory: it is not a directory");
  }
  throw io_error("could not create the output directory \"" + directory + "\": " + std::strerror(code));
}

int run_batch(const options& parsed, const batch_job& job, const batch_words& words) {
  const std::size_t count = parsed.inputs.size();
  std::vector<job_result> results(count);
  std::vector<bool> done(count, false);
  std::mutex lock;
  std::condition_variable finished;
  std::atomic<std::size_t> next{0};

  auto worker = [&] {
    for (;;) {
      const std::size_t index = next.fetch_add(1);
      if (index >= count)
        return;
      job_result result = job(parsed.inputs[index]);
      {
        std::lock_guard guard(lock);
        results[index] = std::move(result);
        done[index] = true;
      }
      finished.notify_all();
    }
  };
  const unsigned threads = std::min<unsigned>(parsed.jobs, static_cast<unsigned>(count));
  std::vector<std::thread> pool;
  for (unsigned thread = 0; thread < threads; ++thread)
    pool.emplace_back(worker);

  std::size_t changed = 0, unchanged = 0, failed = 0;
  std::exception_ptr output_failure;
  for (std::size_t index = 0; index < count; ++index) {
    {
      std::unique_lock guard(lock);
      finished.wait(guard, [&] { return done[index]; });
    }
    const job_result& result = results[index];
    const std::string& input = parsed.inputs[index];
    const bool has_failed = result.status != exit_success && result.status != exit_would_change;
    if (has_failed)
      ++failed;
    else if (result.changed)
      ++changed;
    else
      ++unchanged;
    std::cerr << result.messages;
    if (!parsed.quiet && !has_failed && !result.summary.empty()) {
      const std::string destination = output_path(parsed, input);
      std::cerr << "pgarc-retarget: " << input << ": " << result.summary
                << (destination.empty() || !result.changed ? "" : " -> " + destination) << "\n";
    }
    if (!output_failure) {
      // A closed or full standard output ends the run once every thread is
      // done, not while they run.
      try {
        write_standard_output(result.output + result.json);
      } catch (const io_error&) {
        output_failure = std::current_exception();
      }
    }
  }
  for (auto& thread : pool)
    thread.join();
  if (output_failure)
    std::rethrow_exception(output_failure);

  std::string total = "pgarc-retarget: " + std::to_string(count) + " archive" + (count == 1 ? "" : "s") + ":";
  if (!words.changed.empty())
    total += " " + std::to_string(changed) + " " + words.changed + ",";
  if (!words.unchanged.empty())
    total += " " + std::to_string(unchanged) + " " + words.unchanged + ",";
  std::cerr << total << " " << failed << " failed\n";
  if (failed > 0)
    return exit_failure;
  return parsed.check && changed > 0 ? exit_would_change : exit_success;
}

} // namespace pgarc::cli
