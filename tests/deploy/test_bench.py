"""The benchmark runs (on a tiny data set, SQLite only): every row of the table is measured and
nothing failed. Timings are never asserted; `make bench` is for those."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_on_a_tiny_data_set(tmp_path):
    output = tmp_path / "PERFORMANCE.md"
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "scripts/bench.py", "--tiny", "--databases", "sqlite", "--seconds", "0.3",
         "--clients", "2", "--output", str(output)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    text = output.read_text(encoding="utf-8")
    for heading in ("## Dalarna scale on sqlite", "## National scale on sqlite", "## Print pack"):
        assert heading in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    for name in ("/healthz", "lesson page", "start page", "coordinator dashboard",
                 "admin overview", "GET /api/v1/coverage", "GET /api/v1/effect",
                 "xAPI first page", "lesson page, 2 dashboards loading",
                 "quiz submission, 20 at once"):  # fmt: skip
        measured = [row for row in rows if row.startswith(f"| {name} |")]
        assert len(measured) == 2, name  # both scales
        assert all(row.split("|")[6].strip() == "0" for row in measured), measured  # no errors
    assert text.count("20 of 20 attempts submitted") == 2 and "EXPLAIN" in text
    assert "| alone ms |" in text and "| no request over 1 s (alone) |" in text
