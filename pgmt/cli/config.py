"""The project configuration: `pgmt.yaml`, then `PGMT_*` environment variables, then flags.

    databases:
      dev_url: postgresql://localhost/app_dev   # default: <project>_dev on the local cluster
      target_url: postgresql://db.example.com/app
      shadow:
        url: postgresql://localhost/postgres    # default: the local cluster
    directories:
      schema_dir: schema
      migrations_dir: migrations
    objects:
      include: {schemas: [public, app], tables: ["*"]}
      exclude: {schemas: [scratch], tables: ["tmp_*"]}

Keys follow the Rust pgmt's where the two overlap. Every key is optional, an empty value
means "not set", and an unknown key is an error naming the key and its line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import msgspec
import msgspec.yaml
import yaml

from pgmt.catalog import model as m
from pgmt.cli.names import split_qualified, unquote
from pgmt.errors import ConfigError

CONFIG_FILE = "pgmt.yaml"
DEV_URL_ENV = "PGMT_DEV_URL"
SHADOW_URL_ENV = "PGMT_SHADOW_URL"
TARGET_URL_ENV = "PGMT_TARGET_URL"


class _Section(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    pass


class Shadow(_Section):
    url: str | None = None  # a server whose user may CREATE DATABASE; default: local cluster


class Databases(_Section):
    dev_url: str | None = None
    target_url: str | None = None
    shadow: Shadow = Shadow()


class Directories(_Section):
    schema_dir: str = "schema"
    migrations_dir: str = "migrations"


class ObjectPatterns(_Section):
    schemas: list[str] = []  # globs on schema names
    tables: list[str] = []  # globs on table (and view) names, without the schema


class Objects(_Section):
    include: ObjectPatterns = ObjectPatterns()
    exclude: ObjectPatterns = ObjectPatterns()


class ConfigFile(_Section):
    databases: Databases = Databases()
    directories: Directories = Directories()
    objects: Objects = Objects()


@dataclass(frozen=True)
class Config:
    """The resolved configuration of one project: file, environment and flags merged."""

    project_dir: Path
    file: ConfigFile
    dev_url: str | None
    shadow_url: str | None
    target_url: str | None

    @property
    def schema_dir(self) -> Path:
        return self.project_dir / self.file.directories.schema_dir

    @property
    def migrations_dir(self) -> Path:
        return self.project_dir / self.file.directories.migrations_dir

    @property
    def dev_database(self) -> str:
        """The database on the local cluster used when no dev URL is set: `<project>_dev`."""
        name = re.sub(r"[^a-z0-9_]+", "_", self.project_dir.resolve().name.lower()).strip("_")
        return f"{name or 'pgmt'}_dev"

    def filter(self, snapshot: m.Snapshot) -> m.Snapshot:
        """The snapshot with only the objects `objects.include/exclude` let pgmt manage."""
        objects = self.file.objects
        if not (objects.include.schemas or objects.include.tables
                or objects.exclude.schemas or objects.exclude.tables):
            return snapshot
        by_key = {o.key: o for o in snapshot.objects}
        kept = [o for o in snapshot.objects if self._manages(o.key, by_key)]
        return msgspec.structs.replace(snapshot, objects=kept)

    def _manages(self, key: str, by_key: dict[str, m.Object]) -> bool:
        schema, table = _place(key, by_key)
        patterns = self.file.objects
        if schema is not None:
            if patterns.include.schemas and not _matches(schema, patterns.include.schemas):
                return False
            if _matches(schema, patterns.exclude.schemas):
                return False
        if table is not None:
            if patterns.include.tables and not _matches(table, patterns.include.tables):
                return False
            if _matches(table, patterns.exclude.tables):
                return False
        return True


def load_config(
    project_dir: Path,
    *,
    dev_url: str | None = None,
    shadow_url: str | None = None,
    target_url: str | None = None,
    environ: dict[str, str] | None = None,
) -> Config:
    """Read `project_dir/pgmt.yaml` (defaults if there is none), then apply the environment
    and the flags: a flag beats `PGMT_*`, which beats the file."""
    env = os.environ if environ is None else environ
    path = project_dir / CONFIG_FILE
    file = parse_config(path.read_text(), path) if path.is_file() else ConfigFile()
    return Config(
        project_dir=project_dir,
        file=file,
        dev_url=dev_url or env.get(DEV_URL_ENV) or file.databases.dev_url,
        shadow_url=shadow_url or env.get(SHADOW_URL_ENV) or file.databases.shadow.url,
        target_url=target_url or env.get(TARGET_URL_ENV) or file.databases.target_url,
    )


def parse_config(text: str, path: Path) -> ConfigFile:
    """The config file's contents; ConfigError naming `path:line` and the key if invalid."""
    try:
        # PyYAML's composer keeps each node's line, for the errors below.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{line}: not valid YAML: {error.problem or error.context}",
                          hint="fix the YAML syntax (indentation, colons, quotes)") from None
    if root is None:
        return ConfigFile()
    data = _drop_nulls(msgspec.yaml.decode(text))
    try:
        return msgspec.convert(data, type=ConfigFile)
    except msgspec.ValidationError as error:
        raise _explain(error, root, path) from None


