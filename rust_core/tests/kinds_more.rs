//! Diff rules of the kinds in `kinds/more.rs` that the database tests cannot pin
//! down exactly: statement shapes, hazards and cross-phase ordering.

mod common;

use common::*;
use pgmt_core::model::*;
use pgmt_core::plan::Hazard;

fn object(key: &str, spec: Spec) -> Object {
    Object {
        key: key.to_string(),
        owner: None,
        deps: vec![],
        spec,
    }
}

fn extension(version: &str, update_targets: &[&str]) -> Object {
    object(
        "extension:pg_trgm",
        Spec::Extension(Extension {
            name: "pg_trgm".to_string(),
            schema: "public".to_string(),
            version: version.to_string(),
            update_targets: update_targets.iter().map(|s| s.to_string()).collect(),
            relocatable: true,
        }),
    )
}

fn collation(name: &str, locale: &str) -> Object {
    object(
        &format!("collation:{name}"),
        Spec::Collation(Collation {
            name: name.to_string(),
            provider: "libc".to_string(),
            locale: None,
            lc_collate: Some(locale.to_string()),
            lc_ctype: Some(locale.to_string()),
            deterministic: true,
            rules: None,
        }),
    )
}

fn collated(collation: &str) -> Object {
    let mut c = column("public.t", "a", "text", 1);
    if let Spec::Column(spec) = &mut c.spec {
        spec.collation = Some(collation.to_string());
    }
    c.dep(&format!("collation:{collation}"))
}

#[test]
fn an_extension_with_an_update_path_is_updated_in_place() {
    let plan = plan(
        &[extension("1.4", &["1.5", "1.6"])],
        &[extension("1.5", &[])],
    );
    assert_eq!(sqls(&plan), ["ALTER EXTENSION pg_trgm UPDATE TO '1.5'"]);
}

#[test]
fn an_extension_without_a_path_back_is_dropped_with_a_data_loss_hazard_and_created() {
    let plan = plan(&[extension("1.5", &["1.6"])], &[extension("1.4", &["1.5"])]);
    assert_eq!(
        sqls(&plan),
        [
            "DROP EXTENSION pg_trgm",
            "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public VERSION '1.4'"
        ]
    );
    assert_eq!(plan.steps[0].hazards, [Hazard::DataLoss]);
}

#[test]
fn a_column_moving_off_a_dropped_collation_changes_before_the_collation_goes() {
    let source = vec![
        collation("public.c1", "C"),
        table("public.t"),
        collated("public.c1"),
    ];
    let target = vec![
        collation("public.c2", "POSIX"),
        table("public.t"),
        collated("public.c2"),
    ];
    assert_eq!(
        sqls(&plan(&source, &target)),
        [
            "CREATE COLLATION public.c2 (provider = libc, lc_collate = 'POSIX', lc_ctype = 'POSIX')",
            "ALTER TABLE public.t ALTER COLUMN a TYPE text COLLATE public.c2 USING a::text",
            "DROP COLLATION public.c1",
        ]
    );
}

#[test]
fn a_redefined_collation_is_rebuilt_beside_the_old_one_and_its_columns_keep_their_values() {
    let source = vec![
        collation("public.c1", "C"),
        table("public.t"),
        collated("public.c1"),
    ];
    let target = vec![
        collation("public.c1", "POSIX"),
        table("public.t"),
        collated("public.c1"),
    ];
    assert_eq!(
        sqls(&plan(&source, &target)),
        [
            "ALTER COLLATION public.c1 RENAME TO c1__pgmt_old",
            "CREATE COLLATION public.c1 (provider = libc, lc_collate = 'POSIX', lc_ctype = 'POSIX')",
            "ALTER TABLE public.t ALTER COLUMN a TYPE text COLLATE public.c1 USING (a)::text",
            "DROP COLLATION public.c1__pgmt_old",
        ]
    );
}

