//! The kinds beyond tables, views and functions: aggregates, collations, owners,
//! rules, event triggers, publications, extended statistics, casts and text search.
//!
//! Each has its statements here; `mod.rs` dispatches to them from `create`, `drop`
//! and `change`.

use super::{
    alter, column_definition, folded_default, folds_into_owner, quote_literal, reference, Change,
    Lookup, Stmt,
};
use crate::model::*;
use crate::plan::Hazard;

/// `name(args)` for an aggregate; one without arguments is written `name(*)`.
pub fn aggregate_signature(a: &Aggregate) -> String {
    let args = if a.identity_arguments.is_empty() {
        "*"
    } else {
        &a.identity_arguments
    };
    format!("{}({args})", a.name)
}

fn create_aggregate(a: &Aggregate, or_replace: bool) -> String {
    let args = if a.arguments.is_empty() {
        "*"
    } else {
        &a.arguments
    };
    format!(
        "CREATE {}AGGREGATE {}({args}) ({})",
        if or_replace { "OR REPLACE " } else { "" },
        a.name,
        a.options
    )
}

fn create_collation(c: &Collation) -> String {
    let mut options = vec![format!("provider = {}", c.provider)];
    if let Some(locale) = &c.locale {
        options.push(format!("locale = {}", quote_literal(locale)));
    }
    if let Some(collate) = &c.lc_collate {
        options.push(format!("lc_collate = {}", quote_literal(collate)));
    }
    if let Some(ctype) = &c.lc_ctype {
        options.push(format!("lc_ctype = {}", quote_literal(ctype)));
    }
    if !c.deterministic {
        options.push("deterministic = false".to_string());
    }
    if let Some(rules) = &c.rules {
        options.push(format!("rules = {}", quote_literal(rules)));
    }
    format!("CREATE COLLATION {} ({})", c.name, options.join(", "))
}

fn owner_sql(o: &Ownership, role: &str, lookup: &dyn Lookup) -> String {
    let target = lookup
        .object(&o.target)
        .and_then(|t| reference(&t.spec))
        .unwrap_or_else(|| o.target.clone());
    format!("ALTER {target} OWNER TO {role}")
}

fn enable_verb(enabled: &str) -> &'static str {
    match enabled {
        "D" => "DISABLE",
        "R" => "ENABLE REPLICA",
        "A" => "ENABLE ALWAYS",
        _ => "ENABLE",
    }
}

fn rule_state(r: &Rule) -> Stmt {
    Stmt::create(format!(
        "ALTER TABLE {} {} RULE {}",
        r.table,
        enable_verb(&r.enabled),
        r.name
    ))
}

fn event_trigger_state(e: &EventTrigger) -> Stmt {
    Stmt::create(format!(
        "ALTER EVENT TRIGGER {} {}",
        e.name,
        enable_verb(&e.enabled)
    ))
}

fn create_event_trigger(e: &EventTrigger) -> Vec<Stmt> {
    let when = if e.tags.is_empty() {
        String::new()
    } else {
        let tags: Vec<String> = e.tags.iter().map(|t| quote_literal(t)).collect();
        format!(" WHEN TAG IN ({})", tags.join(", "))
    };
    let mut stmts = vec![Stmt::create(format!(
        "CREATE EVENT TRIGGER {} ON {}{when} EXECUTE FUNCTION {}()",
        e.name, e.event, e.function
    ))];
    if e.enabled != "O" {
        stmts.push(event_trigger_state(e));
    }
    stmts
}

fn create_publication(p: &Publication) -> String {
    let mut sql = format!("CREATE PUBLICATION {}", p.name);
    if p.all_tables {
        sql.push_str(" FOR ALL TABLES");
    }
    if !p.options.is_empty() {
        sql.push_str(&format!(" WITH ({})", p.options.join(", ")));
    }
    sql
}

fn publication_table_sql(t: &PublicationTable) -> String {
    let mut sql = format!("ALTER PUBLICATION {} ADD TABLE {}", t.publication, t.table);
    if !t.columns.is_empty() {
        sql.push_str(&format!(" ({})", t.columns.join(", ")));
    }
    if let Some(filter) = &t.row_filter {
        sql.push_str(&format!(" WHERE ({filter})"));
    }
    sql
}

fn create_cast(c: &Cast) -> String {
    let how = match (&c.function, c.method.as_str()) {
        (Some(function), _) => format!("WITH FUNCTION {function}"),
        (None, "i") => "WITH INOUT".to_string(),
        (None, _) => "WITHOUT FUNCTION".to_string(),
    };
    let context = match c.context.as_str() {
        "a" => " AS ASSIGNMENT",
        "i" => " AS IMPLICIT",
        _ => "",
    };
    format!("CREATE CAST ({} AS {}) {how}{context}", c.source, c.target)
}

