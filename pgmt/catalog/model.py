"""The catalog snapshot handed to the Rust core, mirroring `rust_core/src/model.rs`.

Names are quoted by PostgreSQL itself (`format('%I.%I')`), read with an empty
`search_path` so every reference in a definition is schema-qualified. Golden
fixtures in `tests/fixtures/` are decoded by both sides so the two cannot drift.

Every struct is encoded as an array of its fields (`array_like`), a spec's tag first:
no field names to write, hash and check on the other side, a third fewer bytes, and the
core decodes a snapshot about a third faster. So fields are positional: the order here
is the order in `model.rs`.
"""

from __future__ import annotations

import msgspec


# gc=False: snapshots hold tens of thousands of these and never a reference cycle,
# so the cyclic garbage collector need not track them (it made reading 3× slower).
class _Spec(msgspec.Struct, tag_field="kind", frozen=True, gc=False, array_like=True):
    pass


class Schema(_Spec, tag="schema"):
    name: str


class Extension(_Spec, tag="extension"):
    name: str
    schema: str
    version: str
    update_targets: list[str]
    relocatable: bool


class Enum(_Spec, tag="enum"):
    name: str
    labels: list[str]


class DomainConstraint(msgspec.Struct, frozen=True, gc=False, array_like=True):
    name: str
    definition: str


class Domain(_Spec, tag="domain"):
    name: str
    base_type: str
    not_null: bool
    default: str | None
    collation: str | None
    constraints: list[DomainConstraint]


class Attribute(msgspec.Struct, frozen=True, gc=False, array_like=True):
    name: str
    data_type: str
    collation: str | None


class Composite(_Spec, tag="composite"):
    name: str
    attributes: list[Attribute]


class Range(_Spec, tag="range"):
    name: str
    subtype: str
    subtype_opclass: str | None
    collation: str | None
    canonical: str | None
    subtype_diff: str | None
    multirange: str | None


class Sequence(_Spec, tag="sequence"):
    name: str
    data_type: str
    start: int
    increment: int
    min_value: int
    max_value: int
    cache: int
    cycle: bool
    unlogged: bool


class SequenceOwner(_Spec, tag="sequence_owner"):
    sequence: str
    table: str
    column: str


class Table(_Spec, tag="table"):
    name: str
    unlogged: bool
    partition_by: str | None
    partition_of: str | None
    partition_bound: str | None
    inherits: list[str]
    options: list[str]
    rls_enabled: bool
    rls_forced: bool
    # (name, type [COLLATE c]) of each column `partition_by` uses: PostgreSQL will not
    # retype them, so the table is made again instead.
    partition_key_columns: list[tuple[str, str]] = []
    # A partition's constraints cloned from its parent's (names, foreign keys first) and
    # indexes attached to its parent's (qualified names): `DETACH` leaves them to it.
    cloned_constraints: list[str] = []
    attached_indexes: list[str] = []

class Identity(msgspec.Struct, frozen=True, gc=False, array_like=True):
    generation: str
    start: int
    increment: int
    min_value: int
    max_value: int
    cache: int
    cycle: bool


class Column(_Spec, tag="column"):
    table: str
    name: str
    data_type: str
    not_null: bool
    collation: str | None
    identity: Identity | None
    generated: str | None
    position: int
    inherited: bool
    generated_virtual: bool = False  # VIRTUAL (PostgreSQL 18) rather than STORED


class Default(_Spec, tag="default"):
    table: str
    column: str
    expression: str


class Constraint(_Spec, tag="constraint"):
    table: str
    name: str
    constraint_type: str
    definition: str


class Index(_Spec, tag="index"):
    table: str
    name: str
    definition: str


class View(_Spec, tag="view"):
    name: str
    definition: str
    options: list[str]
    columns: list[str]


class MaterializedView(_Spec, tag="materialized_view"):
    name: str
    definition: str
    options: list[str]
    with_data: bool


class Function(_Spec, tag="function"):
    name: str
    identity_arguments: str
    function_kind: str
    definition: str
    result: str | None
    arguments: str
    defaults: int = 0  # how many trailing arguments have a default
    outputs: str = ""  # OUT, INOUT and TABLE parameters: `name type, …`


class Trigger(_Spec, tag="trigger"):
    table: str
    name: str
    definition: str
    enabled: str


class Policy(_Spec, tag="policy"):
    table: str
    name: str
    permissive: bool
    command: str
    roles: list[str]
    using: str | None
    with_check: str | None


class Comment(_Spec, tag="comment"):
    # The key of the object commented on; for what has no key of its own (a domain's
    # constraint), how COMMENT ON names it.
    target: str
    text: str


class Grant(_Spec, tag="grant"):
    target: str
    grantee: str
    privilege: str
    grantable: bool
    revoked: bool


class DefaultPrivilege(_Spec, tag="default_privilege"):
    role: str
    schema: str | None
    object_type: str
    grantee: str
    privilege: str
    grantable: bool
    revoked: bool


class Aggregate(_Spec, tag="aggregate"):
    name: str
    identity_arguments: str
    arguments: str
    result: str
    aggregate_kind: str
    options: str


class Collation(_Spec, tag="collation"):
    name: str
    provider: str
    locale: str | None
    lc_collate: str | None
    lc_ctype: str | None
    deterministic: bool
    rules: str | None


class Ownership(_Spec, tag="ownership"):
    target: str
    role: str


class Rule(_Spec, tag="rule"):
    table: str
    name: str
    definition: str
    enabled: str


class EventTrigger(_Spec, tag="event_trigger"):
    name: str
    event: str
    tags: list[str]
    function: str
    enabled: str


