"""A database's schema as schema files: one file per object, a folder per kind.

The SQL is the engine's: the plan from a new, empty database to the source gives each
object's CREATE statement in the server's own words (pg_get_viewdef, pg_get_functiondef...)
in an order that builds. Steps are grouped by the top-level object they belong to:

    tables/users.sql        CREATE TABLE + its indexes, constraints, triggers, policies,
                            comments and grants (serial sequences too)
    views/active_users.sql  materialized_views/..., functions/..., types/..., sequences/...,
    schemas/app.sql         extensions/...; objects outside `public` are `app.name.sql`

A file that needs another starts with `-- require:` lines, so the files build in any
layout. When two files would need each other (tables whose foreign keys point at each
other), the step closing the loop moves to a second file, `tables/users.part2.sql`.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pgmt.catalog import model as m
from pgmt.cli.names import split_qualified
from pgmt.engine import Plan

_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_REQUIRE_WIDTH = 100


def export_files(source: m.Snapshot, plan: Plan) -> dict[str, str]:
    """{path relative to the schema folder: text}, for `plan` (empty database -> source)."""
    return _Exporter(source).run(plan)


class _Exporter:
    def __init__(self, source: m.Snapshot) -> None:
        self.objects = {o.key: o for o in source.objects}
        self.owned_sequences = {
            o.spec.sequence: o.spec.table for o in source.objects
            if isinstance(o.spec, m.SequenceOwner)
        }
        self.names: dict[str, str] = {}  # natural file name of a key's top-level object
        self.taken: dict[str, str] = {}  # lower-cased file name -> the top-level key using it
        self.file_of: dict[str, str] = {}  # key -> the file its first step went to
        self.requires: dict[str, set[str]] = defaultdict(set)
        self.statements: dict[str, list[str]] = defaultdict(list)
        self.parts: dict[str, list[str]] = defaultdict(list)  # natural file -> its .partN files

    def run(self, plan: Plan) -> dict[str, str]:
        step_keys = {step.object_key for step in plan.steps}
        attached: dict[str, set[str]] = defaultdict(set)  # step key -> objects inlined in it
        for key, obj in self.objects.items():
            if key not in step_keys:
                owner = self._owner(key, obj)
                if owner in step_keys:
                    attached[owner].add(key)
        for step in plan.steps:
            key = step.object_key
            deps = set(self._deps(key))
            for inner in attached.get(key, ()):
                deps.update(self._deps(inner))
            needed = {self.file_of[d] for d in deps if d in self.file_of}
            file = self._place(self._natural(key), needed)
            self.requires[file].update(needed - {file})
            self.statements[file].append(step.sql)
            for placed in (key, *attached.get(key, ())):
                self.file_of.setdefault(placed, file)
        return {file: self._text(file) for file in sorted(self.statements)}

    def _deps(self, key: str) -> list[str]:
        obj = self.objects.get(key)
        return obj.deps if obj else []

    def _place(self, natural: str, needed: set[str]) -> str:
        """`natural`, unless requiring `needed` from it would close a loop of requires."""
        for file in (natural, *self.parts[natural]):
            if not any(self._reaches(other, file) for other in needed if other != file):
                return file
        stem = natural.removesuffix(".sql")
        part = f"{stem}.part{len(self.parts[natural]) + 2}.sql"
        self.parts[natural].append(part)
        return part

    def _reaches(self, start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            file = todo.pop()
            if file == goal:
                return True
            if file not in seen:
                seen.add(file)
                todo.extend(self.requires.get(file, ()))
        return False

    def _text(self, file: str) -> str:
        header = ""
        line = ""
        for target in sorted(self.requires[file]):
            if line and len(line) + len(target) + 2 > _REQUIRE_WIDTH:
                header += line + "\n"
                line = ""
            line = f"{line}, {target}" if line else f"-- require: {target}"
        if line:
            header += line + "\n\n"
        return header + "".join(f"{statement.strip()};\n\n"
                                for statement in self.statements[file]).rstrip("\n") + "\n"

    # -- which top-level object, and which file ----------------------------------------------

    def _owner(self, key: str, obj: m.Object | None) -> str:
        """The key of the top-level object `key` belongs to (itself if it is one)."""
        spec = obj.spec if obj else None
        if isinstance(spec, m.Comment | m.Grant | m.SecurityLabel):
            # What has no key of its own (a domain's constraint) is named, not keyed: its
            # comment goes where its owner goes.
            target = spec.target if spec.target in self.objects or obj is None \
                or obj.owner is None else obj.owner
            return self._owner(target, self.objects.get(target))
        if isinstance(spec, m.SequenceOwner):
            return self._relation(spec.table)
        if isinstance(spec, m.UserMapping):  # in its server's file
            return f"foreign_server:{spec.server}"
        # A base type's shell and the I/O functions naming it, in the type's file
        # (shell, functions, definition: the order it builds in).
        if isinstance(spec, m.ShellType | m.Function) and obj and obj.owner:
            return self._owner(obj.owner, self.objects.get(obj.owner))
        if isinstance(spec, m.Sequence) and spec.name in self.owned_sequences:
            return self._relation(self.owned_sequences[spec.name])
        table = getattr(spec, "table", None)
        if isinstance(table, str):
            return self._relation(table)
        return key

    def _relation(self, name: str) -> str:
        for kind in ("table", "view", "materialized_view", "foreign_table"):
            if f"{kind}:{name}" in self.objects:
                return f"{kind}:{name}"
        return f"table:{name}"

    def _natural(self, key: str) -> str:
        owner = self._owner(key, self.objects.get(key))
        if owner not in self.names:
            self.names[owner] = self._name(owner)
        return self.names[owner]

    def _name(self, owner: str) -> str:
        obj = self.objects.get(owner)
        spec = obj.spec if obj else None
        kind, _, rest = owner.partition(":")
        if isinstance(spec, m.Schema):
            folder, name = "schemas", spec.name
        elif isinstance(spec, m.Extension):
            folder, name = "extensions", spec.name
        elif isinstance(spec, m.Enum | m.Domain | m.Composite | m.Range | m.BaseType
                        | m.ShellType):
            folder, name = "types", _short(spec.name)
        elif isinstance(spec, m.Function):
            folder, name = "functions", _short(spec.name)
        elif isinstance(spec, m.Sequence):
            folder, name = "sequences", _short(spec.name)
        elif isinstance(spec, m.View):
            folder, name = "views", _short(spec.name)
        elif isinstance(spec, m.MaterializedView):
            folder, name = "materialized_views", _short(spec.name)
        elif isinstance(spec, m.Table) or kind == "table":
            folder, name = "tables", _short(getattr(spec, "name", rest))
        elif isinstance(spec, m.Operator):  # named after its function: symbols make poor files
            folder, name = "operators", _short(spec.function)
        elif isinstance(spec, m.OperatorFamily):
            folder, name = "operators", f"{_short(spec.name)}_family"
        elif isinstance(spec, m.OperatorClass):
            folder, name = "operators", f"{_short(spec.name)}_class"
        elif isinstance(spec, m.ForeignTable):
            folder, name = "foreign_tables", _short(spec.name)
        elif isinstance(spec, m.ForeignServer):
            folder, name = "foreign_servers", spec.name
        elif isinstance(spec, m.ForeignDataWrapper):
            folder, name = "foreign_data_wrappers", spec.name
        elif isinstance(spec, m.DefaultPrivilege):
            folder, name = "privileges", "default_privileges"
        else:
            folder, name = "other", rest or kind
        base = f"{folder}/{_UNSAFE_CHARS.sub('_', name).strip('._') or 'unnamed'}"
        path, n = f"{base}.sql", 1
        # Two names that differ only in case (or in unsafe characters) get their own files.
        while self.taken.setdefault(path.lower(), owner) != owner:
            n += 1
            path = f"{base}_{n}.sql"
        return path


def _short(qualified: str) -> str:
    """`public.users` -> `users`; `app."Order Items"` -> `app.Order Items` (made safe later)."""
    schema, name = split_qualified(qualified)
    return name if schema in ("public", "") else f"{schema}.{name}"
