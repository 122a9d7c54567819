"""Benchmark (not a test): time a print pack of N certificates; report certificates/s and memory.

    .venv/bin/python scripts/bench_print_pack.py [N]          # default 1000
    .venv/bin/python scripts/bench_print_pack.py 1000 --trace # + Python heap peak (slower)

Aim (issue #16): at least 300 certificates/s and under 200 MB peak (resident) at 20,000.
It times what the print-pack job writes: one PDF up to 1,000, else a ZIP of 1,000-page PDFs.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.certificates import queries  # noqa: E402
from app.certificates.codes import new_code  # noqa: E402
from app.certificates.models import Certificate  # noqa: E402
from app.certificates.services import write_print_pack  # noqa: E402
from app.config import TestConfig  # noqa: E402
from app.core.roles import Role
from app.core.scope import Scope  # noqa: E402
from app.courses.models import Course  # noqa: E402
from app.extensions import db  # noqa: E402
from app.municipalities.models import Municipality  # noqa: E402
from app.municipalities.services import seed_municipalities  # noqa: E402


def main(count: int) -> None:
    """Seed `count` certificates in Falun, then build their print pack in a process of its own
    (so its peak memory is the pack's, not the seeding's) and measure it."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    url = f"sqlite:///{workdir / 'bench.db'}"
    app = create_app(TestConfig, {"DATABASE_URL": url})
    with app.app_context():
        db.create_all()
        seed_municipalities()
        falun = db.session.scalar(db.select(Municipality).filter_by(code="2080"))
        course = Course(slug="end-user", title="Slutanvändarutbildning", audience="employee")
        db.session.add(course)
        db.session.flush()
        db.session.execute(db.insert(User), [
            {"email": f"person{i}@falun.se", "name": f"Åsa Öberg-Nguyễn {i}",
             "role": Role.EMPLOYEE, "municipality_id": falun.id}
            for i in range(count)
        ])  # fmt: skip
        db.session.execute(db.insert(Certificate), [
            {"code": new_code(), "user_id": user_id, "course_id": course.id,
             "course_title": course.title, "course_version": 1, "holder_name": name,
             "municipality_id": falun.id, "issued_at": datetime.now(UTC)}
            for user_id, name in db.session.execute(db.select(User.id, User.name))
        ])  # fmt: skip
        db.session.commit()
        falun_id = falun.id
    done = subprocess.run(  # noqa: S603 - this script
        [sys.executable, __file__, "--pack", url, str(falun_id), str(count), str(workdir)],
        capture_output=True,
        text=True,
        check=True,
    )
    print(done.stdout, end="")


def pack(url: str, municipality_id: int, count: int, workdir: Path) -> None:
    """Write the print pack as the job does; print its rate, peak memory and file."""
    app = create_app(TestConfig, {"DATABASE_URL": url})
    with app.app_context():
        filters = queries.CertificateFilter(municipality_id=municipality_id)
        output = workdir / "pack"
        if TRACE:
            tracemalloc.start()
        started = time.perf_counter()
        kind = write_print_pack(Scope.everywhere(), filters, output, count)  # as the job does
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if TRACE else None
        tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"certificates:        {count}")
    print(f"seconds:             {elapsed:.2f}")
    print(f"certificates/second: {count / elapsed:.0f}")
    if peak is not None:
        print(f"peak Python memory:  {peak / 1024 / 1024:.1f} MB (tracemalloc, during the pack)")
    print(f"peak resident:       {rss_mb:.0f} MB (the process that wrote the pack)")
    print(f"file:                {kind}, {os.path.getsize(output) / 1024 / 1024:.1f} MB")


TRACE = "--trace" in sys.argv

if __name__ == "__main__":
    if "--pack" in sys.argv:
        _flag, url, municipality, total, folder = sys.argv[sys.argv.index("--pack") :][:5]
        pack(url, int(municipality), int(total), Path(folder))
    else:
        numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
        main(int(numbers[0]) if numbers else 1000)
