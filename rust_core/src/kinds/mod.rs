//! What each kind of object means in SQL: how to create it, drop it, refer to it,
//! and how to turn its old form into its new one (in place, or by recreating it).
//!
//! Everything here is per object; ordering and dependency cascades live in
//! `engine/`, which only sees the `Change` and `Stmt`s produced here.

use crate::model::*;
use crate::plan::Hazard;

pub mod default_acl;
mod more;

pub use more::{aggregate_signature, operator_signature};

/// Where a statement runs relative to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Before any drop: harmless additions that need their own commit (enum values).
    Early,
    /// Drops, in reverse dependency order.
    Drop,
    /// Creates and alters, in dependency order.
    Create,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub sql: String,
    pub hazards: Vec<Hazard>,
    pub phase: Phase,
    pub commit_after: bool,
}

impl Stmt {
    pub fn new(phase: Phase, sql: impl Into<String>) -> Self {
        Stmt {
            sql: sql.into(),
            hazards: Vec::new(),
            phase,
            commit_after: false,
        }
    }
    pub fn create(sql: impl Into<String>) -> Self {
        Stmt::new(Phase::Create, sql)
    }
    pub fn drop(sql: impl Into<String>) -> Self {
        Stmt::new(Phase::Drop, sql)
    }
    pub fn hazard(mut self, hazard: Hazard) -> Self {
        self.hazards.push(hazard);
        self
    }
}

/// How an object that exists on both sides gets from its old form to its new one.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Same,
    /// In place. `breaks_dependents`: views, policies and triggers over the object
    /// must be dropped before and recreated after (a column's type change).
    Alter {
        stmts: Vec<Stmt>,
        breaks_dependents: bool,
    },
    /// Drop and create again; everything that depends on it follows.
    Recreate,
    /// A type (or collation) whose columns' values must be kept: rename the old one
    /// aside, create the new one, convert each column with `convert` (an expression of
    /// `$value`, the old value, e.g. `$value::text`), then drop the old one.
    Rebuild {
        convert: String,
    },
}

/// Finds other objects of the same snapshot (comments and grants name their target).
pub trait Lookup {
    fn object(&self, key: &str) -> Option<&Object>;
    /// Objects owned by `key`, in key order.
    fn children(&self, key: &str) -> Vec<&Object>;
    /// `server_version_num` of the server the objects were read from.
    fn server_version(&self) -> i32;
    /// The tables inheriting from `table`, and its partitions.
    fn child_tables(&self, table: &str) -> Vec<&Table>;
}

pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The kind as a user says it, for plan output.
pub fn label(spec: &Spec) -> &'static str {
    match spec {
        Spec::Schema(_) => "schema",
        Spec::Extension(_) => "extension",
        Spec::Enum(_) => "enum",
        Spec::Domain(_) => "domain",
        Spec::Composite(_) => "type",
        Spec::Range(_) => "range type",
        Spec::Sequence(_) => "sequence",
        Spec::SequenceOwner(_) => "sequence ownership",
        Spec::Table(_) => "table",
        Spec::Column(_) => "column",
        Spec::Default(_) => "default",
        Spec::Constraint(_) => "constraint",
        Spec::Index(_) => "index",
        Spec::View(_) => "view",
        Spec::MaterializedView(_) => "materialized view",
        Spec::Function(f) if f.function_kind == "p" => "procedure",
        Spec::Function(_) => "function",
        Spec::Trigger(_) => "trigger",
        Spec::Policy(_) => "policy",
        Spec::Comment(_) => "comment",
        Spec::Grant(_) => "privilege",
        Spec::DefaultPrivilege(_) => "default privilege",
        Spec::Aggregate(_) => "aggregate",
        Spec::Collation(_) => "collation",
        Spec::Ownership(_) => "owner",
        Spec::Rule(_) => "rule",
        Spec::EventTrigger(_) => "event trigger",
        Spec::Publication(_) => "publication",
        Spec::PublicationTable(_) => "publication table",
        Spec::PublicationSchema(_) => "publication schema",
        Spec::Statistics(_) => "statistics",
        Spec::Cast(_) => "cast",
        Spec::TextSearchParser(_) => "text search parser",
        Spec::TextSearchTemplate(_) => "text search template",
        Spec::TextSearchDictionary(_) => "text search dictionary",
        Spec::TextSearchConfiguration(_) => "text search configuration",
        Spec::ForeignDataWrapper(_) => "foreign data wrapper",
        Spec::ForeignServer(_) => "server",
        Spec::UserMapping(_) => "user mapping",
        Spec::ForeignTable(_) => "foreign table",
        Spec::Operator(_) => "operator",
        Spec::OperatorFamily(_) => "operator family",
        Spec::OperatorClass(_) => "operator class",
        Spec::SecurityLabel(_) => "security label",
        Spec::ColumnOptions(_) => "column options",
        Spec::TypedTable(_) => "typed table",
        Spec::BaseType(_) => "base type",
        Spec::ShellType(_) => "shell type",
        Spec::ReplicaIdentity(_) => "replica identity",
        Spec::ColumnSettings(_) => "column settings",
    }
}

/// The object's name for plan output.
pub fn display_name(object: &Object, lookup: &dyn Lookup) -> String {
    match &object.spec {
        Spec::Schema(s) => s.name.clone(),
        Spec::Extension(e) => e.name.clone(),
        Spec::Enum(e) => e.name.clone(),
        Spec::Domain(d) => d.name.clone(),
        Spec::Composite(c) => c.name.clone(),
        Spec::Range(r) => r.name.clone(),
        Spec::Sequence(s) => s.name.clone(),
        Spec::SequenceOwner(o) => format!("{} owned by {}.{}", o.sequence, o.table, o.column),
        Spec::Table(t) => t.name.clone(),
        Spec::Column(c) => format!("{}.{}", c.table, c.name),
        Spec::Default(d) => format!("{}.{}", d.table, d.column),
        Spec::Constraint(c) => format!("{} on {}", c.name, c.table),
        Spec::Index(i) => i.name.clone(),
        Spec::View(v) => v.name.clone(),
        Spec::MaterializedView(m) => m.name.clone(),
        Spec::Function(f) => format!("{}({})", f.name, f.identity_arguments),
        Spec::Trigger(t) => format!("{} on {}", t.name, t.table),
        Spec::Policy(p) => format!("{} on {}", p.name, p.table),
        Spec::Comment(c) => match c.target.split_once(" ON DOMAIN ") {
            // A domain's constraint, named the way COMMENT ON names it (no key).
            Some((constraint, domain)) if lookup.object(&c.target).is_none() => {
                format!(
                    "on {} on domain {domain}",
                    constraint.to_string().to_lowercase_kind()
                )
            }
            _ => format!("on {}", target_display(&c.target, lookup)),
        },
        Spec::Grant(g) => format!(
            "{}{} on {} to {}",
            if g.revoked { "revoked " } else { "" },
            g.privilege,
            target_display(&g.target, lookup),
            g.grantee
        ),
        Spec::DefaultPrivilege(d) => format!(
            "{}{} on {} to {} for {}{}",
            if d.revoked { "revoked " } else { "" },
            d.privilege,
            d.object_type.to_lowercase(),
            d.grantee,
            d.role,
            d.schema
                .as_ref()
                .map(|s| format!(" in {s}"))
                .unwrap_or_default()
        ),
        Spec::Aggregate(a) => format!("{}({})", a.name, a.identity_arguments),
        Spec::Collation(c) => c.name.clone(),
        Spec::Ownership(o) => format!("of {} to {}", target_display(&o.target, lookup), o.role),
        Spec::Rule(r) => format!("{} on {}", r.name, r.table),
        Spec::EventTrigger(e) => e.name.clone(),
        Spec::Publication(p) => p.name.clone(),
        Spec::PublicationTable(t) => format!("{} in {}", t.table, t.publication),
        Spec::PublicationSchema(s) => format!("{} in {}", s.schema, s.publication),
        Spec::Statistics(s) => s.name.clone(),
        Spec::Cast(c) => format!("({} AS {})", c.source, c.target),
        Spec::TextSearchParser(p) => p.name.clone(),
        Spec::TextSearchTemplate(t) => t.name.clone(),
        Spec::TextSearchDictionary(d) => d.name.clone(),
        Spec::TextSearchConfiguration(c) => c.name.clone(),
        Spec::ForeignDataWrapper(w) => w.name.clone(),
        Spec::ForeignServer(s) => s.name.clone(),
        Spec::UserMapping(m) => format!("for {} on {}", m.role, m.server),
        Spec::ForeignTable(t) => t.name.clone(),
        Spec::Operator(o) => operator_signature(o),
        Spec::OperatorFamily(f) => format!("{} using {}", f.name, f.method),
        Spec::OperatorClass(c) => format!("{} using {}", c.name, c.method),
        Spec::SecurityLabel(l) => format!(
            "for {} on {}",
            l.provider,
            target_display(&l.target, lookup)
        ),
        Spec::ColumnOptions(o) => format!("{}.{}", o.table, o.column),
        Spec::TypedTable(t) => format!("{} of {}", t.table, t.of_type),
        Spec::BaseType(t) => t.name.clone(),
        Spec::ShellType(t) => t.name.clone(),
        Spec::ReplicaIdentity(r) => format!("of {}", r.table),
        Spec::ColumnSettings(c) => format!("{}.{}", c.table, c.column),
    }
}

trait LowercaseKind {
    fn to_lowercase_kind(&self) -> String;
}

impl LowercaseKind for String {
    /// `TABLE public.t` → `table public.t`, leaving the (quoted) name alone.
    fn to_lowercase_kind(&self) -> String {
        let split = self
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_uppercase() || *c == ' '))
            .map(|(i, _)| i)
            .unwrap_or(self.len());
        format!("{}{}", self[..split].to_lowercase(), &self[split..])
    }
}