fn statistics_target(s: &Statistics) -> Stmt {
    Stmt::create(format!(
        "ALTER STATISTICS {} SET STATISTICS {}",
        s.name,
        s.target.unwrap_or(-1)
    ))
}

/// `OPTIONS (…)` of a new foreign object, empty when it has none.
fn options_clause(options: &[String]) -> String {
    if options.is_empty() {
        String::new()
    } else {
        format!(" OPTIONS ({})", options.join(", "))
    }
}

/// The name of an option `name 'value'`.
fn option_name(option: &str) -> &str {
    option.split(' ').next().unwrap_or(option)
}

/// `OPTIONS (DROP …, SET …, ADD …)` taking `old` to `new`; `None` when equal.
fn change_options(old: &[String], new: &[String]) -> Option<String> {
    let mut changes = Vec::new();
    for o in old {
        if !new.iter().any(|n| option_name(n) == option_name(o)) {
            changes.push(format!("DROP {}", option_name(o)));
        }
    }
    for n in new {
        match old.iter().find(|o| option_name(o) == option_name(n)) {
            Some(o) if o == n => {}
            Some(_) => changes.push(format!("SET {n}")),
            None => changes.push(format!("ADD {n}")),
        }
    }
    (!changes.is_empty()).then(|| format!("OPTIONS ({})", changes.join(", ")))
}

/// A statement, flagged when it writes a secret's placeholder.
fn with_secrets(stmt: Stmt) -> Stmt {
    if stmt.sql.contains(SECRET_PLACEHOLDER) {
        stmt.hazard(Hazard::SecretPlaceholder)
    } else {
        stmt
    }
}

fn create_wrapper(w: &ForeignDataWrapper) -> String {
    let mut sql = format!("CREATE FOREIGN DATA WRAPPER {}", w.name);
    if let Some(handler) = &w.handler {
        sql.push_str(&format!(" HANDLER {handler}"));
    }
    if let Some(validator) = &w.validator {
        sql.push_str(&format!(" VALIDATOR {validator}"));
    }
    sql + &options_clause(&w.options)
}

fn create_server(s: &ForeignServer) -> String {
    let mut sql = format!("CREATE SERVER {}", s.name);
    if let Some(server_type) = &s.server_type {
        sql.push_str(&format!(" TYPE {}", quote_literal(server_type)));
    }
    if let Some(version) = &s.version {
        sql.push_str(&format!(" VERSION {}", quote_literal(version)));
    }
    sql.push_str(&format!(" FOREIGN DATA WRAPPER {}", s.wrapper));
    sql + &options_clause(&s.options)
}

/// `CREATE FOREIGN TABLE` with its columns and CHECK constraints written inside.
fn create_foreign_table(object: &Object, t: &ForeignTable, lookup: &dyn Lookup) -> String {
    let children = lookup.children(&object.key);
    let mut columns: Vec<(&Object, &Column)> = children
        .iter()
        .filter_map(|o| match &o.spec {
            Spec::Column(c) => Some((*o, c)),
            _ => None,
        })
        .collect();
    columns.sort_by_key(|(_, c)| c.position);
    let mut elements: Vec<String> = columns
        .iter()
        .map(|(o, c)| foreign_column_definition(o, c, lookup))
        .collect();
    for child in &children {
        if let Spec::Constraint(c) = &child.spec {
            if folds_into_owner(&child.spec) {
                elements.push(format!("CONSTRAINT {} {}", c.name, c.definition));
            }
        }
    }
    format!(
        "CREATE FOREIGN TABLE {} (\n    {}\n) SERVER {}{}",
        t.name,
        elements.join(",\n    "),
        t.server,
        options_clause(&t.options)
    )
}

/// The `OPTIONS (…)` of a foreign table's column, from its `ColumnOptions` child.
fn column_options<'a>(column_key: &str, lookup: &'a dyn Lookup) -> Option<&'a ColumnOptions> {
    lookup
        .children(column_key)
        .into_iter()
        .find_map(|child| match &child.spec {
            Spec::ColumnOptions(o) => Some(o),
            _ => None,
        })
}

/// A foreign table's column as CREATE FOREIGN TABLE and ADD COLUMN write it: its
/// options go right after the type, before COLLATE, NOT NULL and DEFAULT.
fn foreign_column_definition(object: &Object, c: &Column, lookup: &dyn Lookup) -> String {
    let definition = column_definition(c, folded_default(&object.key, lookup));
    match column_options(&object.key, lookup) {
        Some(options) => {
            let head = format!("{} {}", c.name, c.data_type);
            let rest = definition.strip_prefix(&head).unwrap_or_default();
            format!("{head}{}{rest}", options_clause(&options.options))
        }
        None => definition,
    }
}

