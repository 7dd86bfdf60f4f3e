// SPDX-License-Identifier: PostgreSQL
// run_batch; see batch.hpp. Results are printed in input order as soon as
// every earlier file is done, so output does not depend on scheduling.
#include "batch.hpp"

#include "job.hpp"

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace pgarc::cli {

namespace {

std::string output_path(const options& parsed, const std::string& input) {
  if (!parsed.output_dir)
    return {};
  const auto slash = input.rfind('/');
  const std::string base = slash == std::string::npos ? input : input.substr(slash + 1);
  std::string directory = *parsed.output_dir;
  if (!directory.empty() && directory.back() != '/')
    directory += '/';
  return directory + base;
}

} // namespace

int run_batch(const options& parsed, const std::vector<const extension_catalog*>& catalogs) {
  const std::size_t count = parsed.inputs.size();
  // Two inputs with one file name would write the same output: refuse
  // before anything is written rather than lose one.
  if (parsed.output_dir) {
    std::set<std::string> outputs;
    for (const auto& input : parsed.inputs)
      if (!outputs.insert(output_path(parsed, input)).second)
        throw usage_error("two inputs would both be written to \"" + output_path(parsed, input) + "\"");
  }
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
      const std::string& input = parsed.inputs[index];
      job_result result = run_job(input, output_path(parsed, input), parsed, catalogs);
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
    if (!parsed.quiet && !has_failed) {
      const std::string destination = output_path(parsed, input);
      std::cerr << "pgarc-retarget: " << input << ": " << result.summary
                << (destination.empty() || !result.changed ? "" : " -> " + destination) << "\n";
    }
    if (parsed.json)
      std::cout << result.json << std::flush;
  }
  for (auto& thread : pool)
    thread.join();

  const bool writes = parsed.output_dir.has_value() || parsed.in_place;
  std::cerr << "pgarc-retarget: " << count << " archive" << (count == 1 ? "" : "s") << ": " << changed
            << (writes ? " changed, " : " would change, ") << unchanged << " unchanged, " << failed
            << " failed\n";
  if (failed > 0)
    return exit_failure;
  return parsed.check && changed > 0 ? exit_would_change : exit_success;
}

} // namespace pgarc::cli