/// How `COMMENT ON` names the object, e.g. `FUNCTION public.f(integer)`.
pub fn reference(spec: &Spec) -> Option<String> {
    Some(match spec {
        Spec::Schema(s) => format!("SCHEMA {}", s.name),
        Spec::Extension(e) => format!("EXTENSION {}", e.name),
        Spec::Enum(e) => format!("TYPE {}", e.name),
        Spec::Composite(c) => format!("TYPE {}", c.name),
        Spec::Range(r) => format!("TYPE {}", r.name),
        Spec::BaseType(t) => format!("TYPE {}", t.name),
        Spec::ShellType(t) => format!("TYPE {}", t.name),
        Spec::Domain(d) => format!("DOMAIN {}", d.name),
        Spec::Sequence(s) => format!("SEQUENCE {}", s.name),
        Spec::Table(t) => format!("TABLE {}", t.name),
        Spec::Column(c) => format!("COLUMN {}.{}", c.table, c.name),
        Spec::Constraint(c) => format!("CONSTRAINT {} ON {}", c.name, c.table),
        Spec::Index(i) => format!("INDEX {}", i.name),
        Spec::View(v) => format!("VIEW {}", v.name),
        Spec::MaterializedView(m) => format!("MATERIALIZED VIEW {}", m.name),
        Spec::Function(f) if f.function_kind == "p" => {
            format!("PROCEDURE {}({})", f.name, f.identity_arguments)
        }
        Spec::Function(f) => format!("FUNCTION {}({})", f.name, f.identity_arguments),
        Spec::Trigger(t) => format!("TRIGGER {} ON {}", t.name, t.table),
        Spec::Policy(p) => format!("POLICY {} ON {}", p.name, p.table),
        Spec::Aggregate(a) => format!("AGGREGATE {}", aggregate_signature(a)),
        Spec::Collation(c) => format!("COLLATION {}", c.name),
        Spec::Rule(r) => format!("RULE {} ON {}", r.name, r.table),
        Spec::EventTrigger(e) => format!("EVENT TRIGGER {}", e.name),
        Spec::Publication(p) => format!("PUBLICATION {}", p.name),
        Spec::Statistics(s) => format!("STATISTICS {}", s.name),
        Spec::Cast(c) => format!("CAST ({} AS {})", c.source, c.target),
        Spec::TextSearchParser(p) => format!("TEXT SEARCH PARSER {}", p.name),
        Spec::TextSearchTemplate(t) => format!("TEXT SEARCH TEMPLATE {}", t.name),
        Spec::TextSearchDictionary(d) => format!("TEXT SEARCH DICTIONARY {}", d.name),
        Spec::TextSearchConfiguration(c) => format!("TEXT SEARCH CONFIGURATION {}", c.name),
        Spec::ForeignDataWrapper(w) => format!("FOREIGN DATA WRAPPER {}", w.name),
        Spec::ForeignServer(s) => format!("SERVER {}", s.name),
        Spec::ForeignTable(t) => format!("FOREIGN TABLE {}", t.name),
        Spec::Operator(o) => format!("OPERATOR {}", operator_signature(o)),
        Spec::OperatorFamily(f) => format!("OPERATOR FAMILY {} USING {}", f.name, f.method),
        Spec::OperatorClass(c) => format!("OPERATOR CLASS {} USING {}", c.name, c.method),
        _ => return None,
    })
}

/// What a comment, grant, owner or label is on, for plan output: `table public.t`, and
/// `constraint c on public.t` where `COMMENT ON` would say `CONSTRAINT c ON public.t`.
fn target_display(key: &str, lookup: &dyn Lookup) -> String {
    match lookup.object(key) {
        Some(
            object @ Object {
                spec: Spec::Constraint(_) | Spec::Trigger(_) | Spec::Policy(_) | Spec::Rule(_),
                ..
            },
        ) => format!("{} {}", label(&object.spec), display_name(object, lookup)),
        _ => target_reference(key, lookup).to_lowercase_kind(),
    }
}

fn target_reference(key: &str, lookup: &dyn Lookup) -> String {
    lookup
        .object(key)
        .and_then(|o| reference(&o.spec))
        .unwrap_or_else(|| key.to_string())
}

/// `GRANT … ON <this>`: grants name relations as TABLE and columns by their table.
fn grant_target(key: &str, privilege: &str, lookup: &dyn Lookup) -> (String, String) {
    let Some(object) = lookup.object(key) else {
        return (privilege.to_string(), key.to_string());
    };
    match &object.spec {
        Spec::Column(c) => (
            format!("{privilege} ({})", c.name),
            format!("TABLE {}", c.table),
        ),
        Spec::View(v) => (privilege.to_string(), format!("TABLE {}", v.name)),
        Spec::MaterializedView(m) => (privilege.to_string(), format!("TABLE {}", m.name)),
        Spec::ForeignTable(t) => (privilege.to_string(), format!("TABLE {}", t.name)),
        Spec::ForeignServer(s) => (privilege.to_string(), format!("FOREIGN SERVER {}", s.name)),
        Spec::Enum(e) => (privilege.to_string(), format!("TYPE {}", e.name)),
        Spec::Aggregate(a) => (
            privilege.to_string(),
            format!("FUNCTION {}", aggregate_signature(a)),
        ),
        spec => (
            privilege.to_string(),
            reference(spec).unwrap_or_else(|| key.to_string()),
        ),
    }
}

/// Whether the object is written inside its owner's CREATE when both are new
/// (columns and their defaults in CREATE TABLE, keys and checks too).
pub fn folds_into_owner(spec: &Spec) -> bool {
    match spec {
        Spec::Column(_) | Spec::Default(_) | Spec::ColumnOptions(_) => true,
        Spec::Constraint(c) => matches!(c.constraint_type.as_str(), "p" | "u" | "c" | "x"),
        _ => false,
    }
}

fn int_type_max(data_type: &str) -> i64 {
    match data_type {
        "smallint" => i16::MAX as i64,
        "integer" => i32::MAX as i64,
        _ => i64::MAX,
    }
}

fn identity_clause(identity: &Identity, data_type: &str) -> String {
    let options = SequenceOptions::from(identity).non_default(data_type);
    let mut clause = format!("GENERATED {} AS IDENTITY", identity.generation);
    if !options.is_empty() {
        clause.push_str(&format!(" ({})", options.join(" ")));
    }
    clause
}

/// `name type …` as written in CREATE TABLE or ADD COLUMN, with its default folded in.
fn column_definition(column: &Column, default: Option<&ColumnDefault>) -> String {
    let mut sql = format!("{} {}", column.name, column.data_type);
    if let Some(collation) = &column.collation {
        sql.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(expression) = &column.generated {
        let kind = if column.generated_virtual {
            "VIRTUAL"
        } else {
            "STORED"
        };
        sql.push_str(&format!(" GENERATED ALWAYS AS ({expression}) {kind}"));
    }
    if let Some(identity) = &column.identity {
        sql.push(' ');
        sql.push_str(&identity_clause(identity, &column.data_type));
    }
    if column.not_null && column.identity.is_none() {
        sql.push_str(" NOT NULL");
    }
    if let Some(default) = default {
        sql.push_str(&format!(" DEFAULT {}", default.expression));
    }
    sql
}

fn folded_default<'a>(column_key: &str, lookup: &'a dyn Lookup) -> Option<&'a ColumnDefault> {
    lookup
        .children(column_key)
        .into_iter()
        .find_map(|child| match &child.spec {
            Spec::Default(d) => Some(d),
            _ => None,
        })
}

fn create_table(object: &Object, table: &Table, lookup: &dyn Lookup) -> Vec<Stmt> {
    let children = lookup.children(&object.key);
    let mut columns: Vec<(&Object, &Column)> = children
        .iter()
        .filter_map(|o| match &o.spec {
            Spec::Column(c) if !c.inherited => Some((*o, c)),
            _ => None,
        })
        .collect();
    columns.sort_by_key(|(_, c)| c.position);
    let mut elements: Vec<String> = columns
        .iter()
        .map(|(o, c)| column_definition(c, folded_default(&o.key, lookup)))
        .collect();
    // A partition's own NOT NULL and default on columns it inherits. (A child by
    // INHERITS copies its parent's, and has no syntax for more at creation.)
    let partition_children = if table.partition_of.is_some() {
        children.as_slice()
    } else {
        &[]
    };
    for child in partition_children {
        if let Spec::Column(c) = &child.spec {
            let default = folded_default(&child.key, lookup);
            if c.inherited && (c.not_null || default.is_some()) {
                let mut options = format!("{} WITH OPTIONS", c.name);
                if c.not_null {
                    options.push_str(" NOT NULL");
                }
                if let Some(default) = default {
                    options.push_str(&format!(" DEFAULT {}", default.expression));
                }
                elements.push(options);
            }
        }
    }
    // A child by INHERITS gets its parents' columns with their NOT NULL and default:
    // one of its own is declared again, which PostgreSQL merges with the parent's.
    if table.partition_of.is_none() {
        for child in &children {
            if let Spec::Column(c) = &child.spec {
                if c.inherited && c.generated.is_none() {
                    if let Some(definition) = merged_column(c, &child.key, &table.inherits, lookup)
                    {
                        elements.push(definition);
                    }
                }
            }
        }
    }
    for child in &children {
        if let Spec::Constraint(c) = &child.spec {
            if folds_into_owner(&child.spec) {
                elements.push(format!("CONSTRAINT {} {}", c.name, c.definition));
            }
        }
    }
    let body = if elements.is_empty() {
        String::new()
    } else {
        format!("(\n    {}\n)", elements.join(",\n    "))
    };
    let mut sql = format!(
        "CREATE {}TABLE {}",
        if table.unlogged { "UNLOGGED " } else { "" },
        table.name
    );
    if let (Some(parent), Some(bound)) = (&table.partition_of, &table.partition_bound) {
        sql.push_str(&format!(" PARTITION OF {parent}"));
        if !body.is_empty() {
            sql.push_str(&format!(" {body}"));
        }
        sql.push_str(&format!(" {bound}"));
    } else {
        sql.push_str(&format!(" {}", if body.is_empty() { "()" } else { &body }));
        if !table.inherits.is_empty() {
            sql.push_str(&format!(" INHERITS ({})", table.inherits.join(", ")));
        }
    }
    if let Some(key) = &table.partition_by {
        sql.push_str(&format!(" PARTITION BY {key}"));
    }
    if !table.options.is_empty() {
        sql.push_str(&format!(" WITH ({})", table.options.join(", ")));
    }
    let mut stmts = vec![Stmt::create(sql)];
    stmts.extend(row_security(table, None));
    stmts
}

