// SPDX-License-Identifier: PostgreSQL
// pgarc-retarget --target: checks an archive against the database it will be
// restored into (pgarc/preflight.hpp) and prints the findings.
#pragma once

#include "options.hpp"

namespace pgarc::cli {

/// Reads the TOC of the one input, runs the preflight against
/// *parsed.target, prints one line per finding on standard error (and with
/// --json the report on standard output). Returns 0 when no problem was
/// found, 1 otherwise. Throws pgarc::error (a connection failure is an
/// io_error) for main() to report.
int run_preflight(const options& parsed);

} // namespace pgarc::cli