/// Table `public.t` bound to `public.pair`, with these columns in this order.
fn typed_table(columns: &[&str]) -> Vec<Object> {
    let mut objects = vec![table("public.t")];
    for (i, name) in columns.iter().enumerate() {
        objects.push(column("public.t", name, "integer", i as i32 + 1));
    }
    let mut binding = object(
        "typed_table:public.t",
        Spec::TypedTable(TypedTable {
            table: "public.t".to_string(),
            of_type: "public.pair".to_string(),
            columns: columns.iter().map(|c| format!("{c} integer")).collect(),
        }),
    )
    .dep("table:public.t");
    binding.owner = Some("table:public.t".to_string());
    objects.push(binding);
    objects
}

#[test]
fn a_typed_table_whose_columns_cannot_reach_its_type_order_is_recreated() {
    let reordered = plan(&typed_table(&["a", "b"]), &typed_table(&["b", "a"]));
    assert_eq!(
        summary(&reordered),
        [
            "drop table:public.t",
            "create table:public.t",
            "create typed_table:public.t"
        ]
    );
    assert!(reordered.steps[0].hazards.contains(&Hazard::DataLoss));
    // A column added last keeps the others where they are: the table stays.
    let appended = plan(&typed_table(&["a", "b"]), &typed_table(&["a", "b", "c"]));
    assert!(!summary(&appended).contains(&"drop table:public.t".to_string()));
}

#[test]
fn an_aggregate_without_arguments_is_written_with_a_star() {
    let aggregate = object(
        "aggregate:public.cnt()",
        Spec::Aggregate(Aggregate {
            name: "public.cnt".to_string(),
            identity_arguments: String::new(),
            arguments: String::new(),
            result: "bigint".to_string(),
            aggregate_kind: "n".to_string(),
            options: "SFUNC = int8inc, STYPE = bigint, INITCOND = '0'".to_string(),
        }),
    );
    let created = plan(&[], std::slice::from_ref(&aggregate));
    assert_eq!(
        sqls(&created),
        ["CREATE AGGREGATE public.cnt(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0')"]
    );
    assert_eq!(
        sqls(&plan(&[aggregate], &[])),
        ["DROP AGGREGATE public.cnt(*)"]
    );
}

fn server(options: &[&str]) -> Object {
    object(
        "foreign_server:remote",
        Spec::ForeignServer(ForeignServer {
            name: "remote".to_string(),
            wrapper: "postgres_fdw".to_string(),
            server_type: None,
            version: None,
            options: options.iter().map(|s| s.to_string()).collect(),
        }),
    )
}

fn mapping(options: &[&str]) -> Object {
    let mut m = object(
        "user_mapping:PUBLIC@remote",
        Spec::UserMapping(UserMapping {
            server: "remote".to_string(),
            role: "PUBLIC".to_string(),
            options: options.iter().map(|s| s.to_string()).collect(),
        }),
    );
    m.owner = Some("foreign_server:remote".to_string());
    m.dep("foreign_server:remote")
}

#[test]
fn server_options_are_dropped_set_and_added_in_one_statement() {
    let plan = plan(
        &[server(&["dbname 'a'", "host 'h'"])],
        &[server(&["dbname 'b'", "port '5433'"])],
    );
    assert_eq!(
        sqls(&plan),
        ["ALTER SERVER remote OPTIONS (DROP host, SET dbname 'b', ADD port '5433')"]
    );
    assert!(plan.steps[0].hazards.is_empty());
}

