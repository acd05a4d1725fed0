//! The order of steps across objects: drops dependents-first, creates
//! dependencies-first, cycles refused with their path, and the same input always
//! giving the same bytes.

mod common;

use common::*;
use pgmt_core::model::Object;
use pgmt_core::plan::Action;
use pgmt_core::Error;

/// The seed scenario: a function under a chain of three views, its signature changed.
fn rankings(arguments: &str) -> Vec<Object> {
    let function = format!("function:public.calculate_score({arguments})");
    vec![
        table("public.users"),
        column("public.users", "id", "integer", 1),
        column("public.users", "score", "integer", 2),
        common::function(
            "public.calculate_score",
            arguments,
            "integer",
            " select points * 2 ",
        ),
        view(
            "public.user_rankings",
            " SELECT users.id,\n    public.calculate_score(users.score) AS rank_score\n   FROM public.users",
            &["id integer", "rank_score integer"],
        )
        .dep("table:public.users")
        .dep("column:public.users.id")
        .dep("column:public.users.score")
        .dep(&function),
        view(
            "public.daily_stats",
            " SELECT max(user_rankings.rank_score) AS top\n   FROM public.user_rankings",
            &["top integer"],
        )
        .dep("view:public.user_rankings"),
        view(
            "public.executive_dashboard",
            " SELECT daily_stats.top\n   FROM public.daily_stats",
            &["top integer"],
        )
        .dep("view:public.daily_stats"),
    ]
}

#[test]
fn views_over_a_function_whose_signature_changed_drop_top_down_and_create_bottom_up() {
    let plan = plan(
        &rankings("points integer"),
        &rankings("points integer, bonus boolean"),
    );
    assert_eq!(
        summary(&plan),
        vec![
            "drop view:public.executive_dashboard",
            "drop view:public.daily_stats",
            "drop view:public.user_rankings",
            "drop function:public.calculate_score(points integer)",
            "create function:public.calculate_score(points integer, bonus boolean)",
            "create view:public.user_rankings",
            "create view:public.daily_stats",
            "create view:public.executive_dashboard",
        ]
    );
    let forced: Vec<Option<&str>> = plan.steps.iter().map(|s| s.forced_by.as_deref()).collect();
    assert_eq!(
        forced,
        vec![
            Some("view:public.daily_stats"),
            Some("view:public.user_rankings"),
            Some("function:public.calculate_score(points integer)"),
            None,
            None,
            Some("function:public.calculate_score(points integer)"),
            Some("view:public.user_rankings"),
            Some("view:public.daily_stats"),
        ]
    );
    assert_eq!(
        plan.steps[3].sql,
        "DROP FUNCTION public.calculate_score(points integer)"
    );
}

fn mutual_references() -> Vec<Object> {
    let mut objects = Vec::new();
    for (this, other) in [("a", "b"), ("b", "a")] {
        let t = format!("public.{this}");
        objects.extend([
            table(&t),
            column(&t, "id", "integer", 1),
            column(&t, "other_id", "integer", 2),
            constraint(&t, &format!("{this}_pkey"), "p", "PRIMARY KEY (id)")
                .dep(&format!("column:{t}.id")),
            constraint(
                &t,
                &format!("{this}_{other}_fk"),
                "f",
                &format!("FOREIGN KEY (other_id) REFERENCES public.{other}(id)"),
            )
            .dep(&format!("column:{t}.other_id"))
            .dep(&format!("table:public.{other}"))
            .dep(&format!("column:public.{other}.id"))
            .dep(&format!("constraint:public.{other}.{other}_pkey")),
        ]);
    }
    objects
}

#[test]
fn two_tables_referencing_each_other_are_dropped_after_their_foreign_keys() {
    let plan = plan(&mutual_references(), &[]);
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.a DROP CONSTRAINT a_b_fk",
            "ALTER TABLE public.b DROP CONSTRAINT b_a_fk",
            "DROP TABLE public.a",
            "DROP TABLE public.b",
        ]
    );
}

#[test]
fn two_new_tables_referencing_each_other_get_their_foreign_keys_after_both() {
    let plan = plan(&[], &mutual_references());
    assert_eq!(
        summary(&plan),
        vec![
            "create table:public.a",
            "create table:public.b",
            "create constraint:public.a.a_b_fk",
            "create constraint:public.b.b_a_fk",
        ]
    );
    assert_eq!(
        plan.steps[2].sql,
        "ALTER TABLE public.a ADD CONSTRAINT a_b_fk FOREIGN KEY (other_id) REFERENCES public.b(id)"
    );
}

