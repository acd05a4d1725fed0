//! What each kind of difference turns into: the exact statements, actions, hazards
//! and the reason a step is there. Ordering across objects is `ordering.rs`.

mod common;

use common::*;
use pgmt_core::model::{
    Attribute, Comment, Composite, Domain, DomainConstraint, Grant, Object, Range, Sequence, Spec,
};
use pgmt_core::plan::{Action, Hazard};
use pgmt_core::Plan;

fn users() -> Vec<Object> {
    vec![
        table("public.users"),
        not_null(column("public.users", "id", "integer", 1)),
        column("public.users", "name", "text", 2),
        constraint("public.users", "users_pkey", "p", "PRIMARY KEY (id)")
            .dep("column:public.users.id"),
    ]
}

#[test]
fn identical_snapshots_give_an_empty_plan() {
    let plan = plan(&users(), &users());
    assert_eq!(plan.steps, vec![]);
    assert_eq!(plan.source_hash, plan.target_hash);
}

#[test]
fn a_new_table_is_one_create_table_with_its_columns_default_and_key() {
    let target = vec![
        table("public.t"),
        // Positions, not keys, order the columns.
        column("public.t", "b_name", "text", 2),
        not_null(column("public.t", "a_id", "integer", 1)),
        default("public.t", "b_name", "'it''s'::text"),
        constraint("public.t", "t_pkey", "p", "PRIMARY KEY (a_id)").dep("column:public.t.a_id"),
    ];
    let plan = plan(&[], &target);
    assert_eq!(
        sqls(&plan),
        vec![
            "CREATE TABLE public.t (\n    a_id integer NOT NULL,\n    b_name text DEFAULT 'it''s'::text,\n    CONSTRAINT t_pkey PRIMARY KEY (a_id)\n)"
        ]
    );
    let step = &plan.steps[0];
    assert_eq!(
        (
            step.object_kind.as_str(),
            step.object_key.as_str(),
            step.action
        ),
        ("table", "table:public.t", Action::Create)
    );
    assert_eq!(step.object_name, "public.t");
    assert_eq!(
        (step.forced_by.as_deref(), step.hazards.as_slice()),
        (None, NO_HAZARDS)
    );
    assert!(step.transactional && !step.commit_after);
}

#[test]
fn a_new_column_is_added_with_its_default_folded_in() {
    let mut target = users();
    target.push(not_null(column("public.users", "note", "text", 3)));
    target.push(default("public.users", "note", "'none'::text"));
    let plan = plan(&users(), &target);
    assert_eq!(
        sqls(&plan),
        vec!["ALTER TABLE public.users ADD COLUMN note text NOT NULL DEFAULT 'none'::text"]
    );
    let step = &plan.steps[0];
    assert_eq!(
        (
            step.object_kind.as_str(),
            step.object_key.as_str(),
            step.action
        ),
        ("column", "column:public.users.note", Action::Create)
    );
    assert_eq!(step.object_name, "public.users.note");
}

#[test]
fn a_dropped_column_loses_data_and_takes_its_default_along() {
    let mut source = users();
    source.push(column("public.users", "note", "text", 3));
    source.push(default("public.users", "note", "'none'::text"));
    let plan = plan(&source, &users());
    assert_eq!(
        sqls(&plan),
        vec!["ALTER TABLE public.users DROP COLUMN note"]
    );
    let step = &plan.steps[0];
    assert_eq!(
        (step.action, step.hazards.as_slice()),
        (Action::Drop, &[Hazard::DataLoss][..])
    );
}

fn amounts(amount_type: &str) -> Vec<Object> {
    vec![
        table("public.t"),
        column("public.t", "id", "integer", 1),
        column("public.t", "amount", amount_type, 2),
        // The view's output does not change type: only the column beneath it does.
        view(
            "public.v",
            " SELECT t.id\n   FROM public.t\n  WHERE t.amount > 0",
            &["id integer"],
        )
        .dep("table:public.t")
        .dep("column:public.t.id")
        .dep("column:public.t.amount"),
    ]
}

#[test]
fn a_column_type_change_rewrites_the_table_and_recreates_the_view_over_it() {
    let plan = plan(&amounts("integer"), &amounts("bigint"));
    assert_eq!(
        sqls(&plan),
        vec![
            "DROP VIEW public.v",
            "ALTER TABLE public.t ALTER COLUMN amount TYPE bigint USING amount::bigint",
            "CREATE VIEW public.v AS\n SELECT t.id\n   FROM public.t\n  WHERE t.amount > 0",
        ]
    );
    let column = "column:public.t.amount";
    let actions: Vec<_> = plan
        .steps
        .iter()
        .map(|s| (s.action, s.forced_by.as_deref(), s.hazards.clone()))
        .collect();
    assert_eq!(
        actions,
        vec![
            (Action::Drop, Some(column), vec![]),
            (Action::Alter, None, vec![Hazard::TableRewrite]),
            (Action::Create, Some(column), vec![]),
        ]
    );
}

#[test]
fn a_changed_function_body_is_replaced_in_place_without_touching_its_views() {
    let with_body = |body: &str| {
        vec![
            function("public.double", "x integer", "integer", body),
            view("public.v", " SELECT public.double(2) AS d", &["d integer"])
                .dep("function:public.double(x integer)"),
        ]
    };
    let plan = plan(&with_body(" SELECT x * 2 "), &with_body(" SELECT x + x "));
    assert_eq!(
        sqls(&plan),
        vec!["CREATE OR REPLACE FUNCTION public.double(x integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$ SELECT x + x $function$"]
    );
    let step = &plan.steps[0];
    assert_eq!(
        (step.object_kind.as_str(), step.action),
        ("function", Action::Alter)
    );
    assert_eq!(step.object_name, "public.double(x integer)");
}

