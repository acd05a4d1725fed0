//! Small builders for snapshots, shaped like what `pgmt/catalog/reader.py` reads:
//! keys are `<kind>:<qualified name>`, children are owned by (and depend on) their
//! table, and every other dependency is added with `.dep(…)` as `pg_depend` would.

// Each test file uses its own subset of the builders.
#![allow(dead_code)]

use pgmt_core::model::*;
use pgmt_core::plan::{Action, Hazard, Step};
use pgmt_core::{Plan, Snapshot};

pub fn snapshot(objects: Vec<Object>) -> Snapshot {
    Snapshot {
        server_version: 180_000,
        objects,
        role: "postgres".to_string(),
    }
}

pub fn plan(source: &[Object], target: &[Object]) -> Plan {
    plan_on(180_000, source.to_vec(), target.to_vec())
}

/// The plan for snapshots read from (and run on) a server of `server_version`.
pub fn plan_on(server_version: i32, source: Vec<Object>, target: Vec<Object>) -> Plan {
    let (mut source, mut target) = (snapshot(source), snapshot(target));
    source.server_version = server_version;
    target.server_version = server_version;
    pgmt_core::plan(&source, &target).expect("the snapshots plan")
}

/// An object of `spec` under `key`, depending on its owner (if any) alone.
pub fn object(key: String, owner: Option<String>, spec: Spec) -> Object {
    Object {
        deps: owner.iter().cloned().collect(),
        key,
        owner,
        spec,
    }
}

/// Adds dependencies to an object, the way `pg_depend` lists them.
pub trait Deps {
    fn dep(self, key: &str) -> Self;
}

impl Deps for Object {
    fn dep(mut self, key: &str) -> Self {
        self.deps.push(key.to_string());
        self
    }
}

pub fn table(name: &str) -> Object {
    object(
        format!("table:{name}"),
        None,
        Spec::Table(Table {
            name: name.to_string(),
            unlogged: false,
            partition_by: None,
            partition_of: None,
            partition_bound: None,
            inherits: vec![],
            options: vec![],
            rls_enabled: false,
            rls_forced: false,
            partition_key_columns: vec![],
            cloned_constraints: vec![],
            attached_indexes: vec![],
        }),
    )
}

pub fn column(table: &str, name: &str, data_type: &str, position: i32) -> Object {
    object(
        format!("column:{table}.{name}"),
        Some(format!("table:{table}")),
        Spec::Column(Column {
            table: table.to_string(),
            name: name.to_string(),
            data_type: data_type.to_string(),
            not_null: false,
            collation: None,
            identity: None,
            generated: None,
            generated_virtual: false,
            position,
            inherited: false,
        }),
    )
}

pub fn not_null(mut column: Object) -> Object {
    if let Spec::Column(c) = &mut column.spec {
        c.not_null = true;
    }
    column
}

pub fn default(table: &str, column: &str, expression: &str) -> Object {
    object(
        format!("default:{table}.{column}"),
        Some(format!("column:{table}.{column}")),
        Spec::Default(ColumnDefault {
            table: table.to_string(),
            column: column.to_string(),
            expression: expression.to_string(),
        }),
    )
}

pub fn constraint(table: &str, name: &str, constraint_type: &str, definition: &str) -> Object {
    object(
        format!("constraint:{table}.{name}"),
        Some(format!("table:{table}")),
        Spec::Constraint(Constraint {
            table: table.to_string(),
            name: name.to_string(),
            constraint_type: constraint_type.to_string(),
            definition: definition.to_string(),
        }),
    )
}

pub fn view(name: &str, definition: &str, columns: &[&str]) -> Object {
    object(
        format!("view:{name}"),
        None,
        Spec::View(View {
            name: name.to_string(),
            definition: definition.to_string(),
            options: vec![],
            columns: columns.iter().map(|c| c.to_string()).collect(),
        }),
    )
}

/// A SQL function `name(arguments) RETURNS result AS $$ body $$`.
pub fn function(name: &str, arguments: &str, result: &str, body: &str) -> Object {
    let definition = format!(
        "CREATE OR REPLACE FUNCTION {name}({arguments})\n RETURNS {result}\n LANGUAGE sql\nAS $function${body}$function$"
    );
    object(
        format!("function:{name}({arguments})"),
        None,
        Spec::Function(Function {
            name: name.to_string(),
            identity_arguments: arguments.to_string(),
            function_kind: "f".to_string(),
            definition,
            result: Some(result.to_string()),
            arguments: arguments.to_string(),
            defaults: 0,
            outputs: String::new(),
        }),
    )
}

pub fn enum_type(name: &str, labels: &[&str]) -> Object {
    object(
        format!("type:{name}"),
        None,
        Spec::Enum(EnumType {
            name: name.to_string(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
        }),
    )
}

pub fn policy(policy: Policy) -> Object {
    object(
        format!("policy:{}.{}", policy.table, policy.name),
        Some(format!("table:{}", policy.table)),
        Spec::Policy(policy),
    )
}

/// A permissive `FOR ALL TO public` policy with only a USING expression.
pub fn policy_spec(table: &str, name: &str, using: &str) -> Policy {
    Policy {
        table: table.to_string(),
        name: name.to_string(),
        permissive: true,
        command: "ALL".to_string(),
        roles: vec!["public".to_string()],
        using: Some(using.to_string()),
        with_check: None,
    }
}

pub fn comment(target: &str, text: &str) -> Object {
    object(
        format!("comment:{target}"),
        Some(target.to_string()),
        Spec::Comment(Comment {
            target: target.to_string(),
            text: text.to_string(),
        }),
    )
}

/// The plan as `action object_key` lines, the shape ordering tests compare.
pub fn summary(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .map(|s| format!("{} {}", action(s.action), s.object_key))
        .collect()
}

pub fn sqls(plan: &Plan) -> Vec<&str> {
    plan.steps.iter().map(|s| s.sql.as_str()).collect()
}

pub fn step<'a>(plan: &'a Plan, object_key: &str) -> &'a Step {
    let mut found = plan.steps.iter().filter(|s| s.object_key == object_key);
    let step = found
        .next()
        .unwrap_or_else(|| panic!("no step for {object_key} in {:#?}", summary(plan)));
    assert!(
        found.next().is_none(),
        "more than one step for {object_key}"
    );
    step
}

fn action(action: Action) -> &'static str {
    match action {
        Action::Create => "create",
        Action::Drop => "drop",
        Action::Alter => "alter",
    }
}

pub const NO_HAZARDS: &[Hazard] = &[];
