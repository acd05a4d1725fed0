//! Columns moving between an inheritance parent and its children keep the
//! children's values.

mod common;

use common::*;
use pgmt_core::model::{Object, Spec};

/// `name` inheriting from `parents`, as the reader shows it (depending on them).
fn child(name: &str, parents: &[&str]) -> Object {
    let mut table = table(name);
    if let Spec::Table(t) = &mut table.spec {
        t.inherits = parents.iter().map(|p| p.to_string()).collect();
    }
    parents
        .iter()
        .fold(table, |table, parent| table.dep(&format!("table:{parent}")))
}

fn inherited(mut column: Object) -> Object {
    if let Spec::Column(c) = &mut column.spec {
        c.inherited = true;
    }
    column
}

#[test]
fn a_column_moving_from_the_parent_to_its_child_is_dropped_only_from_the_parent() {
    let source = vec![
        table("public.base"),
        column("public.base", "e", "integer", 1),
        child("public.a", &["public.base"]),
        inherited(column("public.a", "e", "integer", 1)),
    ];
    let target = vec![
        table("public.base"),
        child("public.a", &["public.base"]),
        column("public.a", "e", "integer", 1),
    ];
    let plan = plan(&source, &target);
    assert_eq!(
        sqls(&plan),
        vec!["ALTER TABLE ONLY public.base DROP COLUMN e"]
    );
}

#[test]
fn a_child_losing_the_column_with_its_parent_drops_it_after_the_parent_only() {
    let source = vec![
        table("public.base"),
        column("public.base", "e", "integer", 1),
        child("public.keeps", &["public.base"]),
        inherited(column("public.keeps", "e", "integer", 1)),
        child("public.loses", &["public.base"]),
        inherited(column("public.loses", "e", "integer", 1)),
    ];
    let target = vec![
        table("public.base"),
        child("public.keeps", &["public.base"]),
        column("public.keeps", "e", "integer", 1),
        child("public.loses", &["public.base"]),
    ];
    let plan = plan(&source, &target);
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE ONLY public.base DROP COLUMN e",
            "ALTER TABLE public.loses DROP COLUMN e",
        ]
    );
}

#[test]
fn a_column_kept_by_a_grandchild_only_is_dropped_only_from_each_table_above_it() {
    let source = vec![
        table("public.base"),
        column("public.base", "e", "integer", 1),
        child("public.mid", &["public.base"]),
        inherited(column("public.mid", "e", "integer", 1)),
        child("public.leaf", &["public.mid"]),
        inherited(column("public.leaf", "e", "integer", 1)),
    ];
    let target = vec![
        table("public.base"),
        child("public.mid", &["public.base"]),
        child("public.leaf", &["public.mid"]),
        column("public.leaf", "e", "integer", 1),
    ];
    let plan = plan(&source, &target);
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE ONLY public.base DROP COLUMN e",
            "ALTER TABLE ONLY public.mid DROP COLUMN e",
        ]
    );
}

/// Dropped from the parent only, then by each child itself: a child that declared the
/// column too (merged, which reads the same as inherited) would otherwise keep it.
#[test]
fn a_column_no_child_keeps_is_dropped_table_by_table_down_the_hierarchy() {
    let source = vec![
        table("public.base"),
        column("public.base", "e", "integer", 1),
        child("public.a", &["public.base"]),
        inherited(column("public.a", "e", "integer", 1)),
    ];
    let target = vec![table("public.base"), child("public.a", &["public.base"])];
    let plan = plan(&source, &target);
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE ONLY public.base DROP COLUMN e",
            "ALTER TABLE public.a DROP COLUMN e",
        ]
    );
}

#[test]
fn a_column_moving_from_a_child_to_its_parent_is_added_to_the_parent_only() {
    // PostgreSQL merges the parent's new column with the child's own (same type):
    // the child's values stay, and its column is now inherited.
    let source = vec![
        table("public.base"),
        child("public.a", &["public.base"]),
        column("public.a", "e", "integer", 1),
    ];
    let target = vec![
        table("public.base"),
        column("public.base", "e", "integer", 1),
        child("public.a", &["public.base"]),
        inherited(column("public.a", "e", "integer", 1)),
    ];
    let plan = plan(&source, &target);
    assert_eq!(
        sqls(&plan),
        vec!["ALTER TABLE public.base ADD COLUMN e integer"]
    );
}

