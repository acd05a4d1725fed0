"""Many small statements in one round trip, through libpq's pipeline mode.

psycopg's own pipeline raises a statement's error at the next fetch and aborts whatever was
queued after it; this drives libpq's pipeline through psycopg's low-level connection
instead, with a sync point after each batch, so that a statement that fails only takes
the rest of its own batch with it.
"""

from __future__ import annotations

import contextlib
import selectors
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import pq
from psycopg.adapt import Transformer

# A statement and its parameters ($1, $2, … in the SQL; sent as text).
Statement = tuple[str, Sequence[str]]

# What a statement that failed, and each one after it in its batch, returns.
_FAILED = (pq.ExecStatus.FATAL_ERROR, pq.ExecStatus.PIPELINE_ABORTED)


def last_rows(conn: psycopg.Connection[Any],
              batches: Sequence[Sequence[Statement]]) -> list[tuple[Any, ...] | None]:
    """Send every statement of `batches` at once and wait for all their results. For each
    batch: the first row of its last statement, or None if a statement of the batch failed
    (which skips the rest of the batch) or the last returned no row. The connection must be
    in a transaction: a failed batch leaves it aborted, for the next batch to recover from
    (ROLLBACK TO SAVEPOINT)."""
    with conn.lock, selectors.DefaultSelector() as selector:
        pgconn = conn.pgconn
        selector.register(pgconn.socket, selectors.EVENT_READ | selectors.EVENT_WRITE)
        pgconn.enter_pipeline_mode()
        sent = 0  # sync points sent, each ending one batch
        try:
            for batch in batches:
                for sql, params in batch:
                    pgconn.send_query_params(sql.encode(), [p.encode() for p in params] or None)
                pgconn.pipeline_sync()
                sent += 1
                _send(pgconn, selector)
            loader = Transformer(conn)
            rows: list[tuple[Any, ...] | None] = []
            for batch in batches:
                row: tuple[Any, ...] | None = None
                failed = False
                for _ in batch:
                    result = _next_result(pgconn, selector)
                    if result is None:
                        raise psycopg.OperationalError("the server sent no result for a statement")
                    _next_result(pgconn, selector)  # the None that ends each statement's results
                    row = None
                    if result.status in _FAILED:
                        failed = True
                    elif result.status == pq.ExecStatus.TUPLES_OK and result.ntuples:
                        loader.set_pgresult(result)
                        row = loader.load_rows(0, 1, tuple)[0]
                _next_result(pgconn, selector)  # the batch's sync point
                sent -= 1
                rows.append(None if failed else row)
            return rows
        finally:
            # Whatever has not been read is read and dropped: the connection stays usable.
            with contextlib.suppress(psycopg.Error):
                while sent:
                    result = _next_result(pgconn, selector)
                    if result is not None and result.status == pq.ExecStatus.PIPELINE_SYNC:
                        sent -= 1
                pgconn.exit_pipeline_mode()


def _send(pgconn: pq.abc.PGconn, selector: selectors.BaseSelector) -> None:
    """Until libpq has sent all it holds, reading what the server answers meanwhile: a
    server that cannot send its results stops reading statements."""
    selector.modify(pgconn.socket, selectors.EVENT_READ | selectors.EVENT_WRITE)
    while pgconn.flush():
        for _, events in selector.select():
            if events & selectors.EVENT_READ:
                pgconn.consume_input()


def _next_result(pgconn: pq.abc.PGconn,
                 selector: selectors.BaseSelector) -> pq.abc.PGresult | None:
    while pgconn.is_busy():
        selector.modify(pgconn.socket, selectors.EVENT_READ)
        selector.select()
        pgconn.consume_input()
    return pgconn.get_result()