/// The definition of an inherited column in its child's CREATE TABLE, when the child
/// has a NOT NULL or a default that none of its parents gives it.
fn merged_column(
    column: &Column,
    key: &str,
    parents: &[String],
    lookup: &dyn Lookup,
) -> Option<String> {
    let from_parents: Vec<&Object> = parents
        .iter()
        .filter_map(|p| lookup.object(&format!("column:{p}.{}", column.name)))
        .collect();
    let default = folded_default(key, lookup);
    let own_not_null = column.not_null
        && !from_parents
            .iter()
            .any(|o| matches!(&o.spec, Spec::Column(c) if c.not_null));
    let own_default = default.is_some_and(|d| {
        !from_parents
            .iter()
            .any(|o| folded_default(&o.key, lookup).is_some_and(|p| p.expression == d.expression))
    });
    (own_not_null || own_default).then(|| column_definition(column, default))
}

fn row_security(new: &Table, old: Option<&Table>) -> Vec<Stmt> {
    let mut stmts = Vec::new();
    let (was_enabled, was_forced) = old.map_or((false, false), |t| (t.rls_enabled, t.rls_forced));
    if new.rls_enabled != was_enabled {
        let verb = if new.rls_enabled { "ENABLE" } else { "DISABLE" };
        stmts.push(Stmt::create(format!(
            "ALTER TABLE {} {verb} ROW LEVEL SECURITY",
            new.name
        )));
    }
    if new.rls_forced != was_forced {
        let verb = if new.rls_forced { "FORCE" } else { "NO FORCE" };
        stmts.push(Stmt::create(format!(
            "ALTER TABLE {} {verb} ROW LEVEL SECURITY",
            new.name
        )));
    }
    stmts
}

fn option_key(option: &str) -> &str {
    option.split('=').next().unwrap_or(option)
}

fn create_domain(domain: &Domain) -> String {
    let mut sql = format!("CREATE DOMAIN {} AS {}", domain.name, domain.base_type);
    if let Some(collation) = &domain.collation {
        sql.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(default) = &domain.default {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if domain.not_null {
        sql.push_str(" NOT NULL");
    }
    for constraint in &domain.constraints {
        sql.push_str(&format!(
            " CONSTRAINT {} {}",
            constraint.name, constraint.definition
        ));
    }
    sql
}

fn create_range(range: &Range) -> String {
    let mut options = vec![format!("SUBTYPE = {}", range.subtype)];
    let optional = [
        ("SUBTYPE_OPCLASS", &range.subtype_opclass),
        ("COLLATION", &range.collation),
        ("CANONICAL", &range.canonical),
        ("SUBTYPE_DIFF", &range.subtype_diff),
        ("MULTIRANGE_TYPE_NAME", &range.multirange),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            options.push(format!("{name} = {value}"));
        }
    }
    format!(
        "CREATE TYPE {} AS RANGE ({})",
        range.name,
        options.join(", ")
    )
}

fn create_sequence(sequence: &Sequence) -> String {
    let options = SequenceOptions::from(sequence).non_default(&sequence.data_type);
    let mut sql = format!(
        "CREATE {}SEQUENCE {} AS {}",
        if sequence.unlogged { "UNLOGGED " } else { "" },
        sequence.name,
        sequence.data_type
    );
    for option in options {
        sql.push(' ');
        sql.push_str(&option);
    }
    sql
}

fn create_view(view: &View, or_replace: bool) -> String {
    let with = if view.options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", view.options.join(", "))
    };
    format!(
        "CREATE {}VIEW {}{with} AS\n{}",
        if or_replace { "OR REPLACE " } else { "" },
        view.name,
        view.definition
    )
}

fn create_policy(policy: &Policy) -> String {
    let mut sql = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        policy.name,
        policy.table,
        if policy.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        policy.command,
        policy.roles.join(", ")
    );
    sql.push_str(&policy_expressions(policy));
    sql
}

/// ` USING (…) WITH CHECK (…)`, as CREATE POLICY and ALTER POLICY both end.
fn policy_expressions(policy: &Policy) -> String {
    let mut sql = String::new();
    if let Some(using) = &policy.using {
        sql.push_str(&format!(" USING ({using})"));
    }
    if let Some(check) = &policy.with_check {
        sql.push_str(&format!(" WITH CHECK ({check})"));
    }
    sql
}

/// How `pg_get_triggerdef` starts a trigger that is not a constraint trigger.
const PLAIN_TRIGGER: &str = "CREATE TRIGGER ";

fn trigger_state(trigger: &Trigger) -> Option<String> {
    let verb = match trigger.enabled.as_str() {
        "D" => "DISABLE",
        "R" => "ENABLE REPLICA",
        "A" => "ENABLE ALWAYS",
        _ => "ENABLE",
    };
    Some(format!(
        "ALTER TABLE {} {verb} TRIGGER {}",
        trigger.table, trigger.name
    ))
}

fn grant_sql(grant: &Grant, lookup: &dyn Lookup, undo: bool) -> String {
    let (privilege, target) = grant_target(&grant.target, &grant.privilege, lookup);
    if grant.revoked != undo {
        format!("REVOKE {privilege} ON {target} FROM {}", grant.grantee)
    } else {
        let option = if grant.grantable {
            " WITH GRANT OPTION"
        } else {
            ""
        };
        format!("GRANT {privilege} ON {target} TO {}{option}", grant.grantee)
    }
}

fn default_privilege_sql(d: &DefaultPrivilege, undo: bool) -> String {
    let scope = match &d.schema {
        Some(schema) => format!("FOR ROLE {} IN SCHEMA {schema}", d.role),
        None => format!("FOR ROLE {}", d.role),
    };
    if d.revoked != undo {
        format!(
            "ALTER DEFAULT PRIVILEGES {scope} REVOKE {} ON {} FROM {}",
            d.privilege, d.object_type, d.grantee
        )
    } else {
        let option = if d.grantable {
            " WITH GRANT OPTION"
        } else {
            ""
        };
        format!(
            "ALTER DEFAULT PRIVILEGES {scope} GRANT {} ON {} TO {}{option}",
            d.privilege, d.object_type, d.grantee
        )
    }
}

/// The statements that create `object`, with its foldable children written inside.
/// `lookup` is the target snapshot.
pub fn create(object: &Object, lookup: &dyn Lookup) -> Vec<Stmt> {
    if let Some(stmts) = more::create(object, lookup) {
        return stmts;
    }
    let one = |sql: String| vec![Stmt::create(sql)];
    match &object.spec {
        Spec::Schema(s) => one(format!("CREATE SCHEMA {}", s.name)),
        Spec::Extension(e) => one(format!(
            "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {} VERSION {}",
            e.name,
            e.schema,
            quote_literal(&e.version)
        )),
        Spec::Enum(e) => {
            let labels: Vec<String> = e.labels.iter().map(|l| quote_literal(l)).collect();
            one(format!(
                "CREATE TYPE {} AS ENUM ({})",
                e.name,
                labels.join(", ")
            ))
        }
        Spec::Domain(d) => one(create_domain(d)),
        Spec::Composite(c) => {
            let attributes: Vec<String> = c
                .attributes
                .iter()
                .map(|a| match &a.collation {
                    Some(collation) => format!("{} {} COLLATE {collation}", a.name, a.data_type),
                    None => format!("{} {}", a.name, a.data_type),
                })
                .collect();
            one(format!(
                "CREATE TYPE {} AS ({})",
                c.name,
                attributes.join(", ")
            ))
        }
        Spec::Range(r) => one(create_range(r)),
        Spec::Sequence(s) => one(create_sequence(s)),
        Spec::SequenceOwner(o) => one(format!(
            "ALTER SEQUENCE {} OWNED BY {}.{}",
            o.sequence, o.table, o.column
        )),
        Spec::Table(t) => create_table(object, t, lookup),
        Spec::Column(c) if c.inherited => Vec::new(),
        Spec::Column(c) => one(format!(
            "ALTER TABLE {} ADD COLUMN {}",
            c.table,
            column_definition(c, folded_default(&object.key, lookup))
        )),
        Spec::Default(d) => one(format!(
            "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}",
            d.table, d.column, d.expression
        )),
        Spec::Constraint(c) => vec![add_constraint(&c.table, c)],
        Spec::Index(i) => {
            vec![Stmt::create(with_partitions(&i.definition)).hazard(Hazard::BlockingLock)]
        }
        Spec::View(v) => one(create_view(v, false)),
        Spec::MaterializedView(m) => {
            let with = if m.options.is_empty() {
                String::new()
            } else {
                format!(" WITH ({})", m.options.join(", "))
            };
            let data = if m.with_data { "" } else { "\nWITH NO DATA" };
            one(format!(
                "CREATE MATERIALIZED VIEW {}{with} AS\n{}{data}",
                m.name, m.definition
            ))
        }
        Spec::Function(f) => one(f.definition.clone()),
        Spec::Trigger(t) => {
            let mut stmts = vec![Stmt::create(t.definition.clone())];
            if t.enabled != "O" {
                stmts.extend(trigger_state(t).map(Stmt::create));
            }
            stmts
        }
        Spec::Policy(p) => one(create_policy(p)),
        Spec::Comment(c) => one(format!(
            "COMMENT ON {} IS {}",
            target_reference(&c.target, lookup),
            quote_literal(&c.text)
        )),
        Spec::Grant(g) => one(grant_sql(g, lookup, false)),
        Spec::DefaultPrivilege(d) => one(default_privilege_sql(d, false)),
        _ => unreachable!("the other kinds are created by `more::create`"),
    }
}