def _drop_nulls(value: Any) -> Any:
    """`dev_url:` with nothing after it means "not set", like leaving the key out."""
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


_AT = re.compile(r"^(?P<problem>.*?)(?: - at `\$(?P<path>[^`]*)`)?$")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<field>[^`]*)`$")


def _explain(error: msgspec.ValidationError, root: yaml.Node, path: Path) -> ConfigError:
    match = _AT.match(str(error))
    problem = match.group("problem") if match else str(error)
    keys = _path_keys(match.group("path") or "") if match else []
    unknown = _UNKNOWN.match(problem)
    if unknown:
        keys.append(unknown.group("field"))
    node, key_node = _find(root, keys)
    line = (key_node or node).start_mark.line + 1
    dotted = ".".join(keys) or "(top level)"
    if unknown:
        section = _section_type(keys[:-1])
        known = ", ".join(section.__struct_fields__) if section else ""
        return ConfigError(f"{path}:{line}: unknown key {dotted}",
                           hint=f"the keys allowed there are: {known}" if known
                           else "remove the key")
    return ConfigError(f"{path}:{line}: {dotted}: {problem.replace('`', '')}",
                       hint="see the configuration keys in the README")


def _path_keys(at: str) -> list[str]:
    """`.databases.shadow.url` or `.objects.include.schemas[0]` -> key names and indexes."""
    return [name or index for name, index in re.findall(r"\.([^.\[]+)|\[(\d+)\]", at)]


def _find(root: yaml.Node, keys: list[str]) -> tuple[yaml.Node, yaml.Node | None]:
    """The node at `keys`, and the node of its key (for mappings), as far as it exists."""
    node, key_node = root, None
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == key), None)
            if found is None:
                break
            key_node, node = found
        elif isinstance(node, yaml.SequenceNode) and key.isdigit() and int(key) < len(node.value):
            key_node, node = None, node.value[int(key)]
        else:
            break
    return node, key_node


def _section_type(keys: list[str]) -> type[msgspec.Struct] | None:
    section: Any = ConfigFile
    for key in keys:
        fields = {f.name: f for f in msgspec.structs.fields(section)}
        if key not in fields or not isinstance(fields[key].type, type):
            return None
        section = fields[key].type
    return section if isinstance(section, type) and issubclass(section, msgspec.Struct) else None


def _matches(name: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def _place(key: str, by_key: dict[str, m.Object]) -> tuple[str | None, str | None]:
    """(schema, table) an object lives in, unquoted; None where it has none."""
    obj = by_key.get(key)
    if obj is None:
        kind, _, rest = key.partition(":")
        return (unquote(rest), None) if kind == "schema" else (None, None)
    spec = obj.spec
    if isinstance(spec, m.Schema):
        return unquote(spec.name), None
    if isinstance(spec, m.Extension):
        return unquote(spec.schema), None
    if isinstance(spec, m.Comment | m.Grant | m.Ownership | m.SecurityLabel):
        return _place(spec.target, by_key)
    if isinstance(spec, m.PublicationSchema):
        return unquote(spec.schema), None
    if isinstance(spec, m.DefaultPrivilege):
        return (unquote(spec.schema) if spec.schema else None), None
    if isinstance(spec, m.SequenceOwner):
        return split_qualified(spec.table)
    # Wrappers, servers and user mappings live in no schema.
    if isinstance(spec, m.ForeignDataWrapper | m.ForeignServer | m.UserMapping):
        return None, None
    table = getattr(spec, "table", None)
    if isinstance(table, str):
        return split_qualified(table)
    name_of = getattr(spec, "name", None)
    if not isinstance(name_of, str):  # a cast, say: in no schema
        return None, None
    schema, name = split_qualified(name_of)
    if isinstance(spec, m.Table | m.View | m.MaterializedView | m.ForeignTable):
        return schema, name
    return schema, None