#[test]
fn a_function_result_change_recreates_it() {
    let plan = plan(
        &[function("public.f", "", "integer", " SELECT 1 ")],
        &[function("public.f", "", "bigint", " SELECT 1 ")],
    );
    assert_eq!(
        summary(&plan),
        vec!["drop function:public.f()", "create function:public.f()"]
    );
    assert_eq!(plan.steps[0].sql, "DROP FUNCTION public.f()");
}

#[test]
fn an_enum_value_added_in_the_middle_goes_after_its_predecessor_and_commits() {
    let plan = plan(
        &[enum_type("public.mood", &["sad", "happy"])],
        &[enum_type("public.mood", &["sad", "it's ok", "happy"])],
    );
    assert_eq!(
        sqls(&plan),
        vec!["ALTER TYPE public.mood ADD VALUE 'it''s ok' AFTER 'sad'"]
    );
    let step = &plan.steps[0];
    assert_eq!(
        (step.object_kind.as_str(), step.action),
        ("enum", Action::Alter)
    );
    assert!(step.commit_after && step.transactional);
}

#[test]
fn an_enum_value_added_first_goes_before_the_old_first() {
    let plan = plan(
        &[enum_type("public.mood", &["sad"])],
        &[enum_type("public.mood", &["glad", "sad"])],
    );
    assert_eq!(
        sqls(&plan),
        vec!["ALTER TYPE public.mood ADD VALUE 'glad' BEFORE 'sad'"]
    );
}

fn moods(labels: &[&str]) -> Vec<Object> {
    vec![
        enum_type("public.mood", labels),
        table("public.t"),
        column("public.t", "m", "public.mood", 1).dep("type:public.mood"),
    ]
}

#[test]
fn an_enum_value_removed_rebuilds_the_type_and_converts_its_columns_through_text() {
    let plan = plan(&moods(&["sad", "meh", "happy"]), &moods(&["sad", "happy"]));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TYPE public.mood RENAME TO mood__pgmt_old",
            "CREATE TYPE public.mood AS ENUM ('sad', 'happy')",
            "ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING (m::text)::public.mood",
            "DROP TYPE public.mood__pgmt_old",
        ]
    );
    let actions: Vec<_> = plan
        .steps
        .iter()
        .map(|s| (s.object_key.as_str(), s.action))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("type:public.mood", Action::Alter),
            ("type:public.mood", Action::Create),
            ("column:public.t.m", Action::Alter),
            ("type:public.mood", Action::Drop),
        ]
    );
    assert_eq!(plan.steps[2].hazards, vec![Hazard::TableRewrite]);
}

fn loses_no_data(plan: &Plan) -> bool {
    plan.steps
        .iter()
        .all(|s| !s.hazards.contains(&Hazard::DataLoss))
}

fn ranges(subtype: &str) -> Vec<Object> {
    let range = object(
        "type:public.r".to_string(),
        None,
        Spec::Range(Range {
            name: "public.r".to_string(),
            subtype: subtype.to_string(),
            subtype_opclass: None,
            collation: None,
            canonical: None,
            subtype_diff: None,
            multirange: Some("public.r_multirange".to_string()),
        }),
    );
    vec![
        range,
        table("public.t"),
        column("public.t", "x", "public.r", 1).dep("type:public.r"),
        // A multirange is no object of its own: its uses are the range type's.
        column("public.t", "y", "public.r_multirange", 2).dep("type:public.r"),
    ]
}

#[test]
fn a_range_type_changed_is_rebuilt_aside_with_its_companions_and_its_columns_convert() {
    let plan = plan(&ranges("integer"), &ranges("bigint"));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TYPE public.r RENAME TO r__pgmt_old",
            "ALTER FUNCTION public.r(integer, integer) RENAME TO r__pgmt_old",
            "ALTER FUNCTION public.r(integer, integer, text) RENAME TO r__pgmt_old",
            "ALTER TYPE public.r_multirange RENAME TO r_multirange__pgmt_old",
            "ALTER FUNCTION public.r_multirange() RENAME TO r_multirange__pgmt_old",
            "CREATE TYPE public.r AS RANGE (SUBTYPE = bigint, MULTIRANGE_TYPE_NAME = public.r_multirange)",
            "ALTER TABLE public.t ALTER COLUMN x TYPE public.r USING (x::text)::public.r",
            "ALTER TABLE public.t ALTER COLUMN y TYPE public.r_multirange USING (y::text)::public.r_multirange",
            "DROP TYPE public.r__pgmt_old",
        ]
    );
    let last = plan.steps.last().unwrap();
    assert_eq!(
        (last.action, last.object_name.as_str()),
        (Action::Drop, "public.r__pgmt_old")
    );
    assert!(loses_no_data(&plan));
}

#[test]
fn a_range_type_no_column_holds_is_dropped_and_created() {
    let unused = |subtype| ranges(subtype).into_iter().take(1).collect::<Vec<_>>();
    let plan = plan(&unused("integer"), &unused("bigint"));
    assert_eq!(
        summary(&plan),
        vec!["drop type:public.r", "create type:public.r"]
    );
}