/// The statements that drop `object`; `lookup` is the source snapshot.
pub fn drop(object: &Object, lookup: &dyn Lookup) -> Vec<Stmt> {
    if let Some(stmts) = more::drop(object, lookup) {
        return stmts;
    }
    let one = |sql: String| vec![Stmt::drop(sql)];
    match &object.spec {
        Spec::Schema(s) => one(format!("DROP SCHEMA {}", s.name)),
        Spec::Extension(e) => more::extension_drop(e),
        Spec::Enum(e) => one(format!("DROP TYPE {}", e.name)),
        Spec::Composite(c) => one(format!("DROP TYPE {}", c.name)),
        Spec::Range(r) => one(format!("DROP TYPE {}", r.name)),
        Spec::Domain(d) => one(format!("DROP DOMAIN {}", d.name)),
        Spec::Sequence(s) => one(format!("DROP SEQUENCE {}", s.name)),
        Spec::SequenceOwner(o) => one(format!("ALTER SEQUENCE {} OWNED BY NONE", o.sequence)),
        Spec::Table(t) => {
            vec![Stmt::drop(format!("DROP TABLE {}", t.name)).hazard(Hazard::DataLoss)]
        }
        Spec::Column(c) if c.inherited => Vec::new(),
        Spec::Column(c) => {
            let stmt = Stmt::drop(format!("ALTER TABLE {} DROP COLUMN {}", c.table, c.name));
            vec![loses_values(c, stmt)]
        }
        Spec::Default(d) => one(format!(
            "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT",
            d.table, d.column
        )),
        Spec::Constraint(c) => one(format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            c.table, c.name
        )),
        Spec::Index(i) => one(format!("DROP INDEX {}", i.name)),
        Spec::View(v) => one(format!("DROP VIEW {}", v.name)),
        Spec::MaterializedView(m) => one(format!("DROP MATERIALIZED VIEW {}", m.name)),
        Spec::Function(f) => one(format!(
            "DROP {} {}({})",
            if f.function_kind == "p" {
                "PROCEDURE"
            } else {
                "FUNCTION"
            },
            f.name,
            f.identity_arguments
        )),
        Spec::Trigger(t) => one(format!("DROP TRIGGER {} ON {}", t.name, t.table)),
        Spec::Policy(p) => one(format!("DROP POLICY {} ON {}", p.name, p.table)),
        Spec::Comment(c) => one(format!(
            "COMMENT ON {} IS NULL",
            target_reference(&c.target, lookup)
        )),
        Spec::Grant(g) => one(grant_sql(g, lookup, true)),
        Spec::DefaultPrivilege(d) => one(default_privilege_sql(d, true)),
        _ => unreachable!("the other kinds are dropped by `more::drop`"),
    }
}

/// An index definition as `pg_get_indexdef` prints it, but reaching the partitions: it
/// prints a partitioned table's index `ON ONLY` the table, which creates it on the
/// table alone, invalid until each partition's is attached. Without `ONLY`, PostgreSQL
/// creates (or attaches) the partitions' own.
pub fn with_partitions(definition: &str) -> String {
    // CREATE [UNIQUE] INDEX <name> ON [ONLY] <table> …: the name may be quoted, and hold
    // anything.
    let after_index = definition
        .find(" INDEX ")
        .map_or(0, |i| i + " INDEX ".len());
    let rest = &definition[after_index..];
    let name_end = if let Some(quoted) = rest.strip_prefix('"') {
        // Up to the closing quote, `""` being a quote inside.
        let mut end = 1;
        let bytes = quoted.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                end = i + 2;
                break;
            }
            i += 1;
        }
        end
    } else {
        rest.find(' ').unwrap_or(rest.len())
    };
    let at = after_index + name_end;
    match definition[at..].strip_prefix(" ON ONLY ") {
        Some(tail) => format!("{} ON {tail}", &definition[..at]),
        None => definition.to_string(),
    }
}

/// `ALTER TABLE ONLY … DROP COLUMN`: the table's inheritance children keep the
/// column, as their own.
pub fn drop_column_only(column: &Column) -> Stmt {
    let stmt = Stmt::drop(format!(
        "ALTER TABLE ONLY {} DROP COLUMN {}",
        column.table, column.name
    ));
    loses_values(column, stmt)
}

/// Dropping a column loses its values, but for a generated column's: they are computed
/// from the other columns, and again when it is added back.
fn loses_values(column: &Column, drop: Stmt) -> Stmt {
    if column.generated.is_some() {
        drop
    } else {
        drop.hazard(Hazard::DataLoss)
    }
}

fn alter(stmts: Vec<Stmt>) -> Change {
    if stmts.is_empty() {
        Change::Same
    } else {
        Change::Alter {
            stmts,
            breaks_dependents: false,
        }
    }
}

fn is_enum(data_type: &str, lookup: &dyn Lookup) -> bool {
    let name = data_type.trim_end_matches("[]");
    lookup
        .object(&format!("type:{name}"))
        .is_some_and(|o| matches!(o.spec, Spec::Enum(_)))
}

/// Whether a column holds values of a range type of the schema (or of its multirange,
/// which is no object of its own): no cast leads to or from one but through text.
fn holds_range(column: &Object, lookup: &dyn Lookup) -> bool {
    column.deps.iter().any(|dep| {
        dep.starts_with("type:")
            && lookup
                .object(dep)
                .is_some_and(|o| matches!(o.spec, Spec::Range(_)))
    })
}

/// Whether a column's values convert to its new type only through their text form: no
/// cast leads to or from an enum or a range type of the schema.
fn converts_via_text(old: &Object, new: &Object, before: &dyn Lookup, lookup: &dyn Lookup) -> bool {
    let (Spec::Column(a), Spec::Column(b)) = (&old.spec, &new.spec) else {
        return false;
    };
    a.data_type != b.data_type
        && (is_enum(&a.data_type, before)
            || is_enum(&b.data_type, lookup)
            || holds_range(old, before)
            || holds_range(new, lookup))
}

/// How `old` (from `before`) becomes `new` (from `lookup`, the target), same key.
pub fn change(old: &Object, new: &Object, before: &dyn Lookup, lookup: &dyn Lookup) -> Change {
    // Most objects of two snapshots are equal: settle that before any lookup.
    if old.spec == new.spec {
        return Change::Same;
    }
    match (&old.spec, &new.spec) {
        // A parent's change reaches its partitions and children by itself; only
        // their own NOT NULL is theirs to change. (A column that stops being
        // inherited, its parent's dropped `ONLY` there, is compared as any other.)
        (Spec::Column(a), Spec::Column(b)) if b.inherited => {
            // A column of the table's own that its new parent's (`INHERIT`, `ATTACH
            // PARTITION`) makes inherited: retyped and made NOT NULL before, by the
            // table's change (`columns_to_match_parent`); what reads it comes and goes
            // around that.
            let joins_parent = !a.inherited && gains_parent(&b.table, before, lookup);
            let mut stmts = Vec::new();
            if a.not_null != b.not_null && !(joins_parent && b.not_null) {
                let verb = if b.not_null { "SET" } else { "DROP" };
                stmts.push(Stmt::create(format!(
                    "ALTER TABLE {} ALTER COLUMN {} {verb} NOT NULL",
                    b.table, b.name
                )));
            }
            let retyped =
                joins_parent && (a.data_type != b.data_type || a.collation != b.collation);
            if stmts.is_empty() && !retyped {
                return Change::Same;
            }
            Change::Alter {
                stmts,
                breaks_dependents: retyped,
            }
        }
        (Spec::Column(a), Spec::Column(b))
            if lookup
                .object(&format!("foreign_table:{}", b.table))
                .is_some() =>
        {
            more::foreign_column(change_column(a, b, false, None, before.server_version()))
        }
        (Spec::Column(a), Spec::Column(b)) => {
            let via_text = converts_via_text(old, new, before, lookup);
            let validated = (!a.not_null && b.not_null)
                .then(|| not_valid_not_null(old, before))
                .flatten();
            change_column(a, b, via_text, validated, before.server_version())
        }
        (Spec::Extension(a), Spec::Extension(b)) => more::change_extension(a, b),
        (Spec::Enum(a), Spec::Enum(b)) => change_enum(a, b),
        (Spec::Domain(a), Spec::Domain(b)) => change_domain(a, b),
        (Spec::Composite(a), Spec::Composite(b)) => change_composite(a, b),
        // No ALTER changes a range type's definition: rebuilt beside the old one, its
        // columns' values converted through their text form.
        (Spec::Range(_), Spec::Range(_)) => Change::Rebuild {
            convert: "$value::text".to_string(),
        },
        (Spec::Sequence(a), Spec::Sequence(b)) => change_sequence(a, b),
        (Spec::Table(a), Spec::Table(b)) => change_table(old, a, b, before, lookup),
        (Spec::Default(_), Spec::Default(_))
        | (Spec::Comment(_), Spec::Comment(_))
        | (Spec::Policy(_), Spec::Policy(_))
            if !needs_policy_recreate(&old.spec, &new.spec) =>
        {
            alter_to(new, lookup)
        }
        (Spec::Constraint(a), Spec::Constraint(b))
            if a.definition.strip_suffix(" NOT VALID") == Some(b.definition.as_str()) =>
        {
            alter(vec![Stmt::create(format!(
                "ALTER TABLE {} VALIDATE CONSTRAINT {}",
                b.table, b.name
            ))
            .hazard(Hazard::BlockingLock)])
        }
        (Spec::Constraint(a), Spec::Constraint(b))
            if a.constraint_type == "f"
                && KeyAttributes::of(&a.definition).rest
                    == KeyAttributes::of(&b.definition).rest =>
        {
            let (old, new) = (
                KeyAttributes::of(&a.definition),
                KeyAttributes::of(&b.definition),
            );
            let prefix = format!("ALTER TABLE {} ALTER CONSTRAINT {}", b.table, b.name);
            let mut stmts = Vec::new();
            if (old.deferrable, old.deferred) != (new.deferrable, new.deferred) {
                let timing = match (new.deferrable, new.deferred) {
                    (false, _) => "NOT DEFERRABLE",
                    (true, false) => "DEFERRABLE INITIALLY IMMEDIATE",
                    (true, true) => "DEFERRABLE INITIALLY DEFERRED",
                };
                stmts.push(Stmt::create(format!("{prefix} {timing}")));
            }
            if old.enforced != new.enforced {
                // Enforced again, the key checks every row.
                stmts.push(if new.enforced {
                    Stmt::create(format!("{prefix} ENFORCED")).hazard(Hazard::BlockingLock)
                } else {
                    Stmt::create(format!("{prefix} NOT ENFORCED"))
                });
            }
            alter(stmts)
        }
        // Its options too: CREATE OR REPLACE VIEW replaces them with the ones it names.
        (Spec::View(a), Spec::View(b)) if b.columns.starts_with(&a.columns) => {
            replaced(create_view(b, true))
        }
        // The same key: the same input parameters, names and types. Their defaults may
        // change, or be added, not removed.
        (Spec::Function(a), Spec::Function(b))
            if a.result == b.result
                && a.function_kind == b.function_kind
                && a.outputs == b.outputs
                && b.defaults >= a.defaults =>
        {
            replaced(b.definition.clone())
        }
        (Spec::Trigger(a), Spec::Trigger(b)) if a.definition == b.definition => {
            alter(trigger_state(b).into_iter().map(Stmt::create).collect())
        }
        // In place from PostgreSQL 14 on, but not a constraint trigger. Replaced, a
        // trigger fires on origin again: another state is set after.
        (Spec::Trigger(a), Spec::Trigger(b))
            if before.server_version() >= 140_000
                && a.definition.starts_with(PLAIN_TRIGGER)
                && b.definition.starts_with(PLAIN_TRIGGER) =>
        {
            let mut stmts = vec![Stmt::create(b.definition.replacen(
                PLAIN_TRIGGER,
                "CREATE OR REPLACE TRIGGER ",
                1,
            ))];
            if b.enabled != "O" {
                stmts.extend(trigger_state(b).map(Stmt::create));
            }
            alter(stmts)
        }
        (a, b) => more::change(a, b, lookup).unwrap_or(Change::Recreate),
    }
}