#[test]
fn a_new_child_declares_an_inherited_column_again_for_its_own_not_null_and_default() {
    let target = vec![
        table("public.base"),
        column("public.base", "e", "integer", 1),
        column("public.base", "f", "integer", 2),
        child("public.a", &["public.base"]),
        not_null(inherited(column("public.a", "e", "integer", 1))),
        inherited(column("public.a", "f", "integer", 2)),
        default("public.a", "f", "5"),
    ];
    let base = &target[..3];
    let plan = plan(base, &target);
    assert_eq!(
        sqls(&plan),
        vec!["CREATE TABLE public.a (\n    e integer NOT NULL,\n    f integer DEFAULT 5\n) INHERITS (public.base)"]
    );
}

fn hierarchy(inherits: bool) -> Vec<Object> {
    let mut objects = vec![
        table("public.base"),
        column("public.base", "e", "integer", 1),
    ];
    if inherits {
        objects.push(child("public.a", &["public.base"]));
        objects.push(inherited(column("public.a", "e", "integer", 1)));
    } else {
        objects.push(table("public.a"));
    }
    objects.push(column("public.a", "x", "integer", 2));
    objects
}

#[test]
fn a_table_gaining_a_parent_first_gets_the_columns_inherit_requires() {
    let plan = plan(&hierarchy(false), &hierarchy(true));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.a ADD COLUMN e integer",
            "ALTER TABLE public.a INHERIT public.base",
        ]
    );
}

#[test]
fn a_table_losing_a_parent_drops_the_columns_it_had_from_it() {
    let plan = plan(&hierarchy(true), &hierarchy(false));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.a NO INHERIT public.base",
            "ALTER TABLE public.a DROP COLUMN e",
        ]
    );
    assert!(plan.steps[1]
        .hazards
        .contains(&pgmt_core::plan::Hazard::DataLoss));
}

#[test]
fn a_child_of_two_parents_dropping_the_column_loses_it_after_the_last_of_them() {
    let parents = ["public.p2", "public.p1"];
    let mut source = vec![];
    for parent in parents {
        source.push(table(parent));
        source.push(column(parent, "e", "integer", 1));
    }
    source.push(child("public.c", &parents));
    source.push(inherited(column("public.c", "e", "integer", 1)));
    let target = vec![
        table("public.p1"),
        table("public.p2"),
        child("public.c", &parents),
    ];
    let plan = plan(&source, &target);
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE ONLY public.p1 DROP COLUMN e",
            "ALTER TABLE ONLY public.p2 DROP COLUMN e",
            "ALTER TABLE public.c DROP COLUMN e",
        ]
    );
}

#[test]
fn an_inherited_columns_not_null_changes_after_its_parents() {
    // The child sorts first by key; PostgreSQL 18 refuses to drop its NOT NULL while it
    // still comes from the parent.
    let family = |not_null_everywhere: bool| {
        let nullable_or_not = |c: Object| if not_null_everywhere { not_null(c) } else { c };
        vec![
            table("public.p"),
            nullable_or_not(column("public.p", "a", "integer", 1)),
            child("public.c", &["public.p"]),
            nullable_or_not(inherited(column("public.c", "a", "integer", 1))),
        ]
    };
    for (from, to, change) in [(true, false, "DROP"), (false, true, "SET")] {
        assert_eq!(
            sqls(&plan(&family(from), &family(to))),
            vec![
                format!("ALTER TABLE public.p ALTER COLUMN a {change} NOT NULL"),
                format!("ALTER TABLE public.c ALTER COLUMN a {change} NOT NULL"),
            ]
        );
    }
}

#[test]
fn a_table_gaining_a_parent_gets_its_columns_as_the_target_has_them_after_they_change() {
    let source = vec![
        table("public.p"),
        column("public.p", "a", "bigint", 1),
        table("public.c"),
        column("public.c", "x", "integer", 1),
    ];
    let target = vec![
        table("public.p"),
        not_null(column("public.p", "a", "integer", 1)),
        default("public.p", "a", "1"),
        child("public.c", &["public.p"]),
        column("public.c", "x", "integer", 1),
        not_null(inherited(column("public.c", "a", "integer", 2))),
        default("public.c", "a", "1"),
    ];
    assert_eq!(
        sqls(&plan(&source, &target)),
        vec![
            "ALTER TABLE public.p ALTER COLUMN a TYPE integer USING a::integer",
            "ALTER TABLE public.p ALTER COLUMN a SET NOT NULL",
            "ALTER TABLE public.c ADD COLUMN a integer NOT NULL DEFAULT 1",
            "ALTER TABLE public.c INHERIT public.p",
            "ALTER TABLE public.p ALTER COLUMN a SET DEFAULT 1",
        ]
    );
}