#[test]
fn a_secret_placeholder_is_flagged_where_it_is_written_and_only_there() {
    let secret = format!("password {SECRET_PLACEHOLDER}");
    let plan = plan(
        &[server(&[])],
        &[server(&[]), mapping(&["user 'app'", &secret])],
    );
    assert_eq!(
        sqls(&plan),
        [format!(
            "CREATE USER MAPPING FOR PUBLIC SERVER remote OPTIONS (user 'app', {secret})"
        )]
    );
    assert_eq!(plan.steps[0].hazards, [Hazard::SecretPlaceholder]);
    // Dropping the user option leaves the secret alone: nothing to fill in.
    let altered = plan_of_change(mapping(&["user 'app'", &secret]), mapping(&[&secret]));
    assert_eq!(
        sqls(&altered),
        ["ALTER USER MAPPING FOR PUBLIC SERVER remote OPTIONS (DROP user)"]
    );
    assert!(altered.steps[0].hazards.is_empty());
}

fn plan_of_change(old: Object, new: Object) -> pgmt_core::plan::Plan {
    plan(&[server(&[]), old], &[server(&[]), new])
}

#[test]
fn a_foreign_table_is_created_with_its_columns_and_checks_and_follows_its_server() {
    let ft = |server_type: Option<&str>| {
        let mut s = server(&[]);
        if let Spec::ForeignServer(spec) = &mut s.spec {
            spec.server_type = server_type.map(str::to_string);
        }
        let mut t = object(
            "foreign_table:public.ft",
            Spec::ForeignTable(ForeignTable {
                name: "public.ft".to_string(),
                server: "remote".to_string(),
                options: vec!["table_name 't'".to_string()],
            }),
        )
        .dep("foreign_server:remote");
        t.deps.sort();
        let mut c = not_null(column("public.ft", "id", "integer", 1));
        c.owner = Some("foreign_table:public.ft".to_string());
        c.deps = vec!["foreign_table:public.ft".to_string()];
        let mut k = constraint("public.ft", "pos", "c", "CHECK ((id > 0))");
        k.owner = Some("foreign_table:public.ft".to_string());
        k.deps = vec!["foreign_table:public.ft".to_string()];
        vec![s, t, c, k]
    };
    let created = plan(&ft(None)[..1], &ft(None));
    assert_eq!(
        sqls(&created),
        [
            "CREATE FOREIGN TABLE public.ft (\n    id integer NOT NULL,\n    \
          CONSTRAINT pos CHECK ((id > 0))\n) SERVER remote OPTIONS (table_name 't')"
        ]
    );
    assert_eq!(
        summary(&plan(&ft(None), &ft(Some("pg")))),
        [
            "drop foreign_table:public.ft",
            "drop foreign_server:remote",
            "create foreign_server:remote",
            "create foreign_table:public.ft",
        ]
    );
}

fn operator(restrict: Option<&str>, hashes: bool) -> Object {
    object(
        "operator:public.===(NONE,integer)",
        Spec::Operator(Operator {
            name: "public.===".to_string(),
            left: None,
            right: "integer".to_string(),
            function: "public.f".to_string(),
            commutator: None,
            negator: None,
            restrict: restrict.map(str::to_string),
            join: None,
            hashes,
            merges: false,
        }),
    )
}

#[test]
fn an_operator_sets_its_estimators_in_place_and_is_recreated_for_the_rest() {
    assert_eq!(
        sqls(&plan(&[], &[operator(None, false)])),
        ["CREATE OPERATOR public.=== (FUNCTION = public.f, RIGHTARG = integer)"]
    );
    assert_eq!(
        sqls(&plan(
            &[operator(None, false)],
            &[operator(Some("eqsel"), false)]
        )),
        ["ALTER OPERATOR public.=== (NONE, integer) SET (RESTRICT = eqsel, JOIN = NONE)"]
    );
    assert_eq!(
        sqls(&plan(&[operator(None, false)], &[operator(None, true)])),
        [
            "DROP OPERATOR public.=== (NONE, integer)",
            "CREATE OPERATOR public.=== (FUNCTION = public.f, RIGHTARG = integer, HASHES)"
        ]
    );
}