class Publication(_Spec, tag="publication"):
    name: str
    all_tables: bool
    options: list[str]


class PublicationTable(_Spec, tag="publication_table"):
    publication: str
    table: str
    columns: list[str]
    row_filter: str | None


class PublicationSchema(_Spec, tag="publication_schema"):
    publication: str
    schema: str


class Statistics(_Spec, tag="statistics"):
    name: str
    table: str
    definition: str
    target: int | None


class Cast(_Spec, tag="cast"):
    source: str
    target: str
    function: str | None
    method: str
    context: str


class TextSearchParser(_Spec, tag="text_search_parser"):
    name: str
    start: str
    token: str
    end: str
    headline: str | None
    lextypes: str


class TextSearchTemplate(_Spec, tag="text_search_template"):
    name: str
    init: str | None
    lexize: str


class TextSearchDictionary(_Spec, tag="text_search_dictionary"):
    name: str
    template: str
    options: str | None


class TextSearchConfiguration(_Spec, tag="text_search_configuration"):
    name: str
    parser: str
    mappings: list[str]


# What the snapshot holds instead of an option value that looks like a secret; the
# catalog query masks it, so the value never reaches pgmt (see model.rs).
SECRET_PLACEHOLDER = "'<secret: fill in>'"


class ForeignDataWrapper(_Spec, tag="foreign_data_wrapper"):
    name: str
    handler: str | None
    validator: str | None
    options: list[str]


class ForeignServer(_Spec, tag="foreign_server"):
    name: str
    wrapper: str
    server_type: str | None
    version: str | None
    options: list[str]


class UserMapping(_Spec, tag="user_mapping"):
    server: str
    role: str
    options: list[str]


class ForeignTable(_Spec, tag="foreign_table"):
    name: str
    server: str
    options: list[str]


class Operator(_Spec, tag="operator"):
    name: str
    left: str | None
    right: str
    function: str
    commutator: str | None
    negator: str | None
    restrict: str | None
    join: str | None
    hashes: bool
    merges: bool


class OperatorMember(msgspec.Struct, frozen=True, gc=False, array_like=True):
    kind: str
    number: int
    left: str
    right: str
    target: str
    order_by: str | None


class OperatorFamily(_Spec, tag="operator_family"):
    name: str
    method: str
    members: list[OperatorMember]


class OperatorClass(_Spec, tag="operator_class"):
    name: str
    method: str
    data_type: str
    default: bool
    family: str
    storage: str | None
    members: list[OperatorMember]


class SecurityLabel(_Spec, tag="security_label"):
    target: str
    provider: str
    label: str


class ColumnOptions(_Spec, tag="column_options"):
    """`OPTIONS (…)` of one column of a foreign table, owned by the column."""

    table: str
    column: str
    options: list[str]


class ReplicaIdentity(_Spec, tag="replica_identity"):
    """`ALTER TABLE … REPLICA IDENTITY` other than the default, owned by the table:
    `FULL`, `NOTHING` or `USING INDEX name`."""

    table: str
    identity: str


class ColumnSettings(_Spec, tag="column_settings"):
    """What `ALTER COLUMN … SET STATISTICS / STORAGE / COMPRESSION` changed from the
    defaults of one column, owned by the column; `type_storage` is the default storage
    to go back to."""

    table: str
    column: str
    statistics: int | None
    storage: str | None
    type_storage: str
    compression: str | None


class TypedTable(_Spec, tag="typed_table"):
    """`CREATE TABLE table OF of_type`: the binding, owned by the table."""

    table: str
    of_type: str
    columns: list[str]


class BaseType(_Spec, tag="base_type"):
    name: str
    input: str
    output: str
    receive: str | None
    send: str | None
    typmod_in: str | None
    typmod_out: str | None
    analyze: str | None
    subscript: str | None
    internal_length: int
    passed_by_value: bool
    alignment: str
    storage: str
    category: str
    preferred: bool
    default: str | None
    element: str | None
    delimiter: str
    collatable: bool


class ShellType(_Spec, tag="shell_type"):
    name: str


Spec = (
    Schema | Extension | Enum | Domain | Composite | Range | Sequence | SequenceOwner | Table
    | Column | Default | Constraint | Index | View | MaterializedView | Function | Trigger
    | Policy | Comment | Grant | DefaultPrivilege | Aggregate | Collation | Ownership | Rule
    | EventTrigger | Publication | PublicationTable | PublicationSchema | Statistics | Cast
    | TextSearchParser | TextSearchTemplate | TextSearchDictionary | TextSearchConfiguration
    | ForeignDataWrapper | ForeignServer | UserMapping | ForeignTable | Operator
    | OperatorFamily | OperatorClass | SecurityLabel | ColumnOptions | TypedTable | BaseType
    | ShellType | ReplicaIdentity | ColumnSettings
)


class Object(msgspec.Struct, frozen=True, gc=False, array_like=True):
    key: str
    owner: str | None
    # A tuple, not a list: tuples of strings leave the cyclic GC's care after its first
    # look, and a snapshot has tens of thousands of these.
    deps: tuple[str, ...]
    spec: Spec


class Snapshot(msgspec.Struct, frozen=True, gc=False, array_like=True):
    server_version: int
    objects: list[Object]
    # The role the snapshot was read as (quoted), which creates what a plan creates:
    # its default privileges apply to them. Empty when unknown.
    role: str = ""


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(Snapshot)


def encode(snapshot: Snapshot) -> bytes:
    return _encoder.encode(snapshot)


def decode(data: bytes) -> Snapshot:
    return _decoder.decode(data)