#[test]
fn a_childs_own_not_null_is_set_again_after_its_parent_drops_its_own() {
    // The parent's DROP NOT NULL reaches the child's column, declared NOT NULL by the
    // child too (a merged column reads as inherited).
    let family = |parent_not_null: bool| {
        let parent_column = column("public.p", "b", "text", 1);
        vec![
            table("public.p"),
            if parent_not_null {
                not_null(parent_column)
            } else {
                parent_column
            },
            child("public.c", &["public.p"]),
            not_null(inherited(column("public.c", "b", "text", 1))),
        ]
    };
    let plan = plan(&family(true), &family(false));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.p ALTER COLUMN b DROP NOT NULL",
            "ALTER TABLE public.c ALTER COLUMN b SET NOT NULL",
        ]
    );
    assert_eq!(
        plan.steps[1].forced_by.as_deref(),
        Some("column:public.p.b")
    );
}

#[test]
fn an_inherited_column_of_a_rebuilt_type_is_converted_by_its_parents_alter_only() {
    let family = |labels: &[&str]| {
        vec![
            enum_type("public.mood", labels),
            table("public.p"),
            column("public.p", "m", "public.mood", 1).dep("type:public.mood"),
            child("public.c", &["public.p"]),
            inherited(column("public.c", "m", "public.mood", 1)).dep("type:public.mood"),
            view(
                "public.v",
                " SELECT c.m\n   FROM public.c",
                &["m public.mood"],
            )
            .dep("column:public.c.m"),
        ]
    };
    let plan = plan(&family(&["a", "b"]), &family(&["a"]));
    assert_eq!(
        sqls(&plan),
        vec![
            "DROP VIEW public.v",
            "ALTER TYPE public.mood RENAME TO mood__pgmt_old",
            "CREATE TYPE public.mood AS ENUM ('a')",
            "ALTER TABLE public.p ALTER COLUMN m TYPE public.mood USING (m::text)::public.mood",
            "CREATE VIEW public.v AS\n SELECT c.m\n   FROM public.c",
            "DROP TYPE public.mood__pgmt_old",
        ]
    );
}

/// A CHECK on `table` as the reader shows it (on the table that declares it only).
fn check(table: &str, name: &str, definition: &str) -> Object {
    constraint(table, name, "c", definition)
}

/// `name` a partition of `parent`, as the reader shows it.
fn partition(name: &str, parent: &str, bound: &str) -> Object {
    let mut table = table(name);
    if let Spec::Table(t) = &mut table.spec {
        t.partition_of = Some(parent.to_string());
        t.partition_bound = Some(bound.to_string());
    }
    table.dep(&format!("table:{parent}"))
}

/// A grandparent's and a parent's CHECKs, and one the parent keeps to itself.
fn checked_family(child_inherits: bool) -> Vec<Object> {
    vec![
        table("public.gp"),
        check("public.gp", "positive", "CHECK ((a > 0))"),
        child("public.p", &["public.gp"]),
        check("public.p", "small", "CHECK ((a < 100))"),
        check("public.p", "own", "CHECK ((a <> 7)) NO INHERIT"),
        if child_inherits {
            child("public.c", &["public.p"])
        } else {
            table("public.c")
        },
    ]
}

#[test]
fn a_table_gaining_a_parent_first_gets_the_checks_of_the_parent_and_its_ancestors() {
    let plan = plan(&checked_family(false), &checked_family(true));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.c ADD CONSTRAINT small CHECK ((a < 100))",
            "ALTER TABLE public.c ADD CONSTRAINT positive CHECK ((a > 0))",
            "ALTER TABLE public.c INHERIT public.p",
        ]
    );
    // Each holds the table's lock while it checks the rows, as any CHECK added.
    assert!(plan.steps[..2]
        .iter()
        .all(|s| s.hazards.contains(&pgmt_core::plan::Hazard::BlockingLock)));
}

#[test]
fn a_table_losing_a_parent_drops_the_checks_it_had_from_it() {
    let plan = plan(&checked_family(true), &checked_family(false));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.c NO INHERIT public.p",
            "ALTER TABLE public.c DROP CONSTRAINT IF EXISTS small",
            "ALTER TABLE public.c DROP CONSTRAINT IF EXISTS positive",
        ]
    );
}

#[test]
fn a_table_gaining_a_second_parent_does_not_add_a_check_its_first_gives_it() {
    let family = |parents: &[&str]| {
        vec![
            table("public.p"),
            check("public.p", "positive", "CHECK ((a > 0))"),
            table("public.q"),
            check("public.q", "positive", "CHECK ((a > 0))"),
            check("public.q", "small", "CHECK ((a < 100))"),
            child("public.c", parents),
        ]
    };
    let plan = plan(&family(&["public.p"]), &family(&["public.p", "public.q"]));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.c ADD CONSTRAINT small CHECK ((a < 100))",
            "ALTER TABLE public.c INHERIT public.q",
        ]
    );
}

