// SPDX-License-Identifier: PostgreSQL
// Several archives at once (--output-dir, --check, --dry-run over many
// inputs), on up to --jobs threads: one line per file and a total.
#pragma once

#include "options.hpp"

#include "pgarc/catalog.hpp"

#include <vector>

namespace pgarc::cli {

/// Runs every input; a failure on one does not stop the others. Returns
/// 1 if any failed, else 3 if --check found one that would change, else 0.
int run_batch(const options& parsed, const std::vector<const extension_catalog*>& catalogs);

} // namespace pgarc::cli
