// SPDX-License-Identifier: PostgreSQL
// Small helpers of the archive model; see include/pgarc/archive.hpp.
#include "pgarc/archive.hpp"

namespace pgarc {

compression_algorithm archive_header::compression() const noexcept {
  if (version >= k_vers_1_15)
    return static_cast<compression_algorithm>(compression_byte);
  // PG16's ReadHead maps an old level: 0 is none, anything else zlib.
  return compression_level == 0 ? compression_algorithm::none : compression_algorithm::gzip;
}

} // namespace pgarc