#[test]
fn a_parents_check_dropped_is_dropped_from_each_table_below_it_that_stays() {
    // Each child that declared it too keeps it as its own after the parent's DROP (the
    // snapshot cannot tell): dropped top-down, then the target's own added again.
    let family = |parent_checks: bool| {
        let mut objects = vec![
            table("public.p"),
            child("public.c", &["public.p"]),
            child("public.g", &["public.c"]),
            table("public.q"),
            check("public.q", "positive", "CHECK ((a > 0))"),
            child("public.two", &["public.p", "public.q"]),
        ];
        if parent_checks {
            objects.push(check("public.p", "positive", "CHECK ((a > 0))"));
        } else {
            objects.push(check("public.g", "positive", "CHECK ((a > 0))"));
        }
        objects
    };
    let plan = plan(&family(true), &family(false));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.p DROP CONSTRAINT positive",
            "ALTER TABLE public.c DROP CONSTRAINT IF EXISTS positive",
            "ALTER TABLE public.g DROP CONSTRAINT IF EXISTS positive",
            "ALTER TABLE public.g ADD CONSTRAINT positive CHECK ((a > 0))",
        ]
    );
    // public.two has it from public.q as well: inherited still, nothing to drop.
}

#[test]
fn a_partitioned_tables_check_changed_is_dropped_from_its_partitions_before_it_comes_back() {
    let family = |definition: &str| {
        vec![
            table("public.r"),
            check("public.r", "positive", definition),
            partition("public.r1", "public.r", "FOR VALUES FROM (0) TO (10)"),
        ]
    };
    let plan = plan(&family("CHECK ((a > 0))"), &family("CHECK ((a > 1))"));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.r DROP CONSTRAINT positive",
            "ALTER TABLE public.r1 DROP CONSTRAINT IF EXISTS positive",
            "ALTER TABLE public.r ADD CONSTRAINT positive CHECK ((a > 1))",
        ]
    );
}

#[test]
fn a_partition_moving_to_another_parent_trades_its_checks_and_a_rebound_one_keeps_them() {
    let family = |parent: &str, bound: &str| {
        vec![
            table("public.r"),
            check("public.r", "positive", "CHECK ((a > 0))"),
            table("public.s"),
            check("public.s", "small", "CHECK ((a < 100))"),
            partition("public.r1", parent, bound),
        ]
    };
    let moved = plan(
        &family("public.r", "FOR VALUES FROM (0) TO (10)"),
        &family("public.s", "FOR VALUES FROM (0) TO (10)"),
    );
    assert_eq!(
        sqls(&moved),
        vec![
            "ALTER TABLE public.r DETACH PARTITION public.r1",
            "ALTER TABLE public.r1 DROP CONSTRAINT IF EXISTS positive",
            "ALTER TABLE public.r1 ADD CONSTRAINT small CHECK ((a < 100))",
            "ALTER TABLE public.s ATTACH PARTITION public.r1 FOR VALUES FROM (0) TO (10)",
        ]
    );
    let rebound = plan(
        &family("public.r", "FOR VALUES FROM (0) TO (10)"),
        &family("public.r", "FOR VALUES FROM (0) TO (20)"),
    );
    assert_eq!(
        sqls(&rebound),
        vec![
            "ALTER TABLE public.r DETACH PARTITION public.r1",
            "ALTER TABLE public.r ATTACH PARTITION public.r1 FOR VALUES FROM (0) TO (20)",
        ]
    );
}

#[test]
fn a_check_both_parents_drop_is_dropped_from_their_child_after_the_last_of_them() {
    let family = |checked: bool| {
        let mut objects = vec![
            table("public.p"),
            table("public.q"),
            child("public.c", &["public.p", "public.q"]),
        ];
        if checked {
            objects.push(check("public.p", "positive", "CHECK ((a > 0))"));
            objects.push(check("public.q", "positive", "CHECK ((a > 0))"));
        }
        objects
    };
    let plan = plan(&family(true), &family(false));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.p DROP CONSTRAINT positive",
            "ALTER TABLE public.q DROP CONSTRAINT positive",
            "ALTER TABLE public.c DROP CONSTRAINT IF EXISTS positive",
        ]
    );
}

