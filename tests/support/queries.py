"""Counting the SQL statements a piece of work sends."""

from sqlalchemy import event

from tests.support.apps import HARNESS_SAVEPOINTS

TRANSACTION_CONTROL = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


class QueryCounter:
    """Counts the SQL statements sent while it is active.

    Left out: the savepoints that stand in for a session's BEGIN and COMMIT while the test runs
    in a transaction rolled back at its end (tests.support.apps), which no database would see.
    """

    def __init__(self, engine):
        self.engine = engine
        self._sent: list[tuple] = []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._remember)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._remember)

    def _remember(self, connection, _cursor, statement, *_args):
        self._sent.append((connection, statement))

    @property
    def count(self) -> int:
        """How many statements were sent, besides the test's own savepoints."""
        return sum(1 for sent in self._sent if not _stands_in_for_a_transaction(*sent))


def _stands_in_for_a_transaction(connection, statement: str) -> bool:
    """Whether the statement opens, releases or rolls back a session's own savepoint."""
    if not statement.startswith(TRANSACTION_CONTROL):
        return False
    return statement.rsplit(" ", 1)[-1] in connection.info.get(HARNESS_SAVEPOINTS, ())
