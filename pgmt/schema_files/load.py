"""Finding schema files and reading their `-- require:` headers.

A schema is a folder (every `.sql` file below it, in sorted path order) or one file.
A file's header (its leading comment and blank lines) may pin an order:

    -- require: tables/users.sql, types/status.sql

Paths are relative to the schema root, or else to the requiring file's folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pgmt.errors import SchemaFileError

_REQUIRE = re.compile(r"^--\s*require:\s*(?P<targets>.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Require:
    """One `-- require:` target: the file it names, and the line that names it."""

    target: str  # relative to the schema root, posix separators
    line: int


@dataclass(frozen=True)
class SchemaFile:
    """One schema file: `name` is its path relative to the schema root (posix separators)."""

    name: str
    path: Path
    text: str
    requires: list[Require] = field(default_factory=list)


def load_schema(path: Path) -> list[SchemaFile]:
    """The schema's files in build-candidate order (sorted by name), headers resolved.

    SchemaFileError if the path does not exist, a file is not UTF-8, or a require names a
    file that is not part of the schema.
    """
    if path.is_dir():
        root = path
        paths = sorted((p for p in path.rglob("*.sql") if p.is_file()),
                       key=lambda p: p.relative_to(root).parts)
    elif path.is_file():
        root = path.parent
        paths = [path]
    else:
        raise SchemaFileError(f"{path}: no such file or folder",
                              hint="pass a folder of .sql files, a .sql file, or a PostgreSQL URL")
    names = {p: p.relative_to(root).as_posix() for p in paths}
    known = set(names.values())
    files = []
    for p in paths:
        text = _read(p)
        requires = [
            Require(_resolve(target, names[p], known, p, line), line)
            for line, target in _header_requires(text)
        ]
        files.append(SchemaFile(names[p], p, text, requires))
    return files


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise SchemaFileError(f"{path}:{line}: not valid UTF-8 ({error.reason})",
                              hint="save the file as UTF-8") from None
    except OSError as error:
        raise SchemaFileError(f"{path}: cannot read: {error.strerror}",
                              hint="check the file's permissions") from None


def _header_requires(text: str) -> list[tuple[int, str]]:
    """(line, target) for each `-- require:` target in the leading comment block."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("--"):
            break
        match = _REQUIRE.match(stripped)
        if match:
            targets = (t.strip() for t in match.group("targets").split(","))
            found += [(number, t) for t in targets if t]
    return found


def _resolve(target: str, requirer: str, known: set[str], path: Path, line: int) -> str:
    """The schema name `target` means: relative to the root first, then to the requirer."""
    candidates = [_normalise(PurePosixPath(target)),
                  _normalise(PurePosixPath(requirer).parent / target)]
    for candidate in candidates:
        if candidate in known:
            return candidate
    raise SchemaFileError(
        f"{path}:{line}: requires {target}, which is not among the schema files",
        hint="fix the path (relative to the schema folder, or to this file), "
        "or pass the whole schema folder rather than one file",
    )


def _normalise(path: PurePosixPath) -> str:
    """`a/./b/../c.sql` -> `a/c.sql`; paths escaping the root keep their `..` and match nothing."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append(part)
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)
