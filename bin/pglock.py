"""Run a command while holding a PostgreSQL advisory lock: `python bin/pglock.py NAME CMD ...`.

Used by bin/serve (migrations and seeding: several app servers starting together take turns)
and bin/worker (two workers never send the outbox at the same time). The lock belongs to this
process's database session and ends with it, even if the process is killed. On another database
(SQLite, one machine) the command simply runs. Exits with the command's status.
"""

import os
import signal
import subprocess
import sys


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python bin/pglock.py NAME COMMAND [ARG ...]", file=sys.stderr)
        return 2
    name, command = argv[0], argv[1:]
    url = os.environ.get("DATABASE_URL", "")
    scheme, _, rest = url.partition("://")
    if scheme.split("+")[0] not in ("postgres", "postgresql"):
        return subprocess.call(command)  # noqa: S603 - our own scripts' commands
    import psycopg

    # TERM (systemctl stop, docker stop) while waiting or running: stop the command too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    with psycopg.connect("postgresql://" + rest, autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", ("vimotsresfritt:" + name,))
        return subprocess.call(command)  # noqa: S603 - our own scripts' commands


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