fn column_options_sql(o: &ColumnOptions, options: &str) -> String {
    format!(
        "ALTER FOREIGN TABLE {} ALTER COLUMN {} {options}",
        o.table, o.column
    )
}

/// `CREATE TYPE … (…)` of a base type; options PostgreSQL would choose by itself
/// (category U, delimiter `,`, …) left out.
fn create_base_type(t: &BaseType) -> String {
    let mut options = vec![
        format!("INPUT = {}", t.input),
        format!("OUTPUT = {}", t.output),
    ];
    let functions = [
        ("RECEIVE", &t.receive),
        ("SEND", &t.send),
        ("TYPMOD_IN", &t.typmod_in),
        ("TYPMOD_OUT", &t.typmod_out),
        ("ANALYZE", &t.analyze),
        ("SUBSCRIPT", &t.subscript),
    ];
    for (name, function) in functions {
        if let Some(function) = function {
            options.push(format!("{name} = {function}"));
        }
    }
    options.push(match t.internal_length {
        -1 => "INTERNALLENGTH = VARIABLE".to_string(),
        n => format!("INTERNALLENGTH = {n}"),
    });
    if t.passed_by_value {
        options.push("PASSEDBYVALUE".to_string());
    }
    options.push(format!("ALIGNMENT = {}", t.alignment));
    options.push(format!("STORAGE = {}", t.storage));
    if t.category != "U" {
        options.push(format!("CATEGORY = {}", quote_literal(&t.category)));
    }
    if t.preferred {
        options.push("PREFERRED = true".to_string());
    }
    if let Some(default) = &t.default {
        options.push(format!("DEFAULT = {}", quote_literal(default)));
    }
    if let Some(element) = &t.element {
        options.push(format!("ELEMENT = {element}"));
    }
    if t.delimiter != "," {
        options.push(format!("DELIMITER = {}", quote_literal(&t.delimiter)));
    }
    if t.collatable {
        options.push("COLLATABLE = true".to_string());
    }
    format!("CREATE TYPE {} ({})", t.name, options.join(", "))
}

/// A base type changes in place only where `ALTER TYPE … SET` reaches (its binary
/// I/O, typmod, analyze and subscript functions, and its storage unless to plain);
/// anything else recreates it with its I/O functions. A function it stops using
/// is let go in the drop phase (`= NONE`), as that function may be dropped there.
fn change_base_type(a: &BaseType, b: &BaseType) -> Change {
    let settable = BaseType {
        receive: b.receive.clone(),
        send: b.send.clone(),
        typmod_in: b.typmod_in.clone(),
        typmod_out: b.typmod_out.clone(),
        analyze: b.analyze.clone(),
        subscript: b.subscript.clone(),
        storage: b.storage.clone(),
        ..a.clone()
    };
    if settable != *b || (a.storage != b.storage && b.storage == "plain") {
        return Change::Recreate;
    }
    let functions = [
        ("RECEIVE", &a.receive, &b.receive),
        ("SEND", &a.send, &b.send),
        ("TYPMOD_IN", &a.typmod_in, &b.typmod_in),
        ("TYPMOD_OUT", &a.typmod_out, &b.typmod_out),
        ("ANALYZE", &a.analyze, &b.analyze),
        ("SUBSCRIPT", &a.subscript, &b.subscript),
    ];
    let (mut released, mut set) = (Vec::new(), Vec::new());
    for (name, old, new) in functions {
        if old == new {
            continue;
        }
        if old.is_some() {
            released.push(format!("{name} = NONE"));
        }
        if let Some(new) = new {
            set.push(format!("{name} = {new}"));
        }
    }
    if a.storage != b.storage {
        set.push(format!("STORAGE = {}", b.storage));
    }
    let mut stmts = Vec::new();
    if !released.is_empty() {
        stmts.push(Stmt::drop(format!(
            "ALTER TYPE {} SET ({})",
            b.name,
            released.join(", ")
        )));
    }
    if !set.is_empty() {
        stmts.push(Stmt::create(format!(
            "ALTER TYPE {} SET ({})",
            b.name,
            set.join(", ")
        )));
    }
    alter(stmts)
}

/// `public.=== (integer, integer)`, `NONE` for a prefix operator's left side.
pub fn operator_signature(o: &Operator) -> String {
    format!(
        "{} ({}, {})",
        o.name,
        o.left.as_deref().unwrap_or("NONE"),
        o.right
    )
}

fn create_operator(o: &Operator) -> String {
    let mut options = vec![format!("FUNCTION = {}", o.function)];
    if let Some(left) = &o.left {
        options.push(format!("LEFTARG = {left}"));
    }
    options.push(format!("RIGHTARG = {}", o.right));
    let optional = [
        ("COMMUTATOR", &o.commutator),
        ("NEGATOR", &o.negator),
        ("RESTRICT", &o.restrict),
        ("JOIN", &o.join),
    ];
    for (option, value) in optional {
        if let Some(value) = value {
            options.push(format!("{option} = {value}"));
        }
    }
    if o.hashes {
        options.push("HASHES".to_string());
    }
    if o.merges {
        options.push("MERGES".to_string());
    }
    format!("CREATE OPERATOR {} ({})", o.name, options.join(", "))
}