/// What `ALTER CONSTRAINT` changes in a foreign key: when it is checked, and whether it
/// is (PostgreSQL 18); `rest` is the definition without them, as `pg_get_constraintdef`
/// prints it (`DEFERRABLE`, `INITIALLY DEFERRED`, then `NOT ENFORCED` or `NOT VALID`).
struct KeyAttributes {
    rest: String,
    deferrable: bool,
    deferred: bool,
    enforced: bool,
}

impl KeyAttributes {
    fn of(definition: &str) -> Self {
        let (rest, enforced) = match definition.strip_suffix(" NOT ENFORCED") {
            Some(stripped) => (stripped, false),
            None => (definition, true),
        };
        let (rest, not_valid) = match rest.strip_suffix(" NOT VALID") {
            Some(stripped) => (stripped, " NOT VALID"),
            None => (rest, ""),
        };
        let (rest, deferred) = match rest.strip_suffix(" INITIALLY DEFERRED") {
            Some(stripped) => (stripped, true),
            None => (rest, false),
        };
        let (rest, deferrable) = match rest.strip_suffix(" DEFERRABLE") {
            Some(stripped) => (stripped, true),
            None => (rest, false),
        };
        KeyAttributes {
            rest: format!("{rest}{not_valid}"),
            deferrable,
            deferred,
            enforced,
        }
    }
}

/// `CREATE OR REPLACE`: dependents survive, but materialized views over it hold
/// rows computed the old way.
fn replaced(sql: String) -> Change {
    Change::Alter {
        stmts: vec![Stmt::create(sql)],
        breaks_dependents: true,
    }
}

fn needs_policy_recreate(old: &Spec, new: &Spec) -> bool {
    match (old, new) {
        (Spec::Policy(a), Spec::Policy(b)) => {
            a.permissive != b.permissive
                || a.command != b.command
                || (a.using.is_some() && b.using.is_none())
                || (a.with_check.is_some() && b.with_check.is_none())
        }
        _ => false,
    }
}

/// Objects whose change is a single statement re-stating the new form.
fn alter_to(new: &Object, lookup: &dyn Lookup) -> Change {
    let stmts = match &new.spec {
        Spec::Policy(p) => {
            vec![Stmt::create(format!(
                "ALTER POLICY {} ON {} TO {}{}",
                p.name,
                p.table,
                p.roles.join(", "),
                policy_expressions(p)
            ))]
        }
        _ => create(new, lookup),
    };
    alter(stmts)
}

/// The `NOT NULL … NOT VALID` constraint (PostgreSQL 18) on `column`, if it has one.
pub fn not_valid_not_null<'a>(column: &Object, lookup: &'a dyn Lookup) -> Option<&'a Constraint> {
    let table = column.owner.as_deref()?;
    lookup
        .children(table)
        .into_iter()
        .find_map(|o| match &o.spec {
            Spec::Constraint(c)
                if c.constraint_type == "n"
                    && c.definition.ends_with(" NOT VALID")
                    && o.deps.contains(&column.key) =>
            {
                Some(c)
            }
            _ => None,
        })
}

/// `validated`: the column's `NOT NULL … NOT VALID` constraint, validated to make it NOT
/// NULL (rows are read under a lock that lets them be read and written, where SET NOT
/// NULL holds them all up); `server_version`: of the server the plan runs on.
fn change_column(
    a: &Column,
    b: &Column,
    cast_via_text: bool,
    validated: Option<&Constraint>,
    server_version: i32,
) -> Change {
    let same_but_position = a.data_type == b.data_type
        && a.not_null == b.not_null
        && a.collation == b.collation
        && a.identity == b.identity
        && a.generated == b.generated
        && a.generated_virtual == b.generated_virtual
        && a.name == b.name
        && a.table == b.table;
    if same_but_position {
        return Change::Same;
    }
    // No cast turns a value into an array of it or back: the column is replaced.
    let is_array = |c: &Column| c.data_type.ends_with("[]");
    // A stored generated column becomes a plain one keeping its values (DROP
    // EXPRESSION); no statement makes a column generated, turns a stored one virtual or
    // back, or a virtual one plain.
    let stops_being_stored = a.generated.is_some() && !a.generated_virtual && b.generated.is_none();
    if (a.generated.is_some() != b.generated.is_some() && !stops_being_stored)
        || (b.generated.is_some() && a.generated_virtual != b.generated_virtual)
        || is_array(a) != is_array(b)
    {
        return Change::Recreate;
    }
    let retyped = a.data_type != b.data_type || a.collation != b.collation;
    let prefix = format!("ALTER TABLE {} ALTER COLUMN {}", b.table, b.name);
    let mut stmts = Vec::new();
    if stops_being_stored {
        stmts.push(Stmt::create(format!("{prefix} DROP EXPRESSION")));
    }
    if let (true, Some(expression)) = (a.generated != b.generated, &b.generated) {
        // PostgreSQL 17 on sets the new expression in place (the column keeps its
        // position and what reads it); a stored column's values are computed again.
        if server_version < 170_000 || retyped {
            return Change::Recreate;
        }
        let stmt = Stmt::create(format!("{prefix} SET EXPRESSION AS ({expression})"));
        stmts.push(if b.generated_virtual {
            stmt
        } else {
            stmt.hazard(Hazard::TableRewrite)
        });
    }
    // Identity goes first: its sequence must be gone before a new one takes the name.
    if a.identity.is_some() && b.identity.is_none() {
        stmts.push(Stmt::drop(format!("{prefix} DROP IDENTITY")));
    }
    if retyped {
        stmts.push(retype_to(b, cast_via_text));
    }
    // An identity column must be NOT NULL before it becomes one, and stays NOT NULL
    // after it stops being one unless told otherwise.
    if a.not_null != b.not_null {
        if let Some(constraint) = validated {
            stmts.push(Stmt::create(format!(
                "ALTER TABLE {} VALIDATE CONSTRAINT {}",
                b.table, constraint.name
            )));
        } else if b.not_null {
            stmts.push(set_not_null(&b.table, &b.name));
        } else {
            stmts.push(Stmt::create(format!("{prefix} DROP NOT NULL")));
        }
    }
    match (&a.identity, &b.identity) {
        (None, Some(identity)) => stmts.push(Stmt::create(format!(
            "{prefix} ADD {}",
            identity_clause(identity, &b.data_type)
        ))),
        (Some(old), Some(new)) if old != new => {
            let mut clauses = Vec::new();
            if old.generation != new.generation {
                clauses.push(format!("SET GENERATED {}", new.generation));
            }
            let options = option_changes(&old.into(), &new.into());
            clauses.extend(options.into_iter().map(|option| format!("SET {option}")));
            stmts.push(Stmt::create(format!("{prefix} {}", clauses.join(" "))));
        }
        _ => {}
    }
    if stmts.is_empty() {
        Change::Same
    } else {
        Change::Alter {
            stmts,
            breaks_dependents: retyped,
        }
    }
}

fn change_enum(a: &EnumType, b: &EnumType) -> Change {
    // Values can only be added in place; each new one goes after its predecessor
    // in the new order (or before the first value when it leads).
    let mut kept = b.labels.iter().filter(|l| a.labels.contains(l));
    if !a.labels.iter().eq(kept.by_ref()) || a.labels.len() > b.labels.len() {
        return Change::Rebuild {
            convert: "$value::text".to_string(),
        };
    }
    let mut stmts = Vec::new();
    for (i, label) in b.labels.iter().enumerate() {
        if a.labels.contains(label) {
            continue;
        }
        let position = if i > 0 {
            format!(" AFTER {}", quote_literal(&b.labels[i - 1]))
        } else if b.labels.len() > 1 {
            format!(" BEFORE {}", quote_literal(&b.labels[1]))
        } else {
            String::new()
        };
        let mut stmt = Stmt::new(
            Phase::Early,
            format!(
                "ALTER TYPE {} ADD VALUE {}{position}",
                b.name,
                quote_literal(label)
            ),
        );
        stmt.commit_after = true;
        stmts.push(stmt);
    }
    alter(stmts)
}

fn change_domain(a: &Domain, b: &Domain) -> Change {
    if a.base_type != b.base_type || a.collation != b.collation {
        return Change::Rebuild {
            convert: format!("$value::{}", b.base_type),
        };
    }
    let mut stmts = Vec::new();
    if a.default != b.default {
        stmts.push(Stmt::create(domain_default(b)));
    }
    if a.not_null != b.not_null {
        stmts.push(domain_not_null(b));
    }
    for old in &a.constraints {
        if !b.constraints.contains(old) {
            stmts.push(Stmt::create(domain_constraint_dropped(b, old)));
        }
    }
    for new in &b.constraints {
        if !a.constraints.contains(new) {
            stmts.push(domain_constraint_added(b, new));
        }
    }
    alter(stmts)
}