fn family(members: &[(&str, i32, &str)]) -> Object {
    object(
        "operator_family:public.fam USING btree",
        Spec::OperatorFamily(OperatorFamily {
            name: "public.fam".to_string(),
            method: "btree".to_string(),
            members: members
                .iter()
                .map(|(kind, number, target)| OperatorMember {
                    kind: kind.to_string(),
                    number: *number,
                    left: "text".to_string(),
                    right: "text".to_string(),
                    target: target.to_string(),
                    order_by: None,
                })
                .collect(),
        }),
    )
}

#[test]
fn a_family_drops_and_adds_its_loose_members_in_place() {
    let old = family(&[("OPERATOR", 1, "public.<~"), ("OPERATOR", 3, "public.=~")]);
    let new = family(&[
        ("OPERATOR", 3, "public.==~"),
        ("FUNCTION", 1, "public.cmp(text,text)"),
    ]);
    assert_eq!(
        sqls(&plan(&[old], &[new])),
        [
            "ALTER OPERATOR FAMILY public.fam USING btree DROP OPERATOR 1 (text, text), \
             OPERATOR 3 (text, text)",
            "ALTER OPERATOR FAMILY public.fam USING btree ADD OPERATOR 3 public.==~ (text, text), \
             FUNCTION 1 (text, text) public.cmp(text,text)",
        ]
    );
}

fn label(text: &str) -> Object {
    let mut l = object(
        "security_label:anon:column:public.t.a",
        Spec::SecurityLabel(SecurityLabel {
            target: "column:public.t.a".to_string(),
            provider: "anon".to_string(),
            label: text.to_string(),
        }),
    );
    l.owner = Some("column:public.t.a".to_string());
    l.dep("column:public.t.a")
}

/// No provider can be loaded on the test servers (sepgsql needs SELinux), so the
/// statements are pinned here only.
#[test]
fn a_security_label_is_set_restated_and_taken_away() {
    let base = || vec![table("public.t"), column("public.t", "a", "text", 1)];
    let with = |text: &str| {
        let mut objects = base();
        objects.push(label(text));
        objects
    };
    assert_eq!(
        sqls(&plan(&base(), &with("MASKED WITH VALUE 'x'"))),
        ["SECURITY LABEL FOR anon ON COLUMN public.t.a IS 'MASKED WITH VALUE ''x'''"]
    );
    assert_eq!(
        sqls(&plan(&with("a"), &with("b"))),
        ["SECURITY LABEL FOR anon ON COLUMN public.t.a IS 'b'"]
    );
    assert_eq!(
        sqls(&plan(&with("a"), &base())),
        ["SECURITY LABEL FOR anon ON COLUMN public.t.a IS NULL"]
    );
}

fn settings(statistics: Option<i32>, storage: Option<&str>) -> Object {
    let mut o = object(
        "column_settings:public.t.a",
        Spec::ColumnSettings(ColumnSettings {
            table: "public.t".to_string(),
            column: "a".to_string(),
            statistics,
            storage: storage.map(str::to_string),
            type_storage: "EXTENDED".to_string(),
            compression: None,
        }),
    )
    .dep("column:public.t.a");
    o.owner = Some("column:public.t.a".to_string());
    o
}

#[test]
fn column_settings_are_set_changed_one_by_one_and_reset_to_the_defaults() {
    let column = || vec![table("public.t"), column("public.t", "a", "text", 1)];
    let with = |s: Object| {
        let mut objects = column();
        objects.push(s);
        objects
    };
    assert_eq!(
        sqls(&plan(
            &with(settings(Some(500), None)),
            &with(settings(Some(500), Some("MAIN")))
        )),
        ["ALTER TABLE public.t ALTER COLUMN a SET STORAGE MAIN"]
    );
    assert_eq!(
        sqls(&plan(&with(settings(Some(500), Some("MAIN"))), &column())),
        [
            "ALTER TABLE public.t ALTER COLUMN a SET STATISTICS -1",
            "ALTER TABLE public.t ALTER COLUMN a SET STORAGE EXTENDED",
        ]
    );
}
