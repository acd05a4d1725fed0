//! The catalog snapshot: what Python reads from PostgreSQL and hands over as msgpack.
//!
//! Mirrors `pgmt/catalog/model.py` field for field, in the same order: every struct is
//! encoded as an array of its fields (msgspec's `array_like`, rmp's compact encoding).
//! Golden fixtures in `tests/fixtures/` are round-tripped by both test suites so the two
//! cannot drift.
//! Names arrive already quoted by PostgreSQL (`format('%I.%I')`), so SQL built
//! from them needs no further quoting of identifiers.

use serde::de::value::SeqAccessDeserializer;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    /// `server_version_num` of the server the snapshot was read from.
    pub server_version: i32,
    #[serde(deserialize_with = "objects_presized")]
    pub objects: Vec<Object>,
    /// The role the snapshot was read as (quoted), which creates what a plan creates:
    /// its default privileges apply to them. Empty when unknown.
    #[serde(default)]
    pub role: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Object {
    /// Identity: `<kind>:<qualified name>`, unique within a snapshot.
    pub key: String,
    /// The object whose DROP takes this one with it (a column's table).
    pub owner: Option<String>,
    /// Keys of the objects this one depends on, from `pg_depend` (owner included).
    pub deps: Vec<String>,
    pub spec: Spec,
}

/// Declares `Spec` and its decoding. A spec is encoded as an array, its `kind` tag
/// first and then its fields in order (msgspec's `array_like`, serde's internally tagged
/// enum under rmp's compact encoding), so the variant is known before its fields are
/// read and nothing is buffered, unlike serde's generic internally tagged enums.
macro_rules! specs {
    ($($variant:ident($ty:ty) = $tag:literal,)*) => {
        #[derive(Serialize, Debug, Clone, PartialEq)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum Spec {
            $($variant($ty),)*
        }

        const KINDS: &[&str] = &[$($tag),*];

        impl<'de> Deserialize<'de> for Spec {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_seq(SpecVisitor)
            }
        }

        struct SpecVisitor;

        impl<'de> Visitor<'de> for SpecVisitor {
            type Value = Spec;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array whose first element is the spec's kind")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Spec, A::Error> {
                let kind: Kind = match seq.next_element()? {
                    Some(kind) => kind,
                    None => return Err(de::Error::invalid_length(0, &self)),
                };
                let fields = SeqAccessDeserializer::new(seq);
                Ok(match kind.0.as_ref() {
                    $($tag => Spec::$variant(<$ty>::deserialize(fields)?),)*
                    other => return Err(de::Error::unknown_variant(other, KINDS)),
                })
            }
        }
    };
}

specs! {
    Schema(Schema) = "schema",
    Extension(Extension) = "extension",
    Enum(EnumType) = "enum",
    Domain(Domain) = "domain",
    Composite(Composite) = "composite",
    Range(Range) = "range",
    Sequence(Sequence) = "sequence",
    SequenceOwner(SequenceOwner) = "sequence_owner",
    Table(Table) = "table",
    Column(Column) = "column",
    Default(ColumnDefault) = "default",
    Constraint(Constraint) = "constraint",
    Index(Index) = "index",
    View(View) = "view",
    MaterializedView(MaterializedView) = "materialized_view",
    Function(Function) = "function",
    Trigger(Trigger) = "trigger",
    Policy(Policy) = "policy",
    Comment(Comment) = "comment",
    Grant(Grant) = "grant",
    DefaultPrivilege(DefaultPrivilege) = "default_privilege",
    Aggregate(Aggregate) = "aggregate",
    Collation(Collation) = "collation",
    Ownership(Ownership) = "ownership",
    Rule(Rule) = "rule",
    EventTrigger(EventTrigger) = "event_trigger",
    Publication(Publication) = "publication",
    PublicationTable(PublicationTable) = "publication_table",
    PublicationSchema(PublicationSchema) = "publication_schema",
    Statistics(Statistics) = "statistics",
    Cast(Cast) = "cast",
    TextSearchParser(TextSearchParser) = "text_search_parser",
    TextSearchTemplate(TextSearchTemplate) = "text_search_template",
    TextSearchDictionary(TextSearchDictionary) = "text_search_dictionary",
    TextSearchConfiguration(TextSearchConfiguration) = "text_search_configuration",
    ForeignDataWrapper(ForeignDataWrapper) = "foreign_data_wrapper",
    ForeignServer(ForeignServer) = "foreign_server",
    UserMapping(UserMapping) = "user_mapping",
    ForeignTable(ForeignTable) = "foreign_table",
    Operator(Operator) = "operator",
    OperatorFamily(OperatorFamily) = "operator_family",
    OperatorClass(OperatorClass) = "operator_class",
    SecurityLabel(SecurityLabel) = "security_label",
    ColumnOptions(ColumnOptions) = "column_options",
    TypedTable(TypedTable) = "typed_table",
    // Boxed: twice the size of any other spec, it would make every object as large.
    BaseType(Box<BaseType>) = "base_type",
    ShellType(ShellType) = "shell_type",
    ReplicaIdentity(ReplicaIdentity) = "replica_identity",
    ColumnSettings(ColumnSettings) = "column_settings",
}