#[test]
fn a_column_read_by_a_generated_column_is_retyped_between_its_drop_and_add() {
    let tables = |data_type: &str| {
        let mut generated = column("public.t", "b", "numeric", 2).dep("column:public.t.a");
        if let Spec::Column(c) = &mut generated.spec {
            c.generated = Some("(a * 2)".to_string());
        }
        vec![
            table("public.t"),
            column("public.t", "a", data_type, 1),
            generated,
        ]
    };
    let plan = plan(&tables("integer"), &tables("bigint"));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.t DROP COLUMN b",
            "ALTER TABLE public.t ALTER COLUMN a TYPE bigint USING a::bigint",
            "ALTER TABLE public.t ADD COLUMN b numeric GENERATED ALWAYS AS ((a * 2)) STORED",
        ]
    );
    // Its values are computed again: dropping it loses nothing.
    assert_eq!(plan.steps[0].hazards, NO_HAZARDS);
    assert_eq!(
        plan.steps[0].forced_by.as_deref(),
        Some("column:public.t.a")
    );
}

#[test]
fn a_generated_columns_new_expression_is_set_in_place_from_postgresql_17() {
    let tables = |expression: &str, data_type: &str, virtual_: bool| {
        let mut generated = column("public.t", "b", data_type, 2).dep("column:public.t.a");
        if let Spec::Column(c) = &mut generated.spec {
            c.generated = Some(expression.to_string());
            c.generated_virtual = virtual_;
        }
        vec![
            table("public.t"),
            column("public.t", "a", "integer", 1),
            generated,
        ]
    };
    let stored = plan_on(
        170_000,
        tables("(a * 2)", "integer", false),
        tables("(a * 3)", "integer", false),
    );
    assert_eq!(
        sqls(&stored),
        vec!["ALTER TABLE public.t ALTER COLUMN b SET EXPRESSION AS ((a * 3))"]
    );
    assert_eq!(stored.steps[0].hazards, vec![Hazard::TableRewrite]);
    let virtual_ = plan_on(
        180_000,
        tables("(a * 2)", "integer", true),
        tables("(a * 3)", "integer", true),
    );
    assert_eq!(virtual_.steps[0].hazards, NO_HAZARDS);
    // Before 17, with a new type, or between stored and virtual: dropped and added.
    let recreated =
        |plan: Plan| summary(&plan) == ["drop column:public.t.b", "create column:public.t.b"];
    assert!(recreated(plan_on(
        160_000,
        tables("(a * 2)", "integer", false),
        tables("(a * 3)", "integer", false)
    )));
    assert!(recreated(plan_on(
        180_000,
        tables("(a * 2)", "integer", false),
        tables("(a * 3)", "bigint", false)
    )));
    let plain = |plan: Plan| (sqls(&plan).join("; "), plan.steps[0].hazards.clone());
    let mut made_plain = tables("", "integer", false);
    if let Spec::Column(c) = &mut made_plain[2].spec {
        c.generated = None;
    }
    assert_eq!(
        plain(plan_on(
            130_000,
            tables("(a * 2)", "integer", false),
            made_plain.clone()
        )),
        (
            "ALTER TABLE public.t ALTER COLUMN b DROP EXPRESSION".to_string(),
            vec![]
        )
    );
    // A virtual column's values were never stored: none are left to keep.
    assert_eq!(
        plain(plan_on(
            180_000,
            tables("(a * 2)", "integer", true),
            made_plain
        )),
        (
            "ALTER TABLE public.t DROP COLUMN b; ALTER TABLE public.t ADD COLUMN b integer"
                .to_string(),
            vec![Hazard::DataLoss]
        )
    );
    let to_virtual = plan_on(
        180_000,
        tables("(a * 2)", "integer", false),
        tables("(a * 2)", "integer", true),
    );
    assert_eq!(
        sqls(&to_virtual),
        vec![
            "ALTER TABLE public.t DROP COLUMN b",
            "ALTER TABLE public.t ADD COLUMN b integer GENERATED ALWAYS AS ((a * 2)) VIRTUAL",
        ]
    );
}

#[test]
fn a_revoke_on_a_table_is_followed_by_the_column_grants_it_took() {
    let grant = |target: &str| {
        object(
            format!("grant:{target}:r:SELECT"),
            Some(target.to_string()),
            Spec::Grant(Grant {
                target: target.to_string(),
                grantee: "r".to_string(),
                privilege: "SELECT".to_string(),
                grantable: false,
                revoked: false,
            }),
        )
    };
    let columns = vec![
        table("public.t"),
        column("public.t", "a", "integer", 1),
        grant("column:public.t.a"),
    ];
    let mut both = columns.clone();
    both.push(grant("table:public.t"));
    let plan = plan(&both, &columns);
    assert_eq!(
        sqls(&plan),
        vec![
            "REVOKE SELECT ON TABLE public.t FROM r",
            "GRANT SELECT (a) ON TABLE public.t TO r",
        ]
    );
    assert_eq!(
        plan.steps[1].forced_by.as_deref(),
        Some("grant:table:public.t:r:SELECT")
    );
    // Granting on the table leaves the column grants as they are.
    assert_eq!(
        sqls(&common::plan(&columns, &both)),
        vec!["GRANT SELECT ON TABLE public.t TO r"]
    );
}

#[test]
fn a_not_valid_not_null_becomes_the_columns_not_null_by_being_validated() {
    let not_valid = vec![
        table("public.t"),
        column("public.t", "a", "integer", 1),
        constraint("public.t", "nn", "n", "NOT NULL a NOT VALID").dep("column:public.t.a"),
    ];
    let valid = vec![
        table("public.t"),
        not_null(column("public.t", "a", "integer", 1)),
    ];
    assert_eq!(
        sqls(&plan(&not_valid, &valid)),
        vec!["ALTER TABLE public.t VALIDATE CONSTRAINT nn"]
    );
    assert_eq!(
        sqls(&plan(&valid, &not_valid)),
        vec![
            "ALTER TABLE public.t ALTER COLUMN a DROP NOT NULL",
            "ALTER TABLE public.t ADD CONSTRAINT nn NOT NULL a NOT VALID",
        ]
    );
}