/// A member as `CREATE OPERATOR CLASS … AS` and `ALTER OPERATOR FAMILY … ADD` write it.
fn member_sql(m: &OperatorMember) -> String {
    if m.kind == "OPERATOR" {
        let order_by = m
            .order_by
            .as_ref()
            .map(|f| format!(" FOR ORDER BY {f}"))
            .unwrap_or_default();
        format!(
            "OPERATOR {} {} ({}, {}){order_by}",
            m.number, m.target, m.left, m.right
        )
    } else {
        format!(
            "FUNCTION {} ({}, {}) {}",
            m.number, m.left, m.right, m.target
        )
    }
}

/// A member as `ALTER OPERATOR FAMILY … DROP` names it.
fn member_ref(m: &OperatorMember) -> String {
    format!("{} {} ({}, {})", m.kind, m.number, m.left, m.right)
}

fn family_members(f: &OperatorFamily, verb: &str, members: &[&OperatorMember]) -> Option<Stmt> {
    if members.is_empty() {
        return None;
    }
    let list: Vec<String> = members
        .iter()
        .map(|m| {
            if verb == "ADD" {
                member_sql(m)
            } else {
                member_ref(m)
            }
        })
        .collect();
    Some(Stmt::create(format!(
        "ALTER OPERATOR FAMILY {} USING {} {verb} {}",
        f.name,
        f.method,
        list.join(", ")
    )))
}

fn create_operator_class(c: &OperatorClass) -> String {
    let mut items: Vec<String> = c.members.iter().map(member_sql).collect();
    if let Some(storage) = &c.storage {
        items.push(format!("STORAGE {storage}"));
    }
    format!(
        "CREATE OPERATOR CLASS {} {}FOR TYPE {} USING {} FAMILY {} AS {}",
        c.name,
        if c.default { "DEFAULT " } else { "" },
        c.data_type,
        c.method,
        c.family,
        items.join(", ")
    )
}

/// Sets the label, or (`None`) takes it away.
fn security_label_sql(l: &SecurityLabel, label: Option<&str>, lookup: &dyn Lookup) -> String {
    let target = lookup
        .object(&l.target)
        .and_then(|t| reference(&t.spec))
        .unwrap_or_else(|| l.target.clone());
    format!(
        "SECURITY LABEL FOR {} ON {target} IS {}",
        l.provider,
        label.map_or_else(|| "NULL".to_string(), quote_literal)
    )
}

/// A foreign table's column changes as a table's, except that a new type takes no
/// `USING` (PostgreSQL refuses it) and rewrites nothing: the rows live elsewhere.
pub fn foreign_column(change: Change) -> Change {
    match change {
        Change::Alter {
            stmts,
            breaks_dependents,
        } => Change::Alter {
            stmts: stmts
                .into_iter()
                .map(|mut stmt| {
                    if let Some(at) = stmt.sql.find(" USING ") {
                        stmt.sql.truncate(at);
                    }
                    stmt.hazards.retain(|h| *h != Hazard::TableRewrite);
                    stmt
                })
                .collect(),
            breaks_dependents,
        },
        other => other,
    }
}

