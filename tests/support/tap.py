# SPDX-License-Identifier: PostgreSQL
"""TAP output for the Python test scripts (meson runs them with protocol
'tap'; tools/test-summary counts the ok / not ok lines)."""

_results = []


def check(name, ok, detail=""):
    """Records one test: its name, whether it passed, and what to show if not."""
    _results.append((name, bool(ok), detail))


def skip_test(name, reason):
    """Records a test that could not run here; counted as skipped, not passed."""
    _results.append((name + " # SKIP " + reason, True, ""))


def report():
    """Prints the plan and one line per test, with details of failures."""
    print(f"1..{len(_results)}")
    for number, (name, ok, detail) in enumerate(_results, 1):
        print(f"{'ok' if ok else 'not ok'} {number} - {name}")
        if not ok and detail:
            for line in str(detail).splitlines()[:10]:
                print(f"# {line}")
