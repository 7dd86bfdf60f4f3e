// SPDX-License-Identifier: PostgreSQL
// retarget_job and retarget_archive: reading, retargeting and writing one
// archive in the order they must happen; see pgarc/retarget.hpp.
#include "pgarc/errors.hpp"
#include "pgarc/retarget.hpp"

namespace pgarc {

retarget_job::retarget_job(byte_source& source, const retarget_options& options)
    : m_reader(source), m_edited(m_reader.take_contents()), m_options(options),
      m_report(retarget(m_edited, m_options)) {}

retarget_job::~retarget_job() = default;

write_summary retarget_job::write(byte_sink& out, const std::function<void(std::uint64_t)>& progress) {
  if (m_written)
    throw error("retarget_job::write called twice: the source's data area is read once");
  m_written = true;
  // INSERT statements of moved configuration tables are rewritten; every
  // other block is copied as it is.
  const auto rewriter = make_data_rewriter(m_edited, m_report, m_options);
  write_options how;
  how.rewriter = rewriter.get();
  // The target schema's entry takes the padding that keeps data pages aligned.
  how.padding_entry = m_report.schema_entry;
  how.progress = progress;
  return write_archive(m_reader, std::move(m_edited), out, how);
}

retarget_report retarget_archive(byte_source& source, byte_sink& out, const retarget_options& options) {
  retarget_job job(source, options);
  job.write(out);
  return job.report();
}

} // namespace pgarc