/// A spec's tag, borrowed from the encoded bytes when the decoder can lend them.
#[derive(Deserialize)]
#[serde(transparent)]
struct Kind<'a>(#[serde(borrow)] std::borrow::Cow<'a, str>);

/// How many objects a snapshot's vector is sized for at most, before any is decoded: the
/// array's length is the encoder's claim, trusted only as far as memory is cheap.
pub(crate) const MAX_PRESIZED_OBJECTS: usize = 1 << 20;

/// The snapshot's objects, in a vector sized once from the array's length: serde's own
/// `Vec` grows from a cautious guess, copying tens of thousands of objects each time.
fn objects_presized<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Object>, D::Error> {
    struct Objects;
    impl<'de> Visitor<'de> for Objects {
        type Value = Vec<Object>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of objects")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Object>, A::Error> {
            let mut objects =
                Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_PRESIZED_OBJECTS));
            while let Some(object) = seq.next_element()? {
                objects.push(object);
            }
            Ok(objects)
        }
    }
    deserializer.deserialize_seq(Objects)
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Schema {
    pub name: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Extension {
    pub name: String,
    pub schema: String,
    pub version: String,
    /// Versions the installed one has an update path to (`pg_extension_update_paths`);
    /// any other version means dropping the extension and creating it again.
    pub update_targets: Vec<String>,
    /// Whether `ALTER EXTENSION … SET SCHEMA` can move it.
    pub relocatable: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct EnumType {
    pub name: String,
    pub labels: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct DomainConstraint {
    pub name: String,
    /// `pg_get_constraintdef`, e.g. `CHECK (VALUE > 0)`, with `NOT VALID` when unvalidated.
    pub definition: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Domain {
    pub name: String,
    pub base_type: String,
    pub not_null: bool,
    pub default: Option<String>,
    pub collation: Option<String>,
    pub constraints: Vec<DomainConstraint>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub data_type: String,
    pub collation: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Composite {
    pub name: String,
    pub attributes: Vec<Attribute>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Range {
    pub name: String,
    pub subtype: String,
    pub subtype_opclass: Option<String>,
    pub collation: Option<String>,
    pub canonical: Option<String>,
    pub subtype_diff: Option<String>,
    pub multirange: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Sequence {
    pub name: String,
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
    pub unlogged: bool,
}

/// `ALTER SEQUENCE … OWNED BY table.column`, apart from the sequence because the
/// sequence must exist before the column's default and the column before this.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct SequenceOwner {
    pub sequence: String,
    pub table: String,
    pub column: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub unlogged: bool,
    /// `pg_get_partkeydef`, e.g. `RANGE (created_at)`, for a partitioned table.
    pub partition_by: Option<String>,
    /// The parent of a partition.
    pub partition_of: Option<String>,
    /// `pg_get_expr(relpartbound)`, e.g. `FOR VALUES FROM (…) TO (…)`.
    pub partition_bound: Option<String>,
    pub inherits: Vec<String>,
    pub options: Vec<String>,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    /// (name, type [COLLATE c]) of each column `partition_by` uses, plainly or in an
    /// expression: PostgreSQL will not retype them, so the table is made again instead.
    #[serde(default)]
    pub partition_key_columns: Vec<(String, String)>,
    /// A partition's constraints cloned from its parent's (names, foreign keys first) and
    /// indexes attached to its parent's (qualified names): `DETACH` leaves them to it.
    #[serde(default)]
    pub cloned_constraints: Vec<String>,
    #[serde(default)]
    pub attached_indexes: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Identity {
    /// `ALWAYS` or `BY DEFAULT`.
    pub generation: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Column {
    pub table: String,
    pub name: String,
    pub data_type: String,
    pub not_null: bool,
    pub collation: Option<String>,
    pub identity: Option<Identity>,
    /// The expression of a `GENERATED ALWAYS AS (…)` column.
    pub generated: Option<String>,
    /// Ordinal position: orders `CREATE TABLE`, never a difference by itself.
    pub position: i32,
    /// Comes from a parent (a partition's columns, inherited ones): created, altered
    /// and dropped through the parent, never by statements of its own.
    pub inherited: bool,
    /// A generated column computed when read (`VIRTUAL`, PostgreSQL 18) rather than
    /// stored.
    pub generated_virtual: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ColumnDefault {
    pub table: String,
    pub column: String,
    pub expression: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Constraint {
    pub table: String,
    pub name: String,
    /// `pg_constraint.contype`: p, u, f, c, x (t for constraint triggers is a trigger).
    pub constraint_type: String,
    /// `pg_get_constraintdef`, including `NOT VALID` and `DEFERRABLE`.
    pub definition: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Index {
    pub table: String,
    pub name: String,
    /// `pg_get_indexdef`.
    pub definition: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct View {
    pub name: String,
    /// `pg_get_viewdef`.
    pub definition: String,
    pub options: Vec<String>,
    /// `name type` of each output column: `CREATE OR REPLACE VIEW` may only append.
    pub columns: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct MaterializedView {
    pub name: String,
    pub definition: String,
    pub options: Vec<String>,
    pub with_data: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Function {
    /// Qualified name without arguments.
    pub name: String,
    /// `pg_get_function_identity_arguments`.
    pub identity_arguments: String,
    /// `f` function, `p` procedure, `w` window function.
    pub function_kind: String,
    /// `pg_get_functiondef`: a complete `CREATE OR REPLACE` statement.
    pub definition: String,
    /// `pg_get_function_result`; `None` for procedures.
    pub result: Option<String>,
    /// `pg_get_function_arguments`: names, modes and defaults.
    pub arguments: String,
    /// How many trailing arguments have a default: `OR REPLACE` may not remove one.
    pub defaults: i16,
    /// The OUT, INOUT and TABLE parameters, `name type, …`: `OR REPLACE` may not change
    /// the row type they make.
    pub outputs: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Trigger {
    pub table: String,
    pub name: String,
    /// `pg_get_triggerdef`.
    pub definition: String,
    /// `pg_trigger.tgenabled`: O origin, D disabled, R replica, A always.
    pub enabled: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Policy {
    pub table: String,
    pub name: String,
    pub permissive: bool,
    /// ALL, SELECT, INSERT, UPDATE or DELETE.
    pub command: String,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Comment {
    /// Key of the object commented on; for what has no key of its own (a domain's
    /// constraint), how `COMMENT ON` names it.
    pub target: String,
    pub text: String,
}

/// One privilege that differs from what PostgreSQL gives an object by default:
/// a grant beyond the default ACL, or (`revoked`) a default privilege taken away.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Grant {
    pub target: String,
    /// A quoted role name, or `PUBLIC`.
    pub grantee: String,
    pub privilege: String,
    pub grantable: bool,
    pub revoked: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct DefaultPrivilege {
    pub role: String,
    pub schema: Option<String>,
    /// TABLES, SEQUENCES, FUNCTIONS, TYPES or SCHEMAS.
    pub object_type: String,
    pub grantee: String,
    pub privilege: String,
    pub grantable: bool,
    pub revoked: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// Qualified name without arguments.
    pub name: String,
    /// `pg_get_function_identity_arguments`, `ORDER BY` included for ordered-set ones.
    pub identity_arguments: String,
    /// `pg_get_function_arguments`: with names, which `OR REPLACE` cannot change.
    pub arguments: String,
    pub result: String,
    /// `pg_aggregate.aggkind`: n normal, o ordered-set, h hypothetical-set.
    pub aggregate_kind: String,
    /// The body of `CREATE AGGREGATE … (…)`, built from `pg_aggregate`:
    /// `SFUNC = …, STYPE = …`, options PostgreSQL would choose by itself left out.
    pub options: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Collation {
    pub name: String,
    /// `libc`, `icu` or `builtin`.
    pub provider: String,
    /// The ICU or builtin locale.
    pub locale: Option<String>,
    pub lc_collate: Option<String>,
    pub lc_ctype: Option<String>,
    pub deterministic: bool,
    /// ICU tailoring rules (PostgreSQL 16+).
    pub rules: Option<String>,
}

/// The owner of an object, when it is not the role pgmt connects as (the role a
/// shadow database is built by): `ALTER … OWNER TO`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Ownership {
    /// Key of the owned object.
    pub target: String,
    /// A quoted role name.
    pub role: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Rule {
    pub table: String,
    pub name: String,
    /// `pg_get_ruledef`, without the final semicolon.
    pub definition: String,
    /// `pg_rewrite.ev_enabled`: O origin, D disabled, R replica, A always.
    pub enabled: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct EventTrigger {
    pub name: String,
    /// ddl_command_start, ddl_command_end, sql_drop, table_rewrite or login.
    pub event: String,
    /// `WHEN TAG IN (…)`, empty for every command.
    pub tags: Vec<String>,
    /// The function's qualified name.
    pub function: String,
    /// `pg_event_trigger.evtenabled`: O origin, D disabled, R replica, A always.
    pub enabled: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Publication {
    pub name: String,
    pub all_tables: bool,
    /// `WITH (…)` options, e.g. `publish = 'insert, update'`, in a fixed order.
    pub options: Vec<String>,
}

/// One table of a publication (`ALTER PUBLICATION … ADD TABLE`): an object of its
/// own, so that it follows its table when the table is recreated.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct PublicationTable {
    pub publication: String,
    pub table: String,
    /// Published columns, empty for all.
    pub columns: Vec<String>,
    /// `WHERE (…)` filter.
    pub row_filter: Option<String>,
}

/// `ALTER PUBLICATION … ADD TABLES IN SCHEMA` (PostgreSQL 15+).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct PublicationSchema {
    pub publication: String,
    pub schema: String,
}

/// An extended statistics object (`CREATE STATISTICS`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Statistics {
    pub name: String,
    pub table: String,
    /// `pg_get_statisticsobjdef`.
    pub definition: String,
    /// `ALTER STATISTICS … SET STATISTICS`; `None` for the default.
    pub target: Option<i32>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Cast {
    pub source: String,
    pub target: String,
    /// `regprocedure` of the cast function, for `WITH FUNCTION`.
    pub function: Option<String>,
    /// `pg_cast.castmethod`: f function, i inout, b binary-coercible.
    pub method: String,
    /// `pg_cast.castcontext`: e explicit, a assignment, i implicit.
    pub context: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TextSearchParser {
    pub name: String,
    /// Functions, as `regproc` prints them.
    pub start: String,
    pub token: String,
    pub end: String,
    pub headline: Option<String>,
    pub lextypes: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TextSearchTemplate {
    pub name: String,
    pub init: Option<String>,
    pub lexize: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TextSearchDictionary {
    pub name: String,
    pub template: String,
    /// `pg_ts_dict.dictinitoption`, e.g. `language = 'english', stopwords = 'english'`.
    pub options: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TextSearchConfiguration {
    pub name: String,
    pub parser: String,
    /// `token WITH dictionary, …` for each token type mapped, in token order.
    pub mappings: Vec<String>,
}

/// What the snapshot holds instead of the value of an option that looks like a
/// secret (password, passfile, sslkey, …, anything matching /pass|secret|token|key/i).
/// The value is masked by the catalog query itself, so it never reaches pgmt; a
/// plan that writes this placeholder must be completed by hand before it runs.
/// Two databases that differ only in such a value compare as equal.
pub const SECRET_PLACEHOLDER: &str = "'<secret: fill in>'";

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ForeignDataWrapper {
    pub name: String,
    /// `regproc` of the handler and validator functions.
    pub handler: Option<String>,
    pub validator: Option<String>,
    /// `name 'value'`, as `OPTIONS (…)` writes them, in name order.
    pub options: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ForeignServer {
    pub name: String,
    pub wrapper: String,
    pub server_type: Option<String>,
    pub version: Option<String>,
    /// `name 'value'`; secrets are `SECRET_PLACEHOLDER`.
    pub options: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct UserMapping {
    pub server: String,
    /// A quoted role name, or `PUBLIC`.
    pub role: String,
    /// `name 'value'`; secrets are `SECRET_PLACEHOLDER`.
    pub options: Vec<String>,
}

/// A foreign table; its columns and CHECK constraints are `Column` and
/// `Constraint` objects owned by it, as a table's are.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ForeignTable {
    pub name: String,
    pub server: String,
    /// `name 'value'`.
    pub options: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Operator {
    /// `schema.symbol`, e.g. `public.===`.
    pub name: String,
    /// `format_type` of the left operand; `None` for a prefix operator.
    pub left: Option<String>,
    pub right: String,
    /// The function, as `regproc` prints it.
    pub function: String,
    /// `OPERATOR(schema.symbol)`.
    pub commutator: Option<String>,
    pub negator: Option<String>,
    /// Selectivity estimators (`regproc`).
    pub restrict: Option<String>,
    pub join: Option<String>,
    pub hashes: bool,
    pub merges: bool,
}

/// One operator or support function of an operator class or family.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct OperatorMember {
    /// `OPERATOR` or `FUNCTION`.
    pub kind: String,
    /// Strategy or support number.
    pub number: i32,
    /// Operand types (`format_type`).
    pub left: String,
    pub right: String,
    /// `schema.symbol` of an operator; `regprocedure` of a function.
    pub target: String,
    /// `FOR ORDER BY` sort family of an ordering operator.
    pub order_by: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct OperatorFamily {
    pub name: String,
    /// Access method, e.g. `btree`.
    pub method: String,
    /// Members added to the family alone (`ALTER OPERATOR FAMILY … ADD`), not through a class.
    pub members: Vec<OperatorMember>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct OperatorClass {
    pub name: String,
    pub method: String,
    pub data_type: String,
    pub default: bool,
    /// The family it belongs to (one of the same name when created without `FAMILY`).
    pub family: String,
    pub storage: Option<String>,
    pub members: Vec<OperatorMember>,
}

/// `SECURITY LABEL FOR provider ON … IS …`, like a comment with a provider.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct SecurityLabel {
    /// Key of the object labelled.
    pub target: String,
    pub provider: String,
    pub label: String,
}

/// `OPTIONS (…)` of one column of a foreign table (`pg_attribute.attfdwoptions`),
/// owned by the column: written inside its definition when both are new.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ColumnOptions {
    pub table: String,
    pub column: String,
    /// `name 'value'`, in name order.
    pub options: Vec<String>,
}

/// `ALTER TABLE … REPLICA IDENTITY` other than the default (`pg_class.relreplident`),
/// owned by the table.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ReplicaIdentity {
    pub table: String,
    /// `FULL`, `NOTHING` or `USING INDEX name`.
    pub identity: String,
}

/// What `ALTER COLUMN … SET STATISTICS / STORAGE / COMPRESSION` changed from the
/// defaults of a table's own column, owned by the column.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ColumnSettings {
    pub table: String,
    pub column: String,
    pub statistics: Option<i32>,
    /// `PLAIN`, `EXTERNAL`, `MAIN` or `EXTENDED`, when not the type's.
    pub storage: Option<String>,
    /// The type's storage, which the column goes back to.
    pub type_storage: String,
    /// `pglz` or `lz4`.
    pub compression: Option<String>,
}

/// A table bound to a composite type (`CREATE TABLE t OF type`, `pg_class.reloftype`),
/// owned by the table. Apart from the table so that a change to the type unbinds
/// the table (`NOT OF`), alters its columns as any table's, and binds it again.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TypedTable {
    pub table: String,
    pub of_type: String,
    /// The table's columns in order, `name type [COLLATE …]`: `OF` checks them against
    /// the type's attributes, so when they change the table is unbound (`NOT OF`),
    /// its columns altered as any table's, and bound again.
    pub columns: Vec<String>,
}

/// A base type (`CREATE TYPE t (INPUT = …, OUTPUT = …)`). Its I/O functions that
/// name it are owned by it (one `DROP TYPE … CASCADE` takes them along) and depend
/// on its `ShellType`, which is created first.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct BaseType {
    pub name: String,
    /// Functions, as `regproc` prints them.
    pub input: String,
    pub output: String,
    pub receive: Option<String>,
    pub send: Option<String>,
    pub typmod_in: Option<String>,
    pub typmod_out: Option<String>,
    pub analyze: Option<String>,
    /// PostgreSQL 14+; with `element`, `raw_array_subscript_handler` by default.
    pub subscript: Option<String>,
    /// `typlen`: bytes, -1 variable (`VARIABLE`), -2 a C string.
    pub internal_length: i16,
    pub passed_by_value: bool,
    /// `char`, `int2`, `int4` or `double`.
    pub alignment: String,
    /// `plain`, `external`, `extended` or `main`.
    pub storage: String,
    pub category: String,
    pub preferred: bool,
    /// `typdefault`, the external form of the default value.
    pub default: Option<String>,
    pub element: Option<String>,
    pub delimiter: String,
    pub collatable: bool,
}

/// `CREATE TYPE t` with nothing more: a placeholder a base type's I/O functions
/// can name before the type is defined; alone when the type never is.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ShellType {
    pub name: String,
}