#[test]
fn a_function_is_replaced_in_place_unless_it_loses_a_default_or_its_output_row_changes() {
    let f = |defaults: i16, outputs: &str, body: &str| {
        let mut object = function("public.f", "a integer", "integer", body);
        if let Spec::Function(spec) = &mut object.spec {
            spec.defaults = defaults;
            spec.outputs = outputs.to_string();
            spec.arguments = format!("a integer{}", if defaults > 0 { " DEFAULT 1" } else { "" });
        }
        vec![
            object,
            view("public.v", " SELECT public.f(1) AS x", &["x integer"])
                .dep("function:public.f(a integer)"),
        ]
    };
    let kept = |from: Vec<Object>, to: Vec<Object>| summary(&plan(&from, &to));
    assert_eq!(
        kept(f(0, "", "SELECT 1"), f(1, "", "SELECT 1")),
        vec!["alter function:public.f(a integer)"]
    );
    assert_eq!(
        kept(f(1, "", "SELECT 1"), f(0, "", "SELECT 1")),
        vec![
            "drop view:public.v",
            "drop function:public.f(a integer)",
            "create function:public.f(a integer)",
            "create view:public.v",
        ]
    );
    assert_eq!(
        kept(f(0, "b integer", "SELECT 1"), f(0, "c integer", "SELECT 1")).len(),
        4
    );
}

fn sequence(data_type: &str, increment: i64, min_value: i64, max_value: i64) -> Vec<Object> {
    vec![object(
        "sequence:public.s".to_string(),
        None,
        Spec::Sequence(Sequence {
            name: "public.s".to_string(),
            data_type: data_type.to_string(),
            start: if increment > 0 { min_value } else { max_value },
            increment,
            min_value,
            max_value,
            cache: 1,
            cycle: false,
            unlogged: false,
        }),
    )]
}

#[test]
fn a_sequence_narrowed_keeps_its_value_where_it_can_and_starts_again_where_it_cannot() {
    let before = sequence("smallint", 1, 1, 32767);
    let narrowed = plan(&before, &sequence("smallint", 1, 10, 100));
    assert_eq!(
        sqls(&narrowed),
        vec![
            "SELECT setval('public.s', LEAST(GREATEST(last_value, 10), 100), is_called) FROM public.s",
            "ALTER SEQUENCE public.s MINVALUE 10 MAXVALUE 100 START WITH 10",
        ]
    );
    // No value is in both ranges: clamping to the new one is out of the old one.
    let flipped = plan(&before, &sequence("integer", -1, -2147483648, -1));
    assert_eq!(
        sqls(&flipped),
        vec!["ALTER SEQUENCE public.s AS integer INCREMENT BY -1 MINVALUE -2147483648 MAXVALUE -1 START WITH -1 RESTART"]
    );
}

#[test]
fn a_composite_type_over_a_rebuilt_enum_is_rebuilt_and_its_columns_converted() {
    let paired = |labels: &[&str]| {
        let mut objects = moods(labels);
        objects.extend([
            object(
                "type:public.pair".to_string(),
                None,
                Spec::Composite(Composite {
                    name: "public.pair".to_string(),
                    attributes: vec![Attribute {
                        name: "m".to_string(),
                        data_type: "public.mood".to_string(),
                        collation: None,
                    }],
                }),
            )
            .dep("type:public.mood"),
            column("public.t", "p", "public.pair", 2).dep("type:public.pair"),
        ]);
        objects
    };
    let plan = plan(&paired(&["sad", "meh"]), &paired(&["meh", "sad"]));
    let sqls = sqls(&plan);
    assert!(
        sqls.contains(&"ALTER TYPE public.pair RENAME TO pair__pgmt_old"),
        "{sqls:#?}"
    );
    assert!(sqls.contains(
        &"ALTER TABLE public.t ALTER COLUMN p TYPE public.pair USING (p::text)::public.pair"
    ));
    assert!(loses_no_data(&plan));
}

#[test]
fn a_foreign_key_between_columns_of_a_rebuilt_enum_goes_while_they_convert() {
    let keyed = |labels: &[&str]| {
        let mut objects = moods(labels);
        objects.extend([
            table("public.c"),
            column("public.c", "m", "public.mood", 1).dep("type:public.mood"),
            constraint(
                "public.c",
                "c_m_fkey",
                "f",
                "FOREIGN KEY (m) REFERENCES public.t(m)",
            )
            .dep("column:public.c.m")
            .dep("column:public.t.m"),
        ]);
        objects
    };
    let plan = plan(&keyed(&["sad", "meh"]), &keyed(&["meh", "sad"]));
    assert_eq!(
        summary(&plan),
        vec![
            "drop constraint:public.c.c_m_fkey",
            "alter type:public.mood",
            "create type:public.mood",
            "alter column:public.c.m",
            "alter column:public.t.m",
            "create constraint:public.c.c_m_fkey",
            "drop type:public.mood",
        ]
    );
}

/// A domain `public.d` whose check calls `public.g(arguments)`, and a column of it.
fn domain_over_g(arguments: &str, check: &str) -> Vec<Object> {
    vec![
        function("public.g", arguments, "integer", "SELECT 1"),
        object(
            "type:public.d".to_string(),
            None,
            Spec::Domain(Domain {
                name: "public.d".to_string(),
                base_type: "integer".to_string(),
                not_null: false,
                default: None,
                collation: None,
                constraints: vec![DomainConstraint {
                    name: "d_check".to_string(),
                    definition: check.to_string(),
                }],
            }),
        )
        .dep(&format!("function:public.g({arguments})")),
        table("public.t"),
        column("public.t", "e", "public.d", 1).dep("type:public.d"),
    ]
}

