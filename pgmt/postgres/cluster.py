"""The local dev cluster: a PostgreSQL kept in the project's `.pgmt/` directory.

`.pgmt/pg<major>/` holds the data, so clusters of different majors live side by side. The
server listens on a Unix socket only, trusts local connections (superuser `postgres`) and
skips durability (fsync and friends): it is a scratch server, fast to use and to rebuild.
It keeps running after pgmt exits and is reused by the next command. An fcntl lock on
`.pgmt/pg<major>.lock` serialises init, start and stop between concurrent pgmt processes.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from pgmt.errors import ClusterError
from pgmt.postgres.binaries import PgBinaries, find_binaries
from pgmt.postgres.runas import (
    ROOT_STATE_DIR,
    RunAs,
    chown_tree,
    current_runner,
    reachable_binaries,
)

STATE_DIR = ".pgmt"
SUPERUSER = "postgres"
DEFAULT_PORT = 5432  # only names the socket file; nothing listens on TCP by default
START_TIMEOUT_S = 60
# sockaddr_un.sun_path is 108 bytes with the trailing NUL: longer socket paths cannot bind.
MAX_SOCKET_PATH = 107
# Characters safe in unix_socket_directories (a comma-separated list) and postgresql.conf.
_SAFE_DIR_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+")

DEFAULT_SETTINGS: Mapping[str, str] = {
    "listen_addresses": "",
    # A dev cluster: losing it in a power cut is fine, waiting on disk flushes is not.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    # Schema files build in one transaction, which locks every object it creates: the
    # default (64) runs out near 1,000 tables ("out of shared memory").
    "max_locks_per_transaction": "512",
}


@dataclass(frozen=True)
class StartResult:
    """What `start` did: the URL of the `postgres` database, and which of the three paths."""

    url: str
    action: Literal["created", "started", "already running"]


@dataclass(frozen=True)
class ClusterStatus:
    """What `pgmt db status` reports about the local cluster."""

    running: bool
    initialized: bool
    pid: int | None
    data_dir: Path
    version: str


class Cluster:
    """The local cluster of one project and one PostgreSQL install.

    `settings` override DEFAULT_SETTINGS (tests use it to listen on TCP); `port` also decides
    the socket file name.
    """

    def __init__(
        self,
        project_dir: str | os.PathLike[str] | None = None,
        bindir: str | os.PathLike[str] | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        self.project_dir = Path(project_dir or Path.cwd()).absolute()
        self.state_dir = self.project_dir / STATE_DIR
        self.binaries: PgBinaries = find_binaries(bindir)
        self.settings = {**DEFAULT_SETTINGS, "port": str(DEFAULT_PORT), **(settings or {})}
        self.port = int(self.settings["port"])

    @property
    def bindir(self) -> Path:
        return self.binaries.bindir

    @property
    def major_version(self) -> int:
        return self.binaries.major

    @property
    def data_dir(self) -> Path:
        """`.pgmt/pg<major>`; a symlink when the real data had to live under /var/lib/pgmt."""
        return self.state_dir / f"pg{self.binaries.major}"

    @property
    def socket_dir(self) -> Path:
        """The data directory when its socket path fits, else a short per-cluster /tmp dir."""
        real = self._real_data_dir()
        socket = real / f".s.PGSQL.{self.port}"
        if len(os.fsencode(socket)) <= MAX_SOCKET_PATH and set(str(real)) <= _SAFE_DIR_CHARS:
            return real
        digest = hashlib.sha256(os.fsencode(real)).hexdigest()[:16]
        # Fixed /tmp, not $TMPDIR: every pgmt process must derive the same URL.
        return Path("/tmp") / f"pgmt-{digest}"

    @property
    def log_file(self) -> Path:
        return self._real_data_dir() / "pgmt-server.log"

    def url(self, dbname: str = "postgres") -> str:
        """The libpq URL of `dbname` over the Unix socket, e.g. for psycopg.connect."""
        host = quote(str(self.socket_dir), safe="")
        return f"postgresql://{SUPERUSER}@/{quote(dbname, safe='')}?host={host}&port={self.port}"

    def status(self) -> ClusterStatus:
        real = self._real_data_dir()
        pid = self._running_pid()
        return ClusterStatus(
            running=pid is not None,
            initialized=(real / "PG_VERSION").is_file(),
            pid=pid,
            data_dir=self.data_dir,
            version=self.binaries.version,
        )

    def start(self) -> StartResult:
        """Initialise if needed and start if not running; idempotent."""
        with self._locked():
            if self._running_pid() is not None:
                return StartResult(self.url(), "already running")
            runner = current_runner()
            binaries = reachable_binaries(self.binaries, runner)
            real = self._prepare_data_dir(runner)
            created = not (real / "PG_VERSION").is_file()
            if created:
                self._initdb(binaries, runner, real)
            else:
                _claim(real, runner)
            self._check_major(real)
            self._write_settings(runner, real)
            self._prepare_socket_dir(runner)
            log = self.log_file
            log_offset = log.stat().st_size if log.is_file() else 0
            result = runner.run(
                [binaries.path("pg_ctl"), "start", "--wait", f"--timeout={START_TIMEOUT_S}",
                 "--silent", "-D", real, "-l", log],
                # The server outlives pgmt; keep it out of our terminal's signals (Ctrl-C).
                start_new_session=True,
            )
            if result.returncode != 0:
                raise ClusterError(
                    f"PostgreSQL {self.binaries.version} failed to start in {self.data_dir}: "
                    f"{_server_complaint(result.stderr, log, log_offset)}",
                    hint=f"see {log}; if the data is corrupt, `pgmt db stop` and delete "
                    f"{self.data_dir}",
                )
            return StartResult(self.url(), "created" if created else "started")

    def stop(self) -> bool:
        """Stop the server (fast shutdown); False if it was not running."""
        with self._locked():
            if self._running_pid() is None:
                return False
            runner = current_runner()
            binaries = reachable_binaries(self.binaries, runner)
            real = self._real_data_dir()
            result = runner.run([binaries.path("pg_ctl"), "stop", "--wait", "--silent",
                                 "-m", "fast", "-D", real])
            if result.returncode != 0 and self._running_pid() is not None:
                raise ClusterError(
                    f"could not stop the PostgreSQL in {self.data_dir}: "
                    f"{_server_complaint(result.stderr)}",
                    hint=f"see {self.log_file}; the server's pid is in {real}/postmaster.pid",
                )
            socket_dir = self.socket_dir
            if socket_dir != real:
                # Leave no empty directories behind in /tmp; start makes it again.
                with contextlib.suppress(OSError):
                    socket_dir.rmdir()
            return True

    # -- internals -------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        lock_path = self.state_dir / f"pg{self.binaries.major}.lock"
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _real_data_dir(self) -> Path:
        return self.data_dir.resolve() if self.data_dir.is_symlink() else self.data_dir

    def _running_pid(self) -> int | None:
        """The postmaster's pid if it is alive and says it is ready (as pg_ctl status does)."""
        try:
            lines = (self._real_data_dir() / "postmaster.pid").read_text().splitlines()
            pid = int(lines[0])
        except (OSError, ValueError, IndexError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None  # stale file from a crash or reboot; pg_ctl start cleans it up
        except PermissionError:
            pass  # alive, owned by the service user
        # Line 8 is the postmaster status: "ready", "starting" or "stopping".
        return pid if len(lines) >= 8 and lines[7].strip() == "ready" else None

    def _prepare_data_dir(self, runner: RunAs) -> Path:
        """Where the data lives, made reachable for the service user."""
        if self.data_dir.is_symlink() or not runner.switch:
            return self._real_data_dir()
        if runner.can_reach(self.state_dir):
            return self.data_dir
        # The project sits where the service user cannot go (e.g. under /root): keep the data
        # under /var/lib/pgmt and point .pgmt/pg<major> at it.
        digest = hashlib.sha256(os.fsencode(self.data_dir)).hexdigest()[:16]
        real = ROOT_STATE_DIR / "clusters" / digest / self.data_dir.name
        real.parent.mkdir(parents=True, exist_ok=True)
        for parent in (ROOT_STATE_DIR, real.parent.parent, real.parent):
            os.chmod(parent, 0o755)
        self.data_dir.symlink_to(real, target_is_directory=True)
        return real

    def _initdb(self, binaries: PgBinaries, runner: RunAs, real: Path) -> None:
        # initdb into a sibling and rename, so an interrupted init never looks initialised.
        staging = real.with_name(real.name + ".initdb")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=0o700, parents=True)
        runner.own(staging)
        result = runner.run([
            binaries.path("initdb"), "-D", staging, "-U", SUPERUSER, "--encoding=UTF8",
            "--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
            "--no-instructions",
        ])
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            raise ClusterError(
                f"initdb failed for {self.data_dir}: {_server_complaint(result.stderr)}",
                hint=f"check that user {runner.name} can write to {real.parent}",
            )
        with open(staging / "postgresql.conf", "a") as conf:
            conf.write("\n# Settings managed by pgmt, rewritten at every start.\n"
                       "include_if_exists = 'pgmt.conf'\n")
        if real.exists():
            real.rmdir()  # an empty leftover; a non-empty one fails loudly here
        staging.rename(real)

    def _check_major(self, real: Path) -> None:
        found = (real / "PG_VERSION").read_text().strip()
        if found != str(self.binaries.major):
            raise ClusterError(
                f"{self.data_dir} holds a PostgreSQL {found} cluster, but the binaries in "
                f"{self.bindir} are PostgreSQL {self.binaries.version}",
                hint=f"set PGMT_PG_BINDIR to PostgreSQL {found} binaries, "
                f"or delete {self.data_dir}",
            )

    def _write_settings(self, runner: RunAs, real: Path) -> None:
        settings = {**self.settings, "unix_socket_directories": str(self.socket_dir)}
        text = "".join(f"{k} = '{v.replace(chr(39), chr(39) * 2)}'\n" for k, v in settings.items())
        path = real / "pgmt.conf"
        path.write_text(text)
        runner.own(path)

    def _prepare_socket_dir(self, runner: RunAs) -> None:
        socket_dir = self.socket_dir
        if socket_dir == self._real_data_dir():
            return
        socket_dir.mkdir(mode=0o700, exist_ok=True)
        runner.own(socket_dir)
        if socket_dir.stat().st_uid != runner.uid:  # someone else planted it in /tmp
            raise ClusterError(
                f"socket directory {socket_dir} belongs to another user",
                hint=f"remove {socket_dir}, then run `pgmt db start` again",
            )


def _claim(data_dir: Path, runner: RunAs) -> None:
    """Give an existing data directory back to the service user when someone else owns it:
    a project copied or restored by root, or moved to a machine where `pgmt` has another
    uid. The server refuses to start otherwise, and the cluster is pgmt's own."""
    if runner.switch and data_dir.stat().st_uid != runner.uid:
        chown_tree(data_dir, runner.uid, runner.gid)


def _server_complaint(stderr: str, log: Path | None = None, offset: int = 0) -> str:
    """The most telling line: the server's FATAL/ERROR from this attempt, else pg_ctl's."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if log is not None and log.is_file():
        with open(log, "rb") as f:
            f.seek(offset)
            logged = f.read().decode(errors="replace").splitlines()
        lines += [line.strip() for line in logged if "FATAL" in line or "ERROR" in line]
    return lines[-1] if lines else "no output"