#[test]
fn a_view_over_a_new_column_comes_after_the_column() {
    let source = vec![table("public.t"), column("public.t", "id", "integer", 1)];
    let mut target = source.clone();
    target.push(column("public.t", "zz", "text", 2));
    // `a…` sorts before `column:…` and `view:…`: only the dependency can order them.
    target.push(
        view("public.a", " SELECT t.zz\n   FROM public.t", &["zz text"])
            .dep("table:public.t")
            .dep("column:public.t.zz"),
    );
    let plan = plan(&source, &target);
    assert_eq!(
        summary(&plan),
        vec!["create column:public.t.zz", "create view:public.a"]
    );
}

fn moods_in_use(labels: &[&str]) -> Vec<Object> {
    vec![
        enum_type("public.mood", labels),
        table("public.t"),
        column("public.t", "m", "public.mood", 1).dep("type:public.mood"),
        // pg_depend records the constant's type for a default.
        default("public.t", "m", "'sad'::public.mood").dep("type:public.mood"),
        view(
            "public.v",
            " SELECT t.m\n   FROM public.t",
            &["m public.mood"],
        )
        .dep("table:public.t")
        .dep("column:public.t.m")
        .dep("type:public.mood"),
    ]
}

#[test]
fn a_rebuilt_enum_sets_aside_its_default_and_view_while_its_column_converts() {
    let plan = plan(
        &moods_in_use(&["sad", "meh", "happy"]),
        &moods_in_use(&["sad", "happy"]),
    );
    assert_eq!(
        sqls(&plan),
        vec![
            "DROP VIEW public.v",
            "ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT",
            "ALTER TYPE public.mood RENAME TO mood__pgmt_old",
            "CREATE TYPE public.mood AS ENUM ('sad', 'happy')",
            "ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING (m::text)::public.mood",
            "ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'sad'::public.mood",
            "CREATE VIEW public.v AS\n SELECT t.m\n   FROM public.t",
            "DROP TYPE public.mood__pgmt_old",
        ]
    );
    let forced: Vec<Option<&str>> = plan.steps.iter().map(|s| s.forced_by.as_deref()).collect();
    let by_type = Some("type:public.mood");
    assert_eq!(
        forced,
        vec![by_type, by_type, None, None, None, by_type, by_type, None]
    );
}

#[test]
fn a_recreated_table_takes_the_foreign_keys_pointing_at_it_along() {
    let with_partitioning = |partition_by: Option<&str>| {
        let mut parent = table("public.p");
        if let pgmt_core::model::Spec::Table(t) = &mut parent.spec {
            t.partition_by = partition_by.map(str::to_string);
        }
        vec![
            parent,
            column("public.p", "id", "integer", 1),
            constraint("public.p", "p_pkey", "p", "PRIMARY KEY (id)").dep("column:public.p.id"),
            table("public.c"),
            column("public.c", "p_id", "integer", 1),
            constraint(
                "public.c",
                "c_p_fk",
                "f",
                "FOREIGN KEY (p_id) REFERENCES public.p(id)",
            )
            .dep("column:public.c.p_id")
            .dep("table:public.p")
            .dep("column:public.p.id")
            .dep("constraint:public.p.p_pkey"),
        ]
    };
    let plan = plan(
        &with_partitioning(None),
        &with_partitioning(Some("RANGE (id)")),
    );
    assert_eq!(
        summary(&plan),
        vec![
            "drop constraint:public.c.c_p_fk",
            "drop table:public.p",
            "create table:public.p",
            "create constraint:public.c.c_p_fk",
        ]
    );
    let fk = &plan.steps[0];
    assert_eq!(fk.forced_by.as_deref(), Some("table:public.p"));
    assert_eq!(
        plan.steps[2].sql,
        "CREATE TABLE public.p (\n    id integer,\n    CONSTRAINT p_pkey PRIMARY KEY (id)\n) PARTITION BY RANGE (id)"
    );
}

#[test]
fn a_dependency_cycle_among_created_objects_is_an_error_naming_its_path() {
    let target = vec![
        view("public.a", " SELECT 1", &[]).dep("view:public.c"),
        view("public.b", " SELECT 1", &[]).dep("view:public.a"),
        view("public.c", " SELECT 1", &[]).dep("view:public.b"),
    ];
    let error = pgmt_core::plan(&snapshot(vec![]), &snapshot(target)).unwrap_err();
    let Error::Cycle(path) = &error else {
        panic!("expected a cycle, got {error:?}");
    };
    assert_eq!(
        path,
        &[
            "view:public.a",
            "view:public.b",
            "view:public.c",
            "view:public.a"
        ]
    );
    assert_eq!(
        error.to_string(),
        "the changes depend on each other in a cycle: view:public.a -> view:public.b -> view:public.c -> view:public.a"
    );
}