#[test]
fn a_foreign_key_goes_while_its_columns_convert_only_when_both_ends_are_retyped() {
    let keyed = |parent: &str, child: &str| {
        vec![
            table("public.t"),
            column("public.t", "id", parent, 1),
            table("public.c"),
            column("public.c", "t_id", child, 1),
            constraint(
                "public.c",
                "c_t_id_fkey",
                "f",
                "FOREIGN KEY (t_id) REFERENCES public.t(id)",
            )
            .dep("column:public.c.t_id")
            .dep("column:public.t.id"),
        ]
    };
    let before = keyed("integer", "integer");
    // One end: PostgreSQL rebuilds the key with the column, and the key holds all along.
    for after in [keyed("bigint", "integer"), keyed("integer", "bigint")] {
        let plan = plan(&before, &after);
        assert_eq!(summary(&plan).len(), 1, "{:?}", summary(&plan));
        assert!(summary(&plan)[0].starts_with("alter column:"));
    }
    let plan = plan(&before, &keyed("numeric", "numeric"));
    assert_eq!(
        summary(&plan),
        vec![
            "drop constraint:public.c.c_t_id_fkey",
            "alter column:public.c.t_id",
            "alter column:public.t.id",
            "create constraint:public.c.c_t_id_fkey",
        ]
    );
    assert_eq!(
        plan.steps[0].forced_by.as_deref(),
        Some("column:public.c.t_id")
    );
}

#[test]
fn a_foreign_key_changes_when_it_is_checked_in_place() {
    let keyed = |tail: &str| {
        vec![
            table("public.t"),
            constraint(
                "public.t",
                "f",
                "f",
                &format!("FOREIGN KEY (a) REFERENCES public.p(id){tail}"),
            ),
        ]
    };
    let alter = |from: &str, to: &str| sqls(&plan(&keyed(from), &keyed(to))).join("; ");
    assert_eq!(
        alter("", " DEFERRABLE INITIALLY DEFERRED"),
        "ALTER TABLE public.t ALTER CONSTRAINT f DEFERRABLE INITIALLY DEFERRED"
    );
    assert_eq!(
        alter(
            " DEFERRABLE INITIALLY DEFERRED NOT VALID",
            " DEFERRABLE NOT VALID"
        ),
        "ALTER TABLE public.t ALTER CONSTRAINT f DEFERRABLE INITIALLY IMMEDIATE"
    );
    assert_eq!(
        alter(" DEFERRABLE", ""),
        "ALTER TABLE public.t ALTER CONSTRAINT f NOT DEFERRABLE"
    );
    // Whether it is checked at all (PostgreSQL 18); enforced again, it checks every row.
    assert_eq!(
        alter(" DEFERRABLE", " NOT ENFORCED"),
        "ALTER TABLE public.t ALTER CONSTRAINT f NOT DEFERRABLE; \
         ALTER TABLE public.t ALTER CONSTRAINT f NOT ENFORCED"
    );
    let enforced = plan(&keyed(" NOT ENFORCED"), &keyed(""));
    assert_eq!(
        sqls(&enforced),
        vec!["ALTER TABLE public.t ALTER CONSTRAINT f ENFORCED"]
    );
    assert_eq!(enforced.steps[0].hazards, vec![Hazard::BlockingLock]);
    // Anything else changed with it (here its validity): dropped and added again.
    assert_eq!(
        alter(" NOT VALID", " DEFERRABLE"),
        "ALTER TABLE public.t DROP CONSTRAINT f; \
         ALTER TABLE public.t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES public.p(id) DEFERRABLE"
    );
    // A unique key's timing has no ALTER.
    let unique = |tail: &str| {
        vec![constraint(
            "public.t",
            "u",
            "u",
            &format!("UNIQUE (a){tail}"),
        )]
    };
    assert_eq!(
        summary(&plan(&unique(""), &unique(" DEFERRABLE"))),
        vec!["drop constraint:public.t.u", "create constraint:public.t.u"]
    );
}

#[test]
fn a_view_whose_options_change_is_replaced_and_its_dependents_stay() {
    let schema = |options: &[&str]| {
        let mut v = view("public.v", " SELECT 1 AS a", &["a integer"]);
        if let Spec::View(spec) = &mut v.spec {
            spec.options = options.iter().map(|o| o.to_string()).collect();
        }
        vec![
            v,
            view("public.w", " SELECT a FROM public.v", &["a integer"]).dep("view:public.v"),
        ]
    };
    let reset = plan(&schema(&["security_barrier=true"]), &schema(&[]));
    assert_eq!(
        sqls(&reset),
        vec!["CREATE OR REPLACE VIEW public.v AS\n SELECT 1 AS a"]
    );
    let set = plan(&schema(&[]), &schema(&["check_option=local"]));
    assert_eq!(
        sqls(&set),
        vec!["CREATE OR REPLACE VIEW public.v WITH (check_option=local) AS\n SELECT 1 AS a"]
    );
}

