"""Many statements in one round trip (pgmt.postgres.pipeline): a statement that fails takes
only the rest of its own batch with it."""

from __future__ import annotations

from collections.abc import Callable

from pgmt.postgres import connect
from pgmt.postgres.pipeline import last_rows


def test_each_batch_answers_for_itself_and_the_connection_stays_usable(
    make_db: Callable[[], str],
) -> None:
    """Rows of each batch's last statement, parameters as text; a failed statement makes
    its batch None (its later statements skipped), the next batch rolls back to the
    savepoint and goes on; a last statement with no row gives None."""
    with connect(make_db()) as conn, conn.transaction():
        conn.execute("CREATE TABLE t (n int); SAVEPOINT s")
        rows = last_rows(conn, [
            [("INSERT INTO t VALUES (1)", ()), ("SELECT count(*), $1::text || $2", ("a", "b"))],
            [("ROLLBACK TO SAVEPOINT s", ()), ("SELECT 1 / 0", ()),
             ("INSERT INTO t VALUES (2)", ())],
            [("ROLLBACK TO SAVEPOINT s", ()), ("SELECT n FROM t", ())],
            [("SELECT n FROM t WHERE n > 5", ())],
        ])
        assert rows == [(1, "ab"), None, None, None]
        # The failed batch's INSERT never ran, and the connection answers as ever.
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_more_than_the_socket_holds_is_sent_and_answered(make_db: Callable[[], str]) -> None:
    """Statements and results far beyond a socket's buffers in both directions: sending
    reads what the server answers meanwhile, so neither side waits on the other."""
    padding = "x" * 2000
    batches = [[(f"SELECT $1::int, '{padding}' || repeat('y', 2000)", (str(i),))]
               for i in range(2000)]
    with connect(make_db()) as conn, conn.transaction():
        rows = last_rows(conn, batches)
    assert [row[0] for row in rows if row] == list(range(2000))