#[test]
fn a_table_leaving_its_parent_drops_the_checks_it_had_from_it_below_it_too() {
    let family = |middle_inherits: bool| {
        vec![
            table("public.p"),
            check("public.p", "positive", "CHECK ((a > 0))"),
            if middle_inherits {
                child("public.c", &["public.p"])
            } else {
                table("public.c")
            },
            child("public.g", &["public.c"]),
        ]
    };
    let plan = plan(&family(true), &family(false));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.c NO INHERIT public.p",
            "ALTER TABLE public.c DROP CONSTRAINT IF EXISTS positive",
            "ALTER TABLE public.g DROP CONSTRAINT IF EXISTS positive",
        ]
    );
}

/// A partitioned table with a NOT NULL key column, and `public.r1` as its partition (with
/// a foreign key and indexes from its parent's) or a table of its own (with the parent's
/// key column only, nullable).
fn attachable(attached: bool) -> Vec<Object> {
    let mut objects = vec![
        table("public.r"),
        not_null(column("public.r", "k", "integer", 1)),
        column("public.r", "a", "integer", 2),
    ];
    if attached {
        let mut r1 = partition("public.r1", "public.r", "FOR VALUES FROM (0) TO (10)");
        if let Spec::Table(t) = &mut r1.spec {
            t.cloned_constraints = vec!["r_uid_fkey".to_string(), "r1_pkey".to_string()];
            t.attached_indexes = vec!["public.r1_pkey".to_string(), "public.r1_b_idx".to_string()];
        }
        objects.extend([
            r1,
            not_null(inherited(column("public.r1", "k", "integer", 1))),
            inherited(column("public.r1", "a", "integer", 2)),
        ]);
    } else {
        objects.extend([table("public.r1"), column("public.r1", "k", "integer", 1)]);
    }
    objects
}

#[test]
fn a_table_attached_as_a_partition_first_gets_the_not_nulls_and_columns_it_lacks() {
    let plan = plan(&attachable(false), &attachable(true));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.r1 ALTER COLUMN k SET NOT NULL",
            "ALTER TABLE public.r1 ADD COLUMN a integer",
            "ALTER TABLE public.r ATTACH PARTITION public.r1 FOR VALUES FROM (0) TO (10)",
        ]
    );
}

#[test]
fn a_detached_partition_drops_what_it_had_from_its_parent() {
    let plan = plan(&attachable(true), &attachable(false));
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER TABLE public.r DETACH PARTITION public.r1",
            "ALTER TABLE public.r1 DROP CONSTRAINT IF EXISTS r_uid_fkey",
            "ALTER TABLE public.r1 DROP CONSTRAINT IF EXISTS r1_pkey",
            "DROP INDEX IF EXISTS public.r1_pkey",
            "DROP INDEX IF EXISTS public.r1_b_idx",
            "ALTER TABLE public.r1 DROP COLUMN a",
            "ALTER TABLE public.r1 ALTER COLUMN k DROP NOT NULL",
        ]
    );
}

#[test]
fn a_table_gaining_a_parent_first_takes_its_column_types_with_what_reads_them_around() {
    let family = |inherits: bool| {
        let mut objects = vec![table("public.p"), column("public.p", "b", "text", 1)];
        if inherits {
            objects.push(child("public.c", &["public.p"]));
            objects.push(inherited(column("public.c", "b", "text", 1)));
        } else {
            objects.push(table("public.c"));
            objects.push(column("public.c", "b", "integer", 1));
        }
        objects.push(
            view("public.v", " SELECT c.b\n   FROM public.c", &["b"]).dep("column:public.c.b"),
        );
        objects
    };
    let plan = plan(&family(false), &family(true));
    assert_eq!(
        sqls(&plan),
        vec![
            "DROP VIEW public.v",
            "ALTER TABLE public.c ALTER COLUMN b TYPE text USING b::text",
            "ALTER TABLE public.c INHERIT public.p",
            "CREATE VIEW public.v AS\n SELECT c.b\n   FROM public.c",
        ]
    );
}

#[test]
fn a_parents_column_made_again_takes_its_childrens_copies_and_what_reads_them_along() {
    let family = |data_type: &str| {
        vec![
            table("public.p"),
            column("public.p", "a", data_type, 1),
            child("public.c", &["public.p"]),
            inherited(column("public.c", "a", data_type, 1)),
            view("public.v", " SELECT c.a\n   FROM public.c", &["a"]).dep("column:public.c.a"),
        ]
    };
    let plan = plan(&family("integer[]"), &family("integer"));
    assert_eq!(
        sqls(&plan),
        vec![
            "DROP VIEW public.v",
            "ALTER TABLE ONLY public.p DROP COLUMN a",
            "ALTER TABLE public.c DROP COLUMN a",
            "ALTER TABLE public.p ADD COLUMN a integer",
            "CREATE VIEW public.v AS\n SELECT c.a\n   FROM public.c",
        ]
    );
}