#[test]
fn a_domain_over_a_replaced_function_sheds_its_check_meanwhile_and_keeps_its_column() {
    let check = "CHECK ((public.g(VALUE) >= 0))";
    let plan = plan(
        &domain_over_g("x integer", check),
        &domain_over_g("x integer, y integer", check),
    );
    let sqls: Vec<&str> = sqls(&plan)
        .into_iter()
        .map(|sql| sql.lines().next().unwrap_or(""))
        .collect();
    assert_eq!(
        sqls,
        vec![
            "ALTER DOMAIN public.d DROP CONSTRAINT d_check",
            "DROP FUNCTION public.g(x integer)",
            "CREATE OR REPLACE FUNCTION public.g(x integer, y integer)",
            "ALTER DOMAIN public.d ADD CONSTRAINT d_check CHECK ((public.g(VALUE) >= 0))",
        ]
    );
    assert!(loses_no_data(&plan));
}

#[test]
fn a_domain_constraint_added_again_has_its_comment_written_again() {
    let reference = "CONSTRAINT d_check ON DOMAIN public.d";
    let commented = |arguments: &str, check: &str| {
        let mut objects = domain_over_g(arguments, check);
        objects.push(object(
            format!("comment:type:public.d:{reference}"),
            Some("type:public.d".to_string()),
            Spec::Comment(Comment {
                target: reference.to_string(),
                text: "not negative".to_string(),
            }),
        ));
        objects
    };
    let (check, changed) = (
        "CHECK ((public.g(VALUE) >= 0))",
        "CHECK ((public.g(VALUE) > 0))",
    );
    let comment_again = format!("COMMENT ON {reference} IS 'not negative'");
    for (before, after) in [
        (
            commented("x integer", check),
            commented("x integer", changed),
        ),
        (
            commented("x integer", check),
            commented("x integer, y integer", check),
        ),
    ] {
        let plan = plan(&before, &after);
        let last = plan.steps.last().expect("the plan has steps");
        assert_eq!(last.sql, comment_again);
        assert_eq!(last.forced_by.as_deref(), Some("type:public.d"));
    }
    // A domain whose other parts change keeps its constraint, and the comment with it.
    let mut defaulted = commented("x integer", check);
    if let Spec::Domain(d) = &mut defaulted[1].spec {
        d.default = Some("1".to_string());
    }
    let plan = plan(&commented("x integer", check), &defaulted);
    assert_eq!(sqls(&plan), vec!["ALTER DOMAIN public.d SET DEFAULT 1"]);
}

#[test]
fn a_comment_is_written_again_when_its_object_is_recreated() {
    let target = "view:public.v";
    let with_columns = |definition: &str, columns: &[&str]| {
        vec![
            view("public.v", definition, columns),
            comment(target, "l'été — ☀"),
        ]
    };
    // Dropping an output column is beyond CREATE OR REPLACE VIEW.
    let plan = plan(
        &with_columns(" SELECT 1 AS a, 2 AS b", &["a integer", "b integer"]),
        &with_columns(" SELECT 1 AS a", &["a integer"]),
    );
    assert_eq!(
        sqls(&plan),
        vec![
            "DROP VIEW public.v",
            "CREATE VIEW public.v AS\n SELECT 1 AS a",
            "COMMENT ON VIEW public.v IS 'l''été — ☀'",
        ]
    );
    let comment = step(&plan, "comment:view:public.v");
    assert_eq!(
        (comment.action, comment.forced_by.as_deref()),
        (Action::Create, Some(target))
    );
    assert_eq!(comment.object_name, "on view public.v");
}

fn with_policy(policy: pgmt_core::model::Policy) -> Vec<Object> {
    vec![
        table("public.t"),
        column("public.t", "owner", "text", 1),
        common::policy(policy).dep("column:public.t.owner"),
    ]
}

#[test]
fn a_policy_whose_roles_and_expressions_change_is_altered() {
    let old = policy_spec("public.t", "p", "(owner = CURRENT_USER)");
    let mut new = old.clone();
    new.roles = vec!["app".to_string(), "\"Report\"".to_string()];
    new.using = Some("(owner = 'x''y'::text)".to_string());
    new.with_check = Some("true".to_string());
    let plan = plan(&with_policy(old), &with_policy(new));
    assert_eq!(
        sqls(&plan),
        vec!["ALTER POLICY p ON public.t TO app, \"Report\" USING ((owner = 'x''y'::text)) WITH CHECK (true)"]
    );
    assert_eq!(plan.steps[0].action, Action::Alter);
}

#[test]
fn a_policy_whose_command_changes_is_recreated() {
    let old = policy_spec("public.t", "p", "(owner = CURRENT_USER)");
    let mut new = old.clone();
    new.command = "SELECT".to_string();
    new.permissive = false;
    let plan = plan(&with_policy(old), &with_policy(new));
    assert_eq!(
        sqls(&plan),
        vec![
            "DROP POLICY p ON public.t",
            "CREATE POLICY p ON public.t AS RESTRICTIVE FOR SELECT TO public USING ((owner = CURRENT_USER))",
        ]
    );
    assert!(plan.steps.iter().all(|s| s.forced_by.is_none()));
}

#[test]
fn a_policy_losing_its_using_expression_is_recreated() {
    let old = policy_spec("public.t", "p", "(owner = CURRENT_USER)");
    let mut new = old.clone();
    new.using = None;
    new.with_check = Some("(owner = CURRENT_USER)".to_string());
    let plan = plan(&with_policy(old), &with_policy(new));
    assert_eq!(
        summary(&plan),
        vec!["drop policy:public.t.p", "create policy:public.t.p"]
    );
}

#[test]