/// `SET NOT NULL`: every row is read under a lock that holds up the table.
pub fn set_not_null(table: &str, column: &str) -> Stmt {
    Stmt::create(format!(
        "ALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL"
    ))
    .hazard(Hazard::BlockingLock)
}

/// A stored generated column's values computed again with the same expression
/// (PostgreSQL 17 on): the function it calls was replaced.
pub fn compute_again(column: &Column) -> Stmt {
    let expression = column.generated.as_deref().unwrap_or_default();
    Stmt::create(format!(
        "ALTER TABLE {} ALTER COLUMN {} SET EXPRESSION AS ({expression})",
        column.table, column.name
    ))
    .hazard(Hazard::TableRewrite)
}

/// A domain whose checks or default use something that is dropped and created again (a
/// function whose signature changed): they are taken off before it goes and put back once
/// it is there again, instead of dropping the domain with its columns' values.
pub fn domain_checks_around(old: &Domain, new: &Domain) -> Vec<Stmt> {
    let mut stmts: Vec<Stmt> = old
        .constraints
        .iter()
        .map(|c| Stmt::drop(domain_constraint_dropped(old, c)))
        .collect();
    if old.default.is_some() {
        stmts.push(Stmt::drop(format!(
            "ALTER DOMAIN {} DROP DEFAULT",
            old.name
        )));
    }
    if new.default.is_some() {
        stmts.push(Stmt::create(domain_default(new)));
    }
    if old.not_null != new.not_null {
        stmts.push(domain_not_null(new));
    }
    stmts.extend(
        new.constraints
            .iter()
            .map(|c| domain_constraint_added(new, c)),
    );
    stmts
}

/// `SET DEFAULT` the domain's default, or `DROP DEFAULT` when it has none.
fn domain_default(domain: &Domain) -> String {
    match &domain.default {
        Some(default) => format!("ALTER DOMAIN {} SET DEFAULT {default}", domain.name),
        None => format!("ALTER DOMAIN {} DROP DEFAULT", domain.name),
    }
}

fn domain_not_null(domain: &Domain) -> Stmt {
    let verb = if domain.not_null { "SET" } else { "DROP" };
    Stmt::create(format!("ALTER DOMAIN {} {verb} NOT NULL", domain.name))
        .hazard(Hazard::BlockingLock)
}

/// How `COMMENT ON` names a domain's constraint: the target of its comment, as the
/// reader (`pgmt/catalog/reader.py`) writes it.
pub fn domain_constraint_reference(domain: &Domain, constraint: &DomainConstraint) -> String {
    format!("CONSTRAINT {} ON DOMAIN {}", constraint.name, domain.name)
}

fn domain_constraint_dropped(domain: &Domain, constraint: &DomainConstraint) -> String {
    format!(
        "ALTER DOMAIN {} DROP CONSTRAINT {}",
        domain.name, constraint.name
    )
}

/// Checks the domain's values, hence its columns' rows.
fn domain_constraint_added(domain: &Domain, constraint: &DomainConstraint) -> Stmt {
    Stmt::create(format!(
        "ALTER DOMAIN {} ADD CONSTRAINT {} {}",
        domain.name, constraint.name, constraint.definition
    ))
    .hazard(Hazard::BlockingLock)
}

fn change_composite(a: &Composite, b: &Composite) -> Change {
    let names = |c: &Composite| {
        c.attributes
            .iter()
            .map(|x| x.name.clone())
            .collect::<Vec<_>>()
    };
    let (old_names, new_names) = (names(a), names(b));
    let kept: Vec<&String> = old_names.iter().filter(|n| new_names.contains(n)).collect();
    let kept_in_new: Vec<&String> = new_names.iter().filter(|n| old_names.contains(n)).collect();
    // Attributes can be dropped anywhere but only added at the end.
    let added_at_end = new_names
        .iter()
        .skip_while(|n| old_names.contains(n))
        .all(|n| !old_names.contains(n));
    if kept != kept_in_new || !added_at_end {
        return Change::Recreate;
    }
    let mut clauses = Vec::new();
    for old in &a.attributes {
        match b.attributes.iter().find(|x| x.name == old.name) {
            None => clauses.push(format!("DROP ATTRIBUTE {}", old.name)),
            Some(new) if new != old => {
                let collate = new
                    .collation
                    .as_ref()
                    .map(|c| format!(" COLLATE {c}"))
                    .unwrap_or_default();
                clauses.push(format!(
                    "ALTER ATTRIBUTE {} TYPE {}{collate}",
                    new.name, new.data_type
                ));
            }
            _ => {}
        }
    }
    for new in &b.attributes {
        if !old_names.contains(&new.name) {
            let collate = new
                .collation
                .as_ref()
                .map(|c| format!(" COLLATE {c}"))
                .unwrap_or_default();
            clauses.push(format!(
                "ADD ATTRIBUTE {} {}{collate}",
                new.name, new.data_type
            ));
        }
    }
    alter(vec![Stmt::create(format!(
        "ALTER TYPE {} {}",
        b.name,
        clauses.join(", ")
    ))])
}

/// What sequences and identity columns share: the options of the sequence.
struct SequenceOptions {
    start: i64,
    increment: i64,
    min_value: i64,
    max_value: i64,
    cache: i64,
    cycle: bool,
}

macro_rules! sequence_options_of {
    ($($source:ty),*) => {$(
        impl From<&$source> for SequenceOptions {
            fn from(s: &$source) -> Self {
                SequenceOptions {
                    start: s.start,
                    increment: s.increment,
                    min_value: s.min_value,
                    max_value: s.max_value,
                    cache: s.cache,
                    cycle: s.cycle,
                }
            }
        }
    )*};
}
sequence_options_of!(Sequence, Identity);

impl SequenceOptions {
    /// The options that differ from what PostgreSQL would choose by itself for a
    /// sequence of `data_type`, as CREATE SEQUENCE spells them.
    fn non_default(&self, data_type: &str) -> Vec<String> {
        let ascending = self.increment > 0;
        let (default_min, default_max) = if ascending {
            (1, int_type_max(data_type))
        } else {
            (-int_type_max(data_type) - 1, -1)
        };
        let default_start = if ascending {
            self.min_value
        } else {
            self.max_value
        };
        let options = [
            (
                self.increment != 1,
                format!("INCREMENT BY {}", self.increment),
            ),
            (
                self.min_value != default_min,
                format!("MINVALUE {}", self.min_value),
            ),
            (
                self.max_value != default_max,
                format!("MAXVALUE {}", self.max_value),
            ),
            (
                self.start != default_start,
                format!("START WITH {}", self.start),
            ),
            (self.cache != 1, format!("CACHE {}", self.cache)),
            (self.cycle, "CYCLE".to_string()),
        ];
        options
            .into_iter()
            .filter_map(|(differs, option)| differs.then_some(option))
            .collect()
    }
}

/// The options that differ, as `ALTER SEQUENCE` spells them (`INCREMENT BY 2`, `NO CYCLE`).
fn option_changes(a: &SequenceOptions, b: &SequenceOptions) -> Vec<String> {
    let options = [
        (
            a.increment != b.increment,
            format!("INCREMENT BY {}", b.increment),
        ),
        (
            a.min_value != b.min_value,
            format!("MINVALUE {}", b.min_value),
        ),
        (
            a.max_value != b.max_value,
            format!("MAXVALUE {}", b.max_value),
        ),
        (a.start != b.start, format!("START WITH {}", b.start)),
        (a.cache != b.cache, format!("CACHE {}", b.cache)),
        (
            a.cycle != b.cycle,
            if b.cycle { "CYCLE" } else { "NO CYCLE" }.to_string(),
        ),
    ];
    options
        .into_iter()
        .filter(|(changed, _)| *changed)
        .map(|(_, o)| o)
        .collect()
}

fn change_sequence(a: &Sequence, b: &Sequence) -> Change {
    let mut clauses = Vec::new();
    if a.data_type != b.data_type {
        clauses.push(format!("AS {}", b.data_type));
    }
    clauses.extend(option_changes(&a.into(), &b.into()));
    let mut stmts = Vec::new();
    if b.max_value < a.min_value || b.min_value > a.max_value {
        // No value is in both ranges (an increment whose sign flipped): it starts again.
        clauses.push("RESTART".to_string());
    } else if b.min_value > a.min_value || b.max_value < a.max_value {
        // A narrower range must still hold the current value, or ALTER refuses.
        stmts.push(Stmt::create(format!(
            "SELECT setval({}, LEAST(GREATEST(last_value, {}), {}), is_called) FROM {}",
            quote_literal(&b.name),
            b.min_value,
            b.max_value,
            b.name
        )));
    }
    if !clauses.is_empty() {
        stmts.push(Stmt::create(format!(
            "ALTER SEQUENCE {} {}",
            b.name,
            clauses.join(" ")
        )));
    }
    if a.unlogged != b.unlogged {
        let state = if b.unlogged { "UNLOGGED" } else { "LOGGED" };
        stmts.push(Stmt::create(format!(
            "ALTER SEQUENCE {} SET {state}",
            b.name
        )));
    }
    alter(stmts)
}

/// Before `INHERIT parent`: the parent's columns the table lacks, added (PostgreSQL
/// refuses a child without them; with them, it merges them into inherited ones).
fn columns_to_inherit(
    table: &str,
    parent: &str,
    before: &dyn Lookup,
    lookup: &dyn Lookup,
) -> Vec<Stmt> {
    lookup
        .children(&format!("table:{parent}"))
        .into_iter()
        .filter_map(|o| match &o.spec {
            Spec::Column(c) => Some(c),
            _ => None,
        })
        .filter(|c| {
            before
                .object(&format!("column:{table}.{}", c.name))
                .is_none()
        })
        .map(|c| {
            // As the target has it on the child (NOT NULL and default included, which
            // INHERIT requires, or does not give): the parent's column otherwise.
            let key = format!("column:{table}.{}", c.name);
            let (column, default) = match lookup.object(&key).map(|o| &o.spec) {
                Some(Spec::Column(own)) => (own, folded_default(&key, lookup)),
                _ => (c, None),
            };
            Stmt::create(format!(
                "ALTER TABLE {table} ADD COLUMN {}",
                column_definition(column, default)
            ))
        })
        .collect()
}