/// The statements that create one of these kinds; `None` for the others.
pub fn create(object: &Object, lookup: &dyn Lookup) -> Option<Vec<Stmt>> {
    let one = |sql: String| Some(vec![Stmt::create(sql)]);
    match &object.spec {
        Spec::Aggregate(a) => one(create_aggregate(a, false)),
        Spec::Collation(c) => one(create_collation(c)),
        Spec::Ownership(o) => one(owner_sql(o, &o.role, lookup)),
        Spec::Rule(r) => {
            let mut stmts = vec![Stmt::create(r.definition.clone())];
            if r.enabled != "O" {
                stmts.push(rule_state(r));
            }
            Some(stmts)
        }
        Spec::EventTrigger(e) => Some(create_event_trigger(e)),
        Spec::Publication(p) => one(create_publication(p)),
        Spec::PublicationTable(t) => one(publication_table_sql(t)),
        Spec::PublicationSchema(s) => one(format!(
            "ALTER PUBLICATION {} ADD TABLES IN SCHEMA {}",
            s.publication, s.schema
        )),
        Spec::Statistics(s) => {
            let mut stmts = vec![Stmt::create(s.definition.clone())];
            if s.target.is_some() {
                stmts.push(statistics_target(s));
            }
            Some(stmts)
        }
        Spec::Cast(c) => one(create_cast(c)),
        Spec::TextSearchParser(p) => {
            let mut options = vec![
                format!("START = {}", p.start),
                format!("GETTOKEN = {}", p.token),
                format!("END = {}", p.end),
                format!("LEXTYPES = {}", p.lextypes),
            ];
            if let Some(headline) = &p.headline {
                options.push(format!("HEADLINE = {headline}"));
            }
            one(format!(
                "CREATE TEXT SEARCH PARSER {} ({})",
                p.name,
                options.join(", ")
            ))
        }
        Spec::TextSearchTemplate(t) => {
            let mut options = Vec::new();
            if let Some(init) = &t.init {
                options.push(format!("INIT = {init}"));
            }
            options.push(format!("LEXIZE = {}", t.lexize));
            one(format!(
                "CREATE TEXT SEARCH TEMPLATE {} ({})",
                t.name,
                options.join(", ")
            ))
        }
        Spec::TextSearchDictionary(d) => {
            let options = match &d.options {
                Some(options) => format!(", {options}"),
                None => String::new(),
            };
            one(format!(
                "CREATE TEXT SEARCH DICTIONARY {} (TEMPLATE = {}{options})",
                d.name, d.template
            ))
        }
        Spec::TextSearchConfiguration(c) => {
            let mut stmts = vec![Stmt::create(format!(
                "CREATE TEXT SEARCH CONFIGURATION {} (PARSER = {})",
                c.name, c.parser
            ))];
            stmts.extend(c.mappings.iter().map(|m| {
                Stmt::create(format!(
                    "ALTER TEXT SEARCH CONFIGURATION {} ADD MAPPING FOR {m}",
                    c.name
                ))
            }));
            Some(stmts)
        }
        Spec::ForeignDataWrapper(w) => one(create_wrapper(w)),
        Spec::ForeignServer(s) => Some(vec![with_secrets(Stmt::create(create_server(s)))]),
        Spec::UserMapping(m) => Some(vec![with_secrets(Stmt::create(format!(
            "CREATE USER MAPPING FOR {} SERVER {}{}",
            m.role,
            m.server,
            options_clause(&m.options)
        )))]),
        Spec::ForeignTable(t) => one(create_foreign_table(object, t, lookup)),
        Spec::Operator(o) => one(create_operator(o)),
        Spec::OperatorFamily(f) => {
            let mut stmts = vec![Stmt::create(format!(
                "CREATE OPERATOR FAMILY {} USING {}",
                f.name, f.method
            ))];
            let members: Vec<&OperatorMember> = f.members.iter().collect();
            stmts.extend(family_members(f, "ADD", &members));
            Some(stmts)
        }
        Spec::OperatorClass(c) => one(create_operator_class(c)),
        Spec::SecurityLabel(l) => one(security_label_sql(l, Some(&l.label), lookup)),
        // A foreign table's new column, with its options in its definition.
        Spec::Column(c) if !c.inherited && column_options(&object.key, lookup).is_some() => {
            one(format!(
                "ALTER FOREIGN TABLE {} ADD COLUMN {}",
                c.table,
                foreign_column_definition(object, c, lookup)
            ))
        }
        Spec::ColumnOptions(o) => one(column_options_sql(o, options_clause(&o.options).trim())),
        // Bound once its columns are those of the type (PostgreSQL checks them).
        Spec::TypedTable(t) => Some(vec![Stmt::create(format!(
            "ALTER TABLE {} OF {}",
            t.table, t.of_type
        ))
        .hazard(Hazard::BlockingLock)]),
        Spec::BaseType(t) => one(create_base_type(t)),
        Spec::ShellType(t) => one(format!("CREATE TYPE {}", t.name)),
        Spec::ReplicaIdentity(r) => one(replica_identity_sql(r, &r.identity)),
        Spec::ColumnSettings(c) => Some(column_settings(None, c)),
        _ => None,
    }
}

fn replica_identity_sql(r: &ReplicaIdentity, identity: &str) -> String {
    format!("ALTER TABLE {} REPLICA IDENTITY {identity}", r.table)
}

/// `ALTER COLUMN … SET …` for each setting of `new` that `old` (the defaults when
/// `None`) does not have.
fn column_settings(old: Option<&ColumnSettings>, new: &ColumnSettings) -> Vec<Stmt> {
    let prefix = format!("ALTER TABLE {} ALTER COLUMN {}", new.table, new.column);
    let mut stmts = Vec::new();
    if old.map_or(new.statistics.is_some(), |o| o.statistics != new.statistics) {
        let target = new.statistics.map_or("-1".to_string(), |s| s.to_string());
        stmts.push(Stmt::create(format!("{prefix} SET STATISTICS {target}")));
    }
    if old.map_or(new.storage.is_some(), |o| o.storage != new.storage) {
        let storage = new.storage.as_ref().unwrap_or(&new.type_storage);
        stmts.push(Stmt::create(format!("{prefix} SET STORAGE {storage}")));
    }
    if old.map_or(new.compression.is_some(), |o| {
        o.compression != new.compression
    }) {
        let method = new.compression.as_deref().unwrap_or("DEFAULT");
        stmts.push(Stmt::create(format!("{prefix} SET COMPRESSION {method}")));
    }
    stmts
}

