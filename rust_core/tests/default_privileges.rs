//! Objects a plan creates get the default privileges of the role running it
//! (`snapshot.role`, "postgres" in these tests): the plan grants only what they do
//! not get that way, and takes back what they get and the target does not have.

mod common;

use common::*;
use pgmt_core::model::{DefaultPrivilege, Grant, Object, Ownership, Spec};

fn default_privilege(role: &str, schema: Option<&str>, grantee: &str, privilege: &str) -> Object {
    Object {
        key: format!(
            "default_privilege:{role}:{}:TABLES:{grantee}:{privilege}",
            schema.unwrap_or("")
        ),
        owner: None,
        deps: schema.iter().map(|s| format!("schema:{s}")).collect(),
        spec: Spec::DefaultPrivilege(DefaultPrivilege {
            role: role.to_string(),
            schema: schema.map(str::to_string),
            object_type: "TABLES".to_string(),
            grantee: grantee.to_string(),
            privilege: privilege.to_string(),
            grantable: false,
            revoked: false,
        }),
    }
}

fn grant(target: &str, grantee: &str, privilege: &str, grantable: bool) -> Object {
    Object {
        key: format!("grant:{target}:{grantee}:{privilege}"),
        owner: Some(target.to_string()),
        deps: vec![target.to_string()],
        spec: Spec::Grant(Grant {
            target: target.to_string(),
            grantee: grantee.to_string(),
            privilege: privilege.to_string(),
            grantable,
            revoked: false,
        }),
    }
}

fn defaults() -> Vec<Object> {
    vec![
        default_privilege("postgres", Some("public"), "reader", "SELECT"),
        default_privilege("postgres", Some("public"), "app", "INSERT"),
        default_privilege("postgres", Some("public"), "app", "SELECT"),
    ]
}

fn with(mut objects: Vec<Object>, more: Vec<Object>) -> Vec<Object> {
    objects.extend(more);
    objects
}

#[test]
fn a_new_table_loses_the_default_privileges_the_target_revoked_and_grants_none_again() {
    let target = with(
        defaults(),
        vec![
            table("public.t"),
            column("public.t", "id", "integer", 1),
            grant("table:public.t", "app", "SELECT", false),
        ],
    );
    let plan = plan(&defaults(), &target);
    assert_eq!(
        sqls(&plan),
        vec![
            "CREATE TABLE public.t (\n    id integer\n)",
            "REVOKE INSERT ON TABLE public.t FROM app",
            "REVOKE SELECT ON TABLE public.t FROM reader",
        ]
    );
}

#[test]
fn default_privileges_of_another_role_or_schema_grant_nothing() {
    let others = vec![
        default_privilege("owner", Some("public"), "reader", "SELECT"),
        default_privilege("postgres", Some("other"), "reader", "SELECT"),
    ];
    let target = with(
        others.clone(),
        vec![
            table("public.t"),
            grant("table:public.t", "reader", "SELECT", false),
        ],
    );
    let plan = plan(&others, &target);
    assert_eq!(
        sqls(&plan),
        vec![
            "CREATE TABLE public.t ()",
            "GRANT SELECT ON TABLE public.t TO reader",
        ]
    );
}

#[test]
fn a_default_privilege_the_plan_revokes_is_gone_before_tables_are_created() {
    // The target neither has the default privilege nor the grant: the ALTER DEFAULT
    // PRIVILEGES … REVOKE runs first, so the new table gets nothing to take back.
    let source = vec![default_privilege(
        "postgres",
        Some("public"),
        "reader",
        "SELECT",
    )];
    let plan = plan(&source, &[table("public.t")]);
    assert_eq!(
        sqls(&plan),
        vec![
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public REVOKE SELECT ON TABLES FROM reader",
            "CREATE TABLE public.t ()",
        ]
    );
}

#[test]
fn a_default_privilege_the_plan_adds_comes_after_the_tables_it_creates() {
    let dp = default_privilege("postgres", Some("public"), "reader", "SELECT");
    let target = vec![
        dp.clone(),
        table("public.t"),
        grant("table:public.t", "reader", "SELECT", false),
    ];
    let plan = plan(&[], &target);
    assert_eq!(
        sqls(&plan),
        vec![
            "CREATE TABLE public.t ()",
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT ON TABLES TO reader",
            "GRANT SELECT ON TABLE public.t TO reader",
        ]
    );
}

#[test]
fn an_implied_privilege_kept_without_its_grant_option_loses_only_the_option() {
    let mut dp = default_privilege("postgres", Some("public"), "reader", "SELECT");
    if let Spec::DefaultPrivilege(d) = &mut dp.spec {
        d.grantable = true;
    }
    let target = vec![
        dp.clone(),
        table("public.t"),
        grant("table:public.t", "reader", "SELECT", false),
    ];
    let plan = plan(&[dp], &target);
    assert_eq!(
        sqls(&plan),
        vec![
            "CREATE TABLE public.t ()",
            "REVOKE GRANT OPTION FOR SELECT ON TABLE public.t FROM reader",
        ]
    );
}

#[test]
fn the_owners_own_implied_privileges_follow_the_table_to_its_target_owner() {
    // A database-wide default taking TRUNCATE from the creating role: the new table
    // lacks it, and keeps lacking it once handed to its owner, which the target wants.
    let revoke_truncate = Object {
        key: "default_privilege:postgres::TABLES:postgres:TRUNCATE:revoked".to_string(),
        owner: None,
        deps: vec![],
        spec: Spec::DefaultPrivilege(DefaultPrivilege {
            role: "postgres".to_string(),
            schema: None,
            object_type: "TABLES".to_string(),
            grantee: "postgres".to_string(),
            privilege: "TRUNCATE".to_string(),
            grantable: false,
            revoked: true,
        }),
    };
    let ownership = Object {
        key: "ownership:table:public.t".to_string(),
        owner: Some("table:public.t".to_string()),
        deps: vec!["table:public.t".to_string()],
        spec: Spec::Ownership(Ownership {
            target: "table:public.t".to_string(),
            role: "app".to_string(),
        }),
    };
    let target = vec![revoke_truncate.clone(), table("public.t"), ownership];
    let plan = plan(&[revoke_truncate], &target);
    assert_eq!(
        sqls(&plan),
        vec![
            "CREATE TABLE public.t ()",
            "GRANT TRUNCATE ON TABLE public.t TO postgres",
            "ALTER TABLE public.t OWNER TO app",
        ]
    );
}