fn an_enum_value_removed_under_a_domain_keeps_the_domain_columns_values() {
    let domain = |labels: &[&str]| {
        let mut objects = moods(labels);
        objects.push(Object {
            key: "type:public.dmood".to_string(),
            owner: None,
            deps: vec!["type:public.mood".to_string()],
            spec: Spec::Domain(Domain {
                name: "public.dmood".to_string(),
                base_type: "public.mood".to_string(),
                not_null: false,
                default: None,
                collation: None,
                constraints: vec![],
            }),
        });
        objects.push(column("public.t", "d", "public.dmood", 2).dep("type:public.dmood"));
        objects
    };
    let plan = plan(
        &domain(&["sad", "meh", "happy"]),
        &domain(&["sad", "happy"]),
    );
    // Today: `ALTER TABLE public.t DROP COLUMN d` … `ALTER TABLE public.t ADD COLUMN d
    // public.dmood`, forced by the domain, which is dropped and created again.
    let lossy: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| {
            s.hazards.contains(&Hazard::DataLoss)
                || (s.object_key == "column:public.t.d" && s.action != Action::Alter)
        })
        .map(|s| s.sql.as_str())
        .collect();
    assert_eq!(lossy, Vec::<&str>::new());
}

#[test]
fn a_partition_key_column_retyped_recreates_its_table_and_flags_the_loss() {
    // PostgreSQL refuses ALTER COLUMN … TYPE on a column the partition key uses.
    let keyed = |key_type: &str, other_type: &str| {
        let mut parent = table("public.m");
        if let Spec::Table(t) = &mut parent.spec {
            t.partition_by = Some("RANGE (k)".to_string());
            t.partition_key_columns = vec![("k".to_string(), key_type.to_string())];
        }
        vec![
            parent,
            column("public.m", "id", other_type, 1),
            column("public.m", "k", key_type, 2),
        ]
    };
    let retyped_key = plan(&keyed("integer", "integer"), &keyed("bigint", "integer"));
    assert_eq!(
        summary(&retyped_key),
        vec!["drop table:public.m", "create table:public.m"]
    );
    assert_eq!(retyped_key.steps[0].hazards, vec![Hazard::DataLoss]);
    let retyped_other = plan(&keyed("integer", "integer"), &keyed("integer", "bigint"));
    assert_eq!(
        sqls(&retyped_other),
        vec!["ALTER TABLE public.m ALTER COLUMN id TYPE bigint USING id::bigint"]
    );
}

#[test]
fn a_partition_key_column_of_a_rebuilt_enum_recreates_its_table_instead_of_converting() {
    let keyed_moods = |labels: &[&str]| {
        let mut objects = moods(labels);
        if let Spec::Table(t) = &mut objects[1].spec {
            t.partition_by = Some("LIST (m)".to_string());
            t.partition_key_columns = vec![("m".to_string(), "public.mood".to_string())];
        }
        objects
    };
    let plan = plan(
        &keyed_moods(&["sad", "meh", "happy"]),
        &keyed_moods(&["sad", "happy"]),
    );
    assert_eq!(
        summary(&plan),
        vec![
            "drop table:public.t",
            "alter type:public.mood",
            "create type:public.mood",
            "create table:public.t",
            "drop type:public.mood",
        ]
    );
    assert_eq!(plan.steps[0].hazards, vec![Hazard::DataLoss]);
    assert_eq!(plan.steps[0].forced_by.as_deref(), Some("type:public.mood"));
}

#[test]
fn a_changed_trigger_is_replaced_in_place_unless_a_constraint_trigger_or_before_14() {
    let on_t = |definition: &str, enabled: &str| {
        vec![
            table("public.t"),
            object(
                "trigger:public.t.tr".to_string(),
                Some("table:public.t".to_string()),
                Spec::Trigger(pgmt_core::model::Trigger {
                    table: "public.t".to_string(),
                    name: "tr".to_string(),
                    definition: definition.to_string(),
                    enabled: enabled.to_string(),
                }),
            )
            .dep("table:public.t"),
        ]
    };
    let before = "CREATE TRIGGER tr BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION f()";
    let after = "CREATE TRIGGER tr BEFORE INSERT OR UPDATE ON public.t FOR EACH ROW \
                 WHEN ((new.a > 1)) EXECUTE FUNCTION f()";
    let replaced = plan_on(140_000, on_t(before, "O"), on_t(after, "D"));
    assert_eq!(
        sqls(&replaced),
        vec![
            after
                .replace("CREATE TRIGGER", "CREATE OR REPLACE TRIGGER")
                .as_str(),
            "ALTER TABLE public.t DISABLE TRIGGER tr",
        ]
    );
    assert_eq!(replaced.steps[0].action, Action::Alter);
    let recreated =
        |plan: Plan| summary(&plan) == ["drop trigger:public.t.tr", "create trigger:public.t.tr"];
    assert!(recreated(plan_on(
        130_000,
        on_t(before, "O"),
        on_t(after, "O")
    )));
    let constraint_trigger = "CREATE CONSTRAINT TRIGGER tr AFTER INSERT ON public.t \
                              NOT DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION f()";
    assert!(recreated(plan_on(
        180_000,
        on_t(constraint_trigger, "O"),
        on_t(before, "O")
    )));
    assert!(recreated(plan_on(
        180_000,
        on_t(before, "O"),
        on_t(constraint_trigger, "O")
    )));
}