/// Whether a table constraint is a CHECK that the table's inheritance children and
/// partitions get too (a `NO INHERIT` one stays on its table).
pub fn inheritable_check(constraint: &Constraint) -> bool {
    constraint.constraint_type == "c" && !constraint.definition.contains(" NO INHERIT")
}

/// The CHECKs a child of `parent` gets: the parent's and its own ancestors', one by
/// name. (A snapshot lists a CHECK on the table that declares it only.)
pub fn checks_from<'a>(parent: &str, lookup: &'a dyn Lookup) -> Vec<&'a Constraint> {
    let mut checks: Vec<&Constraint> = Vec::new();
    let mut seen = vec![parent.to_string()];
    let mut pending = vec![parent.to_string()];
    while let Some(table) = pending.pop() {
        let key = format!("table:{table}");
        for object in lookup.children(&key) {
            if let Spec::Constraint(c) = &object.spec {
                if inheritable_check(c) && !checks.iter().any(|k| k.name == c.name) {
                    checks.push(c);
                }
            }
        }
        if let Some(Spec::Table(t)) = lookup.object(&key).map(|o| &o.spec) {
            for up in t.inherits.iter().chain(&t.partition_of) {
                if !seen.contains(up) {
                    seen.push(up.clone());
                    pending.push(up.clone());
                }
            }
        }
    }
    checks
}

/// The keys of the CHECKs named `name` that reach `child` through each of its parents
/// but `via` (the snapshot's `lookup`).
pub fn checks_through_other_parents(
    child: &Table,
    via: &str,
    name: &str,
    lookup: &dyn Lookup,
) -> Vec<String> {
    child
        .inherits
        .iter()
        .chain(&child.partition_of)
        .filter(|p| *p != via)
        .flat_map(|p| checks_from(p, lookup))
        .filter(|c| c.name == name)
        .map(|c| format!("constraint:{}.{}", c.table, c.name))
        .collect()
}

/// `ALTER TABLE … ADD CONSTRAINT`, on `table` (a child takes its parent's), holding its
/// lock while it checks the rows (not a `NOT VALID` one).
fn add_constraint(table: &str, c: &Constraint) -> Stmt {
    let stmt = Stmt::create(format!(
        "ALTER TABLE {table} ADD CONSTRAINT {} {}",
        c.name, c.definition
    ));
    if c.definition.ends_with("NOT VALID") {
        stmt
    } else {
        stmt.hazard(Hazard::BlockingLock)
    }
}

/// A constraint dropped if it is still there: a parent's drop may have taken it.
fn drop_constraint_if_exists(table: &str, name: &str) -> String {
    format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
}

/// Once `table`'s CHECK `name` is gone (dropped, or its copy there dropped): the copies
/// below it, on the tables that stay (in `lookup`), dropped top-down. A child that
/// declared the CHECK itself too (merged with its parent's, which the catalog read counts
/// as inherited) keeps it as its own after its parent's DROP; `IF EXISTS`, as one that
/// only inherited it lost it with the parent. `keeps_it(child, parent)`: the child
/// keeps the CHECK through another parent, and what is below it with it.
pub fn drop_check_below(
    table: &str,
    name: &str,
    before: &dyn Lookup,
    lookup: &dyn Lookup,
    keeps_it: &dyn Fn(&Table, &str) -> bool,
) -> Vec<String> {
    let mut stmts = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut pending = vec![table];
    while let Some(parent) = pending.pop() {
        for child in before.child_tables(parent) {
            let stays = lookup.object(&format!("table:{}", child.name)).is_some();
            if !stays || keeps_it(child, parent) || seen.contains(&child.name.as_str()) {
                continue;
            }
            seen.push(&child.name);
            stmts.push(drop_constraint_if_exists(&child.name, name));
            pending.push(&child.name);
        }
    }
    stmts
}

/// The names of the CHECKs the table has through the parents it keeps from `a` to `b`
/// (the others come and go).
fn checks_kept<'l>(a: &Table, b: &Table, before: &'l dyn Lookup) -> Vec<&'l str> {
    a.inherits
        .iter()
        .chain(&a.partition_of)
        .filter(|p| b.inherits.contains(p) || b.partition_of.as_ref() == Some(p))
        .flat_map(|p| checks_from(p, before))
        .map(|c| c.name.as_str())
        .collect()
}

/// Before `INHERIT parent` or `ATTACH PARTITION`: the parent's CHECKs, added to the
/// table (PostgreSQL refuses a child without them, and merges them into inherited
/// ones). One the table already has from a parent it keeps is not added again; one the
/// table declared itself was dropped (the target's is inherited).
fn checks_to_inherit(
    a: &Table,
    b: &Table,
    parent: &str,
    before: &dyn Lookup,
    lookup: &dyn Lookup,
) -> Vec<Stmt> {
    let kept = checks_kept(a, b, before);
    checks_from(parent, lookup)
        .into_iter()
        .filter(|c| !kept.contains(&c.name.as_str()))
        .map(|c| add_constraint(&b.name, c))
        .collect()
}

/// After `NO INHERIT parent` or `DETACH PARTITION`: the CHECKs the table had from it,
/// now its own, dropped, and their copies below it (the target's CHECKs of these tables
/// are added after). `IF EXISTS`: the parent's own drop in this plan may have taken them.
fn checks_left_by(
    a: &Table,
    b: &Table,
    parent: &str,
    before: &dyn Lookup,
    lookup: &dyn Lookup,
) -> Vec<Stmt> {
    let kept = checks_kept(a, b, before);
    let mut stmts = Vec::new();
    for check in checks_from(parent, before) {
        if kept.contains(&check.name.as_str()) {
            continue;
        }
        stmts.push(Stmt::create(drop_constraint_if_exists(
            &b.name,
            &check.name,
        )));
        let keeps_it = |child: &Table, via: &str| {
            !checks_through_other_parents(child, via, &check.name, before).is_empty()
        };
        stmts.extend(
            drop_check_below(&b.name, &check.name, before, lookup, &keeps_it)
                .into_iter()
                .map(Stmt::create),
        );
    }
    stmts
}

/// `ALTER COLUMN … TYPE` to `b`'s type and collation, its values cast (through their
/// text form where no cast leads there).
fn retype_to(b: &Column, via_text: bool) -> Stmt {
    let collate = b
        .collation
        .as_ref()
        .map(|c| format!(" COLLATE {c}"))
        .unwrap_or_default();
    // Enums convert only through text (and arrays of them through text[]).
    let via = match (via_text, b.data_type.ends_with("[]")) {
        (false, _) => String::new(),
        (true, false) => "::text".to_string(),
        (true, true) => "::text[]".to_string(),
    };
    Stmt::create(format!(
        "ALTER TABLE {} ALTER COLUMN {} TYPE {}{collate} USING {}{via}::{}",
        b.table, b.name, b.data_type, b.name, b.data_type
    ))
    .hazard(Hazard::TableRewrite)
}

/// Before `INHERIT` or `ATTACH PARTITION`: the table's own columns that become inherited
/// get the parent's type and collation, and its NOT NULL (PostgreSQL refuses a child
/// without them), as the target has them.
fn columns_to_match_parent(table_key: &str, before: &dyn Lookup, lookup: &dyn Lookup) -> Vec<Stmt> {
    let mut stmts = Vec::new();
    for new in lookup.children(table_key) {
        let (Spec::Column(b), Some(old)) = (&new.spec, before.object(&new.key)) else {
            continue;
        };
        let Spec::Column(a) = &old.spec else {
            continue;
        };
        if a.inherited || !b.inherited {
            continue;
        }
        if a.data_type != b.data_type || a.collation != b.collation {
            stmts.push(retype_to(b, converts_via_text(old, new, before, lookup)));
        }
        if b.not_null && !a.not_null {
            stmts.push(set_not_null(&b.table, &b.name));
        }
    }
    stmts
}

/// Whether `table` gains a parent (`INHERIT`, `ATTACH PARTITION`) from `before` to
/// `lookup`.
fn gains_parent(table: &str, before: &dyn Lookup, lookup: &dyn Lookup) -> bool {
    let key = format!("table:{table}");
    match (
        before.object(&key).map(|o| &o.spec),
        lookup.object(&key).map(|o| &o.spec),
    ) {
        (Some(Spec::Table(a)), Some(Spec::Table(b))) => {
            b.inherits.iter().any(|p| !a.inherits.contains(p))
                || b.partition_of.is_some() && b.partition_of != a.partition_of
        }
        _ => false,
    }
}

/// After `DETACH PARTITION`: the constraints and indexes the partition had from its
/// parent's, now its own, dropped (the target's own are created after). `IF EXISTS`: a
/// key's index goes with its constraint.
fn left_by_detach(a: &Table) -> Vec<Stmt> {
    let constraints = a
        .cloned_constraints
        .iter()
        .map(|name| drop_constraint_if_exists(&a.name, name));
    let indexes = a
        .attached_indexes
        .iter()
        .map(|name| format!("DROP INDEX IF EXISTS {name}"));
    constraints.chain(indexes).map(Stmt::create).collect()
}

/// After `NO INHERIT parent` or `DETACH PARTITION`: the columns the table had from it,
/// now its own, that the target does not have.
fn columns_left_by(
    table_key: &str,
    parent: &str,
    before: &dyn Lookup,
    lookup: &dyn Lookup,
) -> Vec<Stmt> {
    let mut left = before
        .children(table_key)
        .into_iter()
        .filter_map(|o| match &o.spec {
            Spec::Column(c) if c.inherited && lookup.object(&o.key).is_none() => Some(c),
            _ => None,
        })
        .filter(|c| {
            before
                .object(&format!("column:{parent}.{}", c.name))
                .is_some()
        })
        .collect::<Vec<_>>();
    // Generated ones first: they read the others, which cannot go before them.
    left.sort_by_key(|c| c.generated.is_none());
    left.into_iter()
        .map(|c| {
            // One the parent loses too may have gone with it already (`IF EXISTS`): the
            // parent's drop reaches the table if it runs first.
            let parent_keeps = lookup
                .object(&format!("column:{parent}.{}", c.name))
                .is_some();
            let if_exists = if parent_keeps { "" } else { "IF EXISTS " };
            Stmt::create(format!(
                "ALTER TABLE {} DROP COLUMN {if_exists}{}",
                c.table, c.name
            ))
            .hazard(Hazard::DataLoss)
        })
        .collect()
}