/// The token type of a mapping `token WITH dictionaries`.
fn mapping_token(mapping: &str) -> &str {
    mapping.split(" WITH ").next().unwrap_or(mapping)
}

/// Mappings dropped, changed and added, one statement each.
fn change_mappings(a: &TextSearchConfiguration, b: &TextSearchConfiguration) -> Vec<Stmt> {
    let prefix = format!("ALTER TEXT SEARCH CONFIGURATION {}", b.name);
    let mut stmts = Vec::new();
    for old in &a.mappings {
        let token = mapping_token(old);
        if !b.mappings.iter().any(|m| mapping_token(m) == token) {
            stmts.push(Stmt::create(format!("{prefix} DROP MAPPING FOR {token}")));
        }
    }
    for new in &b.mappings {
        let token = mapping_token(new);
        match a.mappings.iter().find(|m| mapping_token(m) == token) {
            Some(old) if old == new => {}
            Some(_) => stmts.push(Stmt::create(format!("{prefix} ALTER MAPPING FOR {new}"))),
            None => stmts.push(Stmt::create(format!("{prefix} ADD MAPPING FOR {new}"))),
        }
    }
    stmts
}

/// The statements that drop one of these kinds; `None` for the others.
pub fn drop(object: &Object, lookup: &dyn Lookup) -> Option<Vec<Stmt>> {
    let one = |sql: String| Some(vec![Stmt::drop(sql)]);
    match &object.spec {
        Spec::Aggregate(a) => one(format!("DROP AGGREGATE {}", aggregate_signature(a))),
        Spec::Collation(c) => one(format!("DROP COLLATION {}", c.name)),
        // The object stays and goes back to the role pgmt runs as, as if created by it.
        Spec::Ownership(o) => one(owner_sql(o, "CURRENT_USER", lookup)),
        Spec::Rule(r) => one(format!("DROP RULE {} ON {}", r.name, r.table)),
        Spec::EventTrigger(e) => one(format!("DROP EVENT TRIGGER {}", e.name)),
        Spec::Publication(p) => one(format!("DROP PUBLICATION {}", p.name)),
        Spec::PublicationTable(t) => one(format!(
            "ALTER PUBLICATION {} DROP TABLE {}",
            t.publication, t.table
        )),
        Spec::PublicationSchema(s) => one(format!(
            "ALTER PUBLICATION {} DROP TABLES IN SCHEMA {}",
            s.publication, s.schema
        )),
        Spec::Statistics(s) => one(format!("DROP STATISTICS {}", s.name)),
        Spec::Cast(c) => one(format!("DROP CAST ({} AS {})", c.source, c.target)),
        Spec::TextSearchParser(p) => one(format!("DROP TEXT SEARCH PARSER {}", p.name)),
        Spec::TextSearchTemplate(t) => one(format!("DROP TEXT SEARCH TEMPLATE {}", t.name)),
        Spec::TextSearchDictionary(d) => one(format!("DROP TEXT SEARCH DICTIONARY {}", d.name)),
        Spec::TextSearchConfiguration(c) => {
            one(format!("DROP TEXT SEARCH CONFIGURATION {}", c.name))
        }
        Spec::ForeignDataWrapper(w) => one(format!("DROP FOREIGN DATA WRAPPER {}", w.name)),
        Spec::ForeignServer(s) => one(format!("DROP SERVER {}", s.name)),
        Spec::UserMapping(m) => one(format!(
            "DROP USER MAPPING FOR {} SERVER {}",
            m.role, m.server
        )),
        Spec::ForeignTable(t) => one(format!("DROP FOREIGN TABLE {}", t.name)),
        Spec::Operator(o) => one(format!("DROP OPERATOR {}", operator_signature(o))),
        Spec::OperatorFamily(f) => one(format!(
            "DROP OPERATOR FAMILY {} USING {}",
            f.name, f.method
        )),
        Spec::OperatorClass(c) => one(format!("DROP OPERATOR CLASS {} USING {}", c.name, c.method)),
        Spec::SecurityLabel(l) => one(security_label_sql(l, None, lookup)),
        Spec::ColumnOptions(o) => {
            let names: Vec<String> = o
                .options
                .iter()
                .map(|option| format!("DROP {}", option_name(option)))
                .collect();
            one(column_options_sql(
                o,
                &format!("OPTIONS ({})", names.join(", ")),
            ))
        }
        Spec::TypedTable(t) => one(format!("ALTER TABLE {} NOT OF", t.table)),
        // Its I/O functions and its shell (owned by it) go with it: they and the
        // type depend on each other, so nothing but CASCADE can drop either. What
        // else depends on the type is dropped before, as for any type.
        Spec::BaseType(t) => one(format!("DROP TYPE {} CASCADE", t.name)),
        Spec::ShellType(t) => one(format!("DROP TYPE {}", t.name)),
        Spec::ReplicaIdentity(r) => one(replica_identity_sql(r, "DEFAULT")),
        // Back to the defaults.
        Spec::ColumnSettings(c) => {
            let defaults = ColumnSettings {
                statistics: None,
                storage: None,
                compression: None,
                ..c.clone()
            };
            Some(
                column_settings(Some(c), &defaults)
                    .into_iter()
                    .map(|s| Stmt::drop(s.sql))
                    .collect(),
            )
        }
        _ => None,
    }
}

