"""`pgmt apply --watch`, as a real subprocess: apply on save, survive errors, stop on Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pgmt.postgres import connect


def columns(url: str, table: str) -> list[str]:
    with connect(url) as conn:
        rows = conn.execute("select column_name from information_schema.columns "
                            "where table_name = %s order by ordinal_position", (table,)).fetchall()
    return [r[0] for r in rows]


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT back to its default in the watch, whatever the tests run under: a shell
    running them in the background (`.ci/run &`) ignores SIGINT, the watch would inherit
    that, and Python installs no Ctrl-C handler where SIGINT is ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Watcher:
    """A running `pgmt apply --watch`; `expect` waits for a line of its stderr."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from pgmt.cli import main; main()", "apply", "--watch", *args],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, preexec_fn=_ctrl_c_as_in_a_terminal)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line)

    def expect(self, text: str, timeout: float = 30) -> list[str]:
        """The lines up to and including the first one containing `text`."""
        got: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            got.append(line)
            self.seen.append(line)
            if text in line:
                return got
        raise AssertionError(f"{text!r} not printed; got:\n{''.join(self.seen)}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            code = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # PYTHONFAULTHANDLER is set: SIGABRT prints where every thread is.
            self.proc.send_signal(signal.SIGABRT)
            self.proc.wait(timeout=10)
            self.reader.join(timeout=5)
            while not self.lines.empty():
                self.seen.append(self.lines.get())
            raise AssertionError("the watch did not stop on Ctrl-C; its output:\n"
                                 + "".join(self.seen)) from None
        self.reader.join(timeout=5)
        assert self.proc.stderr is not None
        self.proc.stderr.close()
        return code


@pytest.fixture
def watch(pg_server, db_url, make_project):
    project = make_project()
    (project / "schema").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PGMT_")}
    env.update(PGMT_PG_BINDIR=str(pg_server.bindir), PGMT_DEV_URL=db_url,
               PGMT_SHADOW_URL=pg_server.admin_url, PYTHONFAULTHANDLER="1")
    started: list[Watcher] = []

    def start(first: str, *args: str) -> tuple[Watcher, Path]:
        (project / "schema" / "t.sql").write_text(first)
        watcher = Watcher(["--project", str(project), *args], env)
        started.append(watcher)
        return watcher, project / "schema"

    yield start
    for watcher in started:
        if watcher.proc.poll() is None:
            watcher.proc.kill()
            watcher.proc.wait()
        if watcher.proc.stderr:
            watcher.proc.stderr.close()


def test_a_killed_watch_leaves_a_spare_the_next_run_drops(watch, pg_server) -> None:
    """SIGKILL gives a watch no chance to drop its spare shadow; the next run, seeing
    that the process which made it is gone, drops it."""
    killed, _ = watch("create table t (id int);\n")
    killed.expect("watching")
    left = the_spare(pg_server.admin_url)
    assert len(left) == 1 and f"_{killed.proc.pid}_" in left[0]
    killed.proc.kill()
    killed.proc.wait()
    assert scratch_databases(pg_server.admin_url) == left
    watcher, _ = watch("create table t (id int);\n")
    watcher.expect("watching")
    deadline = time.monotonic() + 30
    while left[0] in scratch_databases(pg_server.admin_url) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left[0] not in scratch_databases(pg_server.admin_url)
    assert watcher.stop() == 0
    assert scratch_databases(pg_server.admin_url) == []


def test_applies_each_save_survives_errors_and_stops_on_ctrl_c(watch, db_url) -> None:
    watcher, schema = watch("create table t (id int);\n")
    watcher.expect("Applied 1 change")
    watcher.expect("watching")
    assert columns(db_url, "t") == ["id"]

    (schema / "t.sql").write_text("create table t (id int, name text);\n")
    lines = watcher.expect("Applied 1 change")
    assert any("t.sql changed" in line for line in lines)
    assert "  ✓ Alter table public.t" in "".join(lines) or "  ✓ Create column public.t.name" in "".join(lines)
    assert columns(db_url, "t") == ["id", "name"]

    (schema / "t.sql").write_text("create table t (id int, name text, oops nosuchtype);\n")
    lines = watcher.expect("watching for the next save")
    assert any("t.sql:1: type \"nosuchtype\" does not exist" in line for line in lines)
    assert columns(db_url, "t") == ["id", "name"]

    (schema / "t.sql").write_text("create table t (id int, name text, born date);\n")
    watcher.expect("Applied 1 change")
    assert columns(db_url, "t") == ["id", "name", "born"]

    assert watcher.stop() == 0
    assert "stopped watching" in "".join(watcher.seen) + "".join(iter_queue(watcher.lines))


def iter_queue(lines: queue.Queue[str]) -> list[str]:
    out = []
    while not lines.empty():
        out.append(lines.get())
    return out


@pytest.mark.parametrize(("args", "applied"), [
    pytest.param((), False, id="without --force: held back with a warning, watching goes on"),
    pytest.param(("--force",), True, id="started with --force: applied"),
])
def test_data_loss_in_watch_mode(watch, db_url, args, applied) -> None:
    watcher, schema = watch("create table t (id int, gone text);\n", *args)
    watcher.expect("Applied")
    watcher.expect("watching")
    (schema / "t.sql").write_text("create table t (id int);\n")
    if applied:
        watcher.expect("Applied 1 change")
        assert columns(db_url, "t") == ["id"]
    else:
        lines = watcher.expect("not applied: restart `pgmt apply --watch --force`")
        assert any("1 change will lose data" in line for line in lines)
        assert columns(db_url, "t") == ["id", "gone"]
        (schema / "u.sql").write_text("create table u (id int);\n")
        watcher.expect("u.sql changed")
        watcher.expect("not applied")  # the drop is still pending, so the plan is held back
    assert watcher.stop() == 0


def test_watch_of_a_missing_schema_folder_reports_and_exits(run_pgmt, make_project, pg_server, db_url) -> None:
    project = make_project()
    result = run_pgmt("apply", "--watch", "--project", str(project),
                      env={"PGMT_DEV_URL": db_url, "PGMT_SHADOW_URL": pg_server.admin_url})
    assert result.code == 1
    assert f"error: schema folder {project / 'schema'} does not exist" in result.stderr


def scratch_databases(admin_url: str) -> list[str]:
    with connect(admin_url) as conn:
        rows = conn.execute("select datname from pg_database where datname like 'pgmt_scratch_%'"
                            ).fetchall()
    return [r[0] for r in rows]


def the_spare(admin_url: str) -> list[str]:
    """The scratch databases once the first round's shadow has been dropped in the
    background and the next one made: one database, the same for two seconds (seeing
    one is not enough: it may be the used one, not yet dropped)."""
    seen: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = scratch_databases(admin_url)
        if len(now) == 1 and now == seen:
            break
        seen = now
        time.sleep(2 if len(now) == 1 else 0.05)
    return seen


def test_the_next_shadow_is_made_while_waiting_and_dropped_on_ctrl_c(watch, pg_server, db_url) -> None:
    """Between saves one shadow database waits, made ahead; Ctrl-C drops it."""
    assert scratch_databases(pg_server.admin_url) == []
    watcher, schema = watch("create table t (id int);\n")
    watcher.expect("watching")
    prepared = the_spare(pg_server.admin_url)
    assert len(prepared) == 1
    (schema / "t.sql").write_text("create table t (id int, name text);\n")
    watcher.expect("Applied 1 change")
    assert columns(db_url, "t") == ["id", "name"]
    deadline = time.monotonic() + 30
    while scratch_databases(pg_server.admin_url) in ([], prepared) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(scratch_databases(pg_server.admin_url)) == 1  # the used one dropped, a new one made
    assert scratch_databases(pg_server.admin_url) != prepared
    assert watcher.stop() == 0
    assert scratch_databases(pg_server.admin_url) == []