/// A fixed permutation that moves every object (no rand in a dependency-free crate).
fn shuffled(objects: &[Object]) -> Vec<Object> {
    let n = objects.len();
    let mut order: Vec<usize> = (0..n).collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    order
        .into_iter()
        .map(|i| {
            let mut object = objects[i].clone();
            object.deps.reverse();
            object
        })
        .collect()
}

fn encoded(objects: &[Object]) -> Vec<u8> {
    pgmt_core::encode_snapshot(&snapshot(objects.to_vec())).unwrap()
}

#[test]
fn the_same_input_gives_byte_identical_plans() {
    let (source, target) = (
        encoded(&rankings("points integer")),
        encoded(&rankings("points integer, bonus boolean")),
    );
    let first = pgmt_core::plan_bytes(&source, &target).unwrap();
    let second = pgmt_core::plan_bytes(&source, &target).unwrap();
    assert!(!first.is_empty());
    assert_eq!(first, second);
}

#[test]
fn the_order_of_objects_in_a_snapshot_changes_neither_plan_nor_hash() {
    let source = [rankings("points integer"), moods_in_use(&["sad", "meh"])].concat();
    let target = [
        rankings("points integer, bonus boolean"),
        moods_in_use(&["sad"]),
    ]
    .concat();
    let (mixed_source, mixed_target) = (shuffled(&source), shuffled(&target));
    assert_ne!(mixed_source, source);

    let plain = pgmt_core::plan_bytes(&encoded(&source), &encoded(&target)).unwrap();
    let mixed = pgmt_core::plan_bytes(&encoded(&mixed_source), &encoded(&mixed_target)).unwrap();
    assert_eq!(plain, mixed);
    let hash = |objects: &[Object]| pgmt_core::snapshot_hash(&snapshot(objects.to_vec())).unwrap();
    assert_eq!(hash(&source), hash(&mixed_source));
    assert_eq!(hash(&target), hash(&mixed_target));
    assert_ne!(hash(&source), hash(&target));
}

#[test]
fn a_dropped_table_goes_after_the_view_over_it() {
    let source = vec![
        table("public.t"),
        column("public.t", "id", "integer", 1),
        view(
            "public.v",
            " SELECT t.id\n   FROM public.t",
            &["id integer"],
        )
        .dep("table:public.t")
        .dep("column:public.t.id"),
    ];
    let plan = plan(&source, &[]);
    assert_eq!(
        summary(&plan),
        vec!["drop view:public.v", "drop table:public.t"]
    );
    assert!(plan.steps.iter().all(|s| s.action == Action::Drop));
}

/// `a` references `b` (names in the wrong order for a tie-break on keys).
fn referencing_pair(unlogged: bool) -> Vec<Object> {
    let mut objects = Vec::new();
    for name in ["public.a", "public.b"] {
        let mut table = table(name);
        if let pgmt_core::model::Spec::Table(t) = &mut table.spec {
            t.unlogged = unlogged;
        }
        objects.push(table);
        objects.push(column(name, "id", "integer", 1));
        objects.push(
            constraint(name, "pk", "p", "PRIMARY KEY (id)").dep(&format!("column:{name}.id")),
        );
    }
    objects.push(column("public.a", "b_id", "integer", 2));
    objects.push(
        constraint(
            "public.a",
            "fk",
            "f",
            "FOREIGN KEY (b_id) REFERENCES public.b(id)",
        )
        .dep("column:public.a.b_id")
        .dep("constraint:public.b.pk"),
    );
    objects
}

#[test]
fn tables_become_logged_referenced_first_and_unlogged_referencing_first() {
    // A logged table may not reference an unlogged one, at any point of the plan.
    let logged = plan(&referencing_pair(true), &referencing_pair(false));
    assert_eq!(
        summary(&logged),
        vec!["alter table:public.b", "alter table:public.a"]
    );
    assert!(sqls(&logged)[0].contains("SET LOGGED"));
    let unlogged = plan(&referencing_pair(false), &referencing_pair(true));
    assert_eq!(
        summary(&unlogged),
        vec!["alter table:public.a", "alter table:public.b"]
    );
    assert!(sqls(&unlogged)[0].contains("SET UNLOGGED"));
}
