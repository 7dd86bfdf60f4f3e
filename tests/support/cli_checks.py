# SPDX-License-Identifier: PostgreSQL
"""Checks shared by the CLI tests of directory and tar archives: what the
tool printed, judged the way a user reads it."""


def error_lines(result):
    """The "pgarc-retarget: error:" lines of a run's standard error."""
    return [l for l in result.stderr.decode(errors="replace").splitlines() if l.startswith("pgarc-retarget: error: ")]


def one_error(result, *fragments):
    """The run failed with exactly one error line holding every fragment."""
    lines = error_lines(result)
    return result.returncode == 1 and len(lines) == 1 and all(f in lines[0] for f in fragments)


def entries(listing):
    """The entry lines of a --list output (comments and blank lines dropped)."""
    return [l for l in listing.decode().splitlines() if l and not l.startswith(";")]