/// How one of these kinds changes (same key, specs differ); `None` for the others.
pub fn change(old: &Spec, new: &Spec, lookup: &dyn Lookup) -> Option<Change> {
    Some(match (old, new) {
        // OR REPLACE keeps the aggregate (and what uses it) but cannot change its
        // kind, result or argument names.
        (Spec::Aggregate(a), Spec::Aggregate(b))
            if a.aggregate_kind == b.aggregate_kind
                && a.result == b.result
                && a.arguments == b.arguments =>
        {
            Change::Alter {
                stmts: vec![Stmt::create(create_aggregate(b, true))],
                breaks_dependents: true,
            }
        }
        (Spec::Ownership(_), Spec::Ownership(b)) => {
            alter(vec![Stmt::create(owner_sql(b, &b.role, lookup))])
        }
        (Spec::Rule(a), Spec::Rule(b)) => {
            let mut stmts = Vec::new();
            if a.definition != b.definition {
                let Some(body) = b.definition.strip_prefix("CREATE RULE ") else {
                    return Some(Change::Recreate);
                };
                stmts.push(Stmt::create(format!("CREATE OR REPLACE RULE {body}")));
            }
            if a.enabled != b.enabled {
                stmts.push(rule_state(b));
            }
            alter(stmts)
        }
        (Spec::EventTrigger(a), Spec::EventTrigger(b))
            if EventTrigger {
                enabled: b.enabled.clone(),
                ..a.clone()
            } == *b =>
        {
            alter(vec![event_trigger_state(b)])
        }
        (Spec::Publication(a), Spec::Publication(b)) if a.all_tables == b.all_tables => {
            alter(vec![Stmt::create(format!(
                "ALTER PUBLICATION {} SET ({})",
                b.name,
                b.options.join(", ")
            ))])
        }
        // No ALTER changes a collation's definition, and recreating it would take the
        // columns using it along: it is rebuilt beside the old one, as a type is.
        (Spec::Collation(_), Spec::Collation(_)) => Change::Rebuild {
            convert: "$value".to_string(),
        },
        (Spec::Statistics(a), Spec::Statistics(b)) if a.definition == b.definition => {
            alter(vec![statistics_target(b)])
        }
        (Spec::TextSearchConfiguration(a), Spec::TextSearchConfiguration(b))
            if a.parser == b.parser =>
        {
            alter(change_mappings(a, b))
        }
        (Spec::ForeignDataWrapper(a), Spec::ForeignDataWrapper(b)) => {
            let prefix = format!("ALTER FOREIGN DATA WRAPPER {}", b.name);
            let mut stmts = Vec::new();
            if a.handler != b.handler {
                stmts.push(match &b.handler {
                    Some(h) => format!("{prefix} HANDLER {h}"),
                    None => format!("{prefix} NO HANDLER"),
                });
            }
            if a.validator != b.validator {
                stmts.push(match &b.validator {
                    Some(v) => format!("{prefix} VALIDATOR {v}"),
                    None => format!("{prefix} NO VALIDATOR"),
                });
            }
            stmts.extend(change_options(&a.options, &b.options).map(|o| format!("{prefix} {o}")));
            alter(stmts.into_iter().map(Stmt::create).collect())
        }
        // A server's wrapper and type are fixed, and its version can be set but not unset.
        (Spec::ForeignServer(a), Spec::ForeignServer(b))
            if a.wrapper == b.wrapper
                && a.server_type == b.server_type
                && (b.version.is_some() || a.version.is_none()) =>
        {
            let prefix = format!("ALTER SERVER {}", b.name);
            let mut stmts = Vec::new();
            if let (true, Some(version)) = (a.version != b.version, &b.version) {
                stmts.push(format!("{prefix} VERSION {}", quote_literal(version)));
            }
            stmts.extend(change_options(&a.options, &b.options).map(|o| format!("{prefix} {o}")));
            alter(
                stmts
                    .into_iter()
                    .map(|sql| with_secrets(Stmt::create(sql)))
                    .collect(),
            )
        }
        (Spec::UserMapping(a), Spec::UserMapping(b)) => alter(
            change_options(&a.options, &b.options)
                .map(|o| {
                    with_secrets(Stmt::create(format!(
                        "ALTER USER MAPPING FOR {} SERVER {} {o}",
                        b.role, b.server
                    )))
                })
                .into_iter()
                .collect(),
        ),
        (Spec::ForeignTable(a), Spec::ForeignTable(b)) if a.server == b.server => alter(
            change_options(&a.options, &b.options)
                .map(|o| Stmt::create(format!("ALTER FOREIGN TABLE {} {o}", b.name)))
                .into_iter()
                .collect(),
        ),
        // Only the estimators can be set in place on every supported server.
        (Spec::Operator(a), Spec::Operator(b))
            if Operator {
                restrict: b.restrict.clone(),
                join: b.join.clone(),
                ..a.clone()
            } == *b =>
        {
            let none = || "NONE".to_string();
            alter(vec![Stmt::create(format!(
                "ALTER OPERATOR {} SET (RESTRICT = {}, JOIN = {})",
                operator_signature(b),
                b.restrict.clone().unwrap_or_else(none),
                b.join.clone().unwrap_or_else(none)
            ))])
        }
        (Spec::SecurityLabel(_), Spec::SecurityLabel(b)) => alter(vec![Stmt::create(
            security_label_sql(b, Some(&b.label), lookup),
        )]),
        (Spec::ColumnOptions(a), Spec::ColumnOptions(b)) => alter(
            change_options(&a.options, &b.options)
                .map(|o| Stmt::create(column_options_sql(b, &o)))
                .into_iter()
                .collect(),
        ),
        (Spec::BaseType(a), Spec::BaseType(b)) => change_base_type(a, b),
        (Spec::ReplicaIdentity(_), Spec::ReplicaIdentity(b)) => {
            alter(vec![Stmt::create(replica_identity_sql(b, &b.identity))])
        }
        (Spec::ColumnSettings(a), Spec::ColumnSettings(b)) => alter(column_settings(Some(a), b)),
        // Members added to or dropped from the family alone; a changed one is both.
        (Spec::OperatorFamily(a), Spec::OperatorFamily(b)) => {
            let dropped: Vec<&OperatorMember> = a
                .members
                .iter()
                .filter(|m| !b.members.contains(m))
                .collect();
            let added: Vec<&OperatorMember> = b
                .members
                .iter()
                .filter(|m| !a.members.contains(m))
                .collect();
            let mut stmts: Vec<Stmt> = family_members(b, "DROP", &dropped).into_iter().collect();
            stmts.extend(family_members(b, "ADD", &added));
            alter(stmts)
        }
        (
            Spec::Aggregate(_)
            | Spec::Operator(_)
            | Spec::OperatorClass(_)
            | Spec::Collation(_)
            | Spec::TextSearchParser(_)
            | Spec::TextSearchTemplate(_)
            | Spec::TextSearchDictionary(_)
            | Spec::TextSearchConfiguration(_)
            | Spec::EventTrigger(_)
            | Spec::Publication(_)
            | Spec::PublicationTable(_)
            | Spec::PublicationSchema(_)
            | Spec::Statistics(_)
            | Spec::Cast(_)
            | Spec::TypedTable(_)
            | Spec::ShellType(_),
            _,
        ) => Change::Recreate,
        _ => return None,
    })
}

/// The hazard of dropping an extension: its configuration tables and the values
/// of its types go with it.
pub fn extension_drop(e: &Extension) -> Vec<Stmt> {
    vec![Stmt::drop(format!("DROP EXTENSION {}", e.name)).hazard(Hazard::DataLoss)]
}

/// An extension's change: moved and updated in place when it is relocatable and an
/// update path leads to the new version, else dropped and created again.
pub fn change_extension(a: &Extension, b: &Extension) -> Change {
    let moves_fixed = a.schema != b.schema && !a.relocatable;
    if moves_fixed || (a.version != b.version && !a.update_targets.contains(&b.version)) {
        return Change::Recreate;
    }
    let mut stmts = Vec::new();
    if a.schema != b.schema {
        stmts.push(Stmt::create(format!(
            "ALTER EXTENSION {} SET SCHEMA {}",
            b.name, b.schema
        )));
    }
    if a.version != b.version {
        stmts.push(Stmt::create(format!(
            "ALTER EXTENSION {} UPDATE TO {}",
            b.name,
            quote_literal(&b.version)
        )));
    }
    alter(stmts)
}