fn change_table(
    old: &Object,
    a: &Table,
    b: &Table,
    before: &dyn Lookup,
    lookup: &dyn Lookup,
) -> Change {
    if a.partition_by != b.partition_by || a.partition_key_columns != b.partition_key_columns {
        return Change::Recreate;
    }
    let mut stmts = Vec::new();
    if a.partition_of != b.partition_of || a.partition_bound != b.partition_bound {
        // Re-bounded under the same parent, it keeps its CHECKs: DETACH leaves them its
        // own and ATTACH merges them again.
        let same_parent = a.partition_of == b.partition_of;
        if let Some(parent) = &a.partition_of {
            stmts.push(Stmt::create(format!(
                "ALTER TABLE {parent} DETACH PARTITION {}",
                b.name
            )));
            if !same_parent {
                stmts.extend(left_by_detach(a));
                stmts.extend(checks_left_by(a, b, parent, before, lookup));
                stmts.extend(columns_left_by(&old.key, parent, before, lookup));
            }
        }
        if let (Some(parent), Some(bound)) = (&b.partition_of, &b.partition_bound) {
            if !same_parent {
                stmts.extend(columns_to_match_parent(&old.key, before, lookup));
                stmts.extend(columns_to_inherit(&b.name, parent, before, lookup));
                stmts.extend(checks_to_inherit(a, b, parent, before, lookup));
            }
            stmts.push(
                Stmt::create(format!(
                    "ALTER TABLE {parent} ATTACH PARTITION {} {bound}",
                    b.name
                ))
                .hazard(Hazard::BlockingLock),
            );
        }
    }
    for parent in &a.inherits {
        if !b.inherits.contains(parent) {
            stmts.push(Stmt::create(format!(
                "ALTER TABLE {} NO INHERIT {parent}",
                b.name
            )));
            stmts.extend(checks_left_by(a, b, parent, before, lookup));
            stmts.extend(columns_left_by(&old.key, parent, before, lookup));
        }
    }
    let mut matched = columns_to_match_parent(&old.key, before, lookup);
    for parent in &b.inherits {
        if !a.inherits.contains(parent) {
            stmts.append(&mut matched);
            stmts.extend(columns_to_inherit(&b.name, parent, before, lookup));
            stmts.extend(checks_to_inherit(a, b, parent, before, lookup));
            stmts.push(Stmt::create(format!(
                "ALTER TABLE {} INHERIT {parent}",
                b.name
            )));
        }
    }
    if a.unlogged != b.unlogged {
        let state = if b.unlogged { "UNLOGGED" } else { "LOGGED" };
        stmts.push(
            Stmt::create(format!("ALTER TABLE {} SET {state}", b.name))
                .hazard(Hazard::TableRewrite),
        );
    }
    let removed: Vec<&str> = a
        .options
        .iter()
        .map(|o| option_key(o))
        .filter(|k| !b.options.iter().any(|o| option_key(o) == *k))
        .collect();
    if !removed.is_empty() {
        stmts.push(Stmt::create(format!(
            "ALTER TABLE {} RESET ({})",
            b.name,
            removed.join(", ")
        )));
    }
    let set: Vec<&String> = b
        .options
        .iter()
        .filter(|o| !a.options.contains(o))
        .collect();
    if !set.is_empty() {
        let set: Vec<&str> = set.iter().map(|s| s.as_str()).collect();
        stmts.push(Stmt::create(format!(
            "ALTER TABLE {} SET ({})",
            b.name,
            set.join(", ")
        )));
    }
    stmts.extend(row_security(b, Some(a)));
    alter(stmts)
}

/// A column whose type is being rebuilt: convert its values into the new type.
pub fn retype_column(column: &Column, convert: &str) -> Vec<Stmt> {
    let collate = column
        .collation
        .as_ref()
        .map(|c| format!(" COLLATE {c}"))
        .unwrap_or_default();
    let alter = |using: String| {
        Stmt::create(format!(
            "ALTER TABLE {} ALTER COLUMN {} TYPE {}{collate} USING {using}",
            column.table, column.name, column.data_type
        ))
        .hazard(Hazard::TableRewrite)
    };
    let Some(element) = column.data_type.strip_suffix("[]") else {
        let value = convert.replace("$value", &column.name);
        return vec![alter(format!("({value})::{}", column.data_type))];
    };
    // An array of the type: a cast converts each element as it would one value.
    if let Some(cast) = convert
        .strip_prefix("$value::")
        .filter(|c| !c.contains("$value"))
    {
        return vec![alter(format!(
            "({}::{cast}[])::{}",
            column.name, column.data_type
        ))];
    }
    // A conversion that reads the value's attributes does not apply to an array, and a
    // USING clause takes no subquery to take it apart: a function of the session's own
    // converts it element by element (each at its own subscript: the bounds stay).
    let function = "pg_temp.pgmt_convert_elements";
    let element_value = convert.replace("$value", "value[i]");
    vec![
        Stmt::create(format!(
            "CREATE FUNCTION {function}(value anyarray) RETURNS {array} STRICT LANGUAGE plpgsql AS $pgmt$\n\
             DECLARE\n\
             \x20   converted {array} := '{{}}';\n\
             BEGIN\n\
             \x20   IF array_ndims(value) > 1 THEN\n\
             \x20       RAISE EXCEPTION 'a multidimensional array cannot be converted element by element';\n\
             \x20   END IF;\n\
             \x20   FOR i IN coalesce(array_lower(value, 1), 1) .. coalesce(array_upper(value, 1), 0) LOOP\n\
             \x20       converted[i] := ({element_value})::{element};\n\
             \x20   END LOOP;\n\
             \x20   RETURN converted;\n\
             END\n\
             $pgmt$",
            array = column.data_type
        )),
        alter(format!("{function}({})", column.name)),
        Stmt::create(format!("DROP FUNCTION {function}(anyarray)")),
    ]
}

/// How a composite value becomes the new composite type: attribute by attribute
/// (converted where their type changed, NULL where new), and NULL stays NULL.
pub fn composite_conversion(old: &Composite, new: &Composite) -> String {
    let fields: Vec<String> = new
        .attributes
        .iter()
        .map(
            |attribute| match old.attributes.iter().find(|a| a.name == attribute.name) {
                Some(_) => format!("(($value).{})::{}", attribute.name, attribute.data_type),
                None => format!("NULL::{}", attribute.data_type),
            },
        )
        .collect();
    format!(
        "CASE WHEN $value IS NOT DISTINCT FROM NULL THEN NULL ELSE ROW({})::{} END",
        fields.join(", "),
        new.name
    )
}

/// Where a rebuilt type waits while its columns are converted to the new one.
pub struct Aside {
    /// Its qualified name there: what the plan shows dropping at the end.
    pub name: String,
    /// What moves it aside, one statement each.
    pub rename: Vec<String>,
    pub drop: String,
}

/// The name a rebuilt type is moved to while its columns are converted.
pub fn rebuild_aside(spec: &Spec) -> Option<Aside> {
    let name = match spec {
        Spec::Enum(e) => &e.name,
        Spec::Domain(d) => &d.name,
        Spec::Composite(c) => &c.name,
        Spec::Collation(c) => &c.name,
        Spec::Range(r) => &r.name,
        _ => return None,
    };
    let (schema, aside_bare) = aside_of(name);
    let keyword = match spec {
        Spec::Domain(_) => "DOMAIN",
        Spec::Collation(_) => "COLLATION",
        _ => "TYPE",
    };
    let mut rename = vec![format!("ALTER {keyword} {name} RENAME TO {aside_bare}")];
    if let Spec::Range(range) = spec {
        rename.extend(range_companions_aside(range));
    }
    let name = format!("{schema}.{aside_bare}");
    Some(Aside {
        rename,
        drop: format!("DROP {keyword} {name}"),
        name,
    })
}

/// What PostgreSQL makes with a range type under names of its own, moved aside with it:
/// its multirange type, and the constructors the new type's would collide with (those
/// over the subtype, and the multirange's of no arguments); the others take the old
/// type itself. All go when the old type is dropped.
fn range_companions_aside(range: &Range) -> Vec<String> {
    let (name, subtype) = (&range.name, &range.subtype);
    let aside = aside_of(name).1;
    let mut stmts = vec![
        format!("ALTER FUNCTION {name}({subtype}, {subtype}) RENAME TO {aside}"),
        format!("ALTER FUNCTION {name}({subtype}, {subtype}, text) RENAME TO {aside}"),
    ];
    if let Some(multirange) = &range.multirange {
        let aside = aside_of(multirange).1;
        stmts.push(format!("ALTER TYPE {multirange} RENAME TO {aside}"));
        stmts.push(format!("ALTER FUNCTION {multirange}() RENAME TO {aside}"));
    }
    stmts
}

/// `"s"."t"` or `s.t` → the schema, and the name `t__pgmt_old` (quoted as needed).
fn aside_of(name: &str) -> (&str, String) {
    let (schema, bare) = split_qualified(name);
    let aside_bare = if bare.starts_with('"') {
        format!("{}__pgmt_old\"", &bare[..bare.len() - 1])
    } else {
        format!("{bare}__pgmt_old")
    };
    (schema, aside_bare)
}

/// Splits `schema.name` where either part may be double-quoted (with `""` escapes).
pub fn split_qualified(name: &str) -> (&str, &str) {
    let mut in_quotes = false;
    for (i, c) in name.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '.' if !in_quotes => return (&name[..i], &name[i + 1..]),
            _ => {}
        }
    }
    ("", name)
}