#[test]
fn what_was_computed_through_a_replaced_function_is_computed_again() {
    let norm = "function:public.norm(t text)";
    let schema = |body: &str| {
        let mut generated = column("public.t", "n", "text", 2)
            .dep("column:public.t.v")
            .dep(norm);
        if let Spec::Column(c) = &mut generated.spec {
            c.generated = Some("public.norm(v)".to_string());
        }
        vec![
            function("public.norm", "t text", "text", body),
            table("public.t"),
            column("public.t", "v", "text", 1),
            generated,
            object(
                "index:public.t_norm".to_string(),
                Some("table:public.t".to_string()),
                Spec::Index(pgmt_core::model::Index {
                    table: "public.t".to_string(),
                    name: "public.t_norm".to_string(),
                    definition: "CREATE INDEX t_norm ON public.t USING btree (public.norm(v))"
                        .to_string(),
                }),
            )
            .dep("table:public.t")
            .dep("column:public.t.v")
            .dep(norm),
            constraint(
                "public.t",
                "t_norm_check",
                "c",
                "CHECK ((public.norm(v) <> ''))",
            )
            .dep("column:public.t.v")
            .dep(norm),
        ]
    };
    let plan_at = |server_version| {
        plan_on(
            server_version,
            schema(" SELECT lower(t) "),
            schema(" SELECT upper(t) "),
        )
    };
    // The index is made again; the column is computed again in place; the CHECK stays.
    let in_place = plan_at(170_000);
    assert_eq!(
        summary(&in_place),
        vec![
            "drop index:public.t_norm",
            format!("alter {norm}").as_str(),
            "alter column:public.t.n",
            "create index:public.t_norm",
        ]
    );
    let recompute = step(&in_place, "column:public.t.n");
    assert_eq!(
        (recompute.sql.as_str(), recompute.forced_by.as_deref()),
        (
            "ALTER TABLE public.t ALTER COLUMN n SET EXPRESSION AS (public.norm(v))",
            Some(norm)
        )
    );
    assert_eq!(recompute.hazards, vec![Hazard::TableRewrite]);
    // Before 17 the column is dropped and added back, which loses nothing.
    let before_17 = plan_at(160_000);
    assert!(summary(&before_17).contains(&"drop column:public.t.n".to_string()));
    assert!(loses_no_data(&before_17));
}

#[test]
fn an_array_column_of_a_rebuilt_composite_is_converted_element_by_element() {
    let held = |attributes: &[(&str, &str)]| {
        vec![
            object(
                "type:public.c".to_string(),
                None,
                Spec::Composite(Composite {
                    name: "public.c".to_string(),
                    attributes: attributes
                        .iter()
                        .map(|(name, data_type)| Attribute {
                            name: name.to_string(),
                            data_type: data_type.to_string(),
                            collation: None,
                        })
                        .collect(),
                }),
            ),
            table("public.t"),
            column("public.t", "x", "public.c[]", 1).dep("type:public.c"),
        ]
    };
    let plan = plan(
        &held(&[("a", "integer")]),
        &held(&[("a", "integer"), ("b", "text")]),
    );
    let sqls = sqls(&plan);
    // A USING clause takes no subquery: a function of the session's own walks the array.
    let create = sqls
        .iter()
        .position(|s| {
            s.starts_with(
                "CREATE FUNCTION pg_temp.pgmt_convert_elements(value anyarray) RETURNS public.c[]",
            )
        })
        .unwrap_or_else(|| panic!("{sqls:#?}"));
    assert!(sqls[create].contains(
        "converted[i] := (CASE WHEN value[i] IS NOT DISTINCT FROM NULL THEN NULL ELSE ROW(((value[i]).a)::integer, NULL::text)::public.c END)::public.c;"
    ));
    assert_eq!(
        sqls[create + 1..create + 3],
        [
            "ALTER TABLE public.t ALTER COLUMN x TYPE public.c[] USING pg_temp.pgmt_convert_elements(x)",
            "DROP FUNCTION pg_temp.pgmt_convert_elements(anyarray)",
        ]
    );
    assert!(loses_no_data(&plan));
}

#[test]
fn an_array_column_of_a_rebased_domain_is_converted_by_a_cast_of_the_array() {
    let held = |base: &str| {
        vec![
            object(
                "type:public.d".to_string(),
                None,
                Spec::Domain(Domain {
                    name: "public.d".to_string(),
                    base_type: base.to_string(),
                    not_null: false,
                    default: None,
                    collation: None,
                    constraints: vec![],
                }),
            ),
            table("public.t"),
            column("public.t", "x", "public.d[]", 1).dep("type:public.d"),
        ]
    };
    let plan = plan(&held("integer"), &held("bigint"));
    assert!(
        sqls(&plan).contains(
            &"ALTER TABLE public.t ALTER COLUMN x TYPE public.d[] USING (x::bigint[])::public.d[]"
        ),
        "{:#?}",
        sqls(&plan)
    );
}

#[test]
fn an_index_on_a_partitioned_table_is_created_for_its_partitions_too() {
    use pgmt_core::kinds::with_partitions;
    // pg_get_indexdef prints `ON ONLY` for a partitioned table's index: created so, it
    // would be the table's alone, and invalid.
    assert_eq!(
        with_partitions("CREATE UNIQUE INDEX ix ON ONLY public.t USING btree (k)"),
        "CREATE UNIQUE INDEX ix ON public.t USING btree (k)"
    );
    assert_eq!(
        with_partitions("CREATE INDEX \"a \"\" ON ONLY b\" ON ONLY public.t USING btree (k)"),
        "CREATE INDEX \"a \"\" ON ONLY b\" ON public.t USING btree (k)"
    );
    assert_eq!(
        with_partitions("CREATE INDEX \"ON ONLY x\" ON public.t USING btree (k)"),
        "CREATE INDEX \"ON ONLY x\" ON public.t USING btree (k)"
    );
    assert_eq!(
        with_partitions("CREATE INDEX ix ON public.only USING btree (k)"),
        "CREATE INDEX ix ON public.only USING btree (k)"
    );
}
