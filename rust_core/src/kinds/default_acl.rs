//! What creating an object grants by itself: PostgreSQL starts a new object's ACL
//! from the default privileges (`ALTER DEFAULT PRIVILEGES`) of the role creating
//! it, for the whole database and for the object's schema.

use std::collections::BTreeMap;

use crate::model::{DefaultPrivilege, Grant, Spec};

use super::{split_qualified, Lookup, Stmt};

/// The `ALTER DEFAULT PRIVILEGES … ON <this>` kind an object is created under, and
/// its schema (`None` for a schema itself); `None` for kinds default privileges
/// never reach.
pub fn created_under(spec: &Spec) -> Option<(&'static str, Option<&str>)> {
    let (object_type, name) = match spec {
        Spec::Table(t) => ("TABLES", t.name.as_str()),
        Spec::View(v) => ("TABLES", v.name.as_str()),
        Spec::MaterializedView(m) => ("TABLES", m.name.as_str()),
        Spec::ForeignTable(t) => ("TABLES", t.name.as_str()),
        Spec::Sequence(s) => ("SEQUENCES", s.name.as_str()),
        Spec::Function(f) => ("FUNCTIONS", f.name.as_str()),
        Spec::Aggregate(a) => ("FUNCTIONS", a.name.as_str()),
        Spec::Enum(e) => ("TYPES", e.name.as_str()),
        Spec::Domain(d) => ("TYPES", d.name.as_str()),
        Spec::Composite(c) => ("TYPES", c.name.as_str()),
        Spec::Range(r) => ("TYPES", r.name.as_str()),
        Spec::Schema(_) => return Some(("SCHEMAS", None)),
        _ => return None,
    };
    Some((object_type, Some(split_qualified(name).0)))
}

/// `acldefault()`: what the owner (and PUBLIC) hold on a new object of this kind
/// when no default privileges apply.
fn built_in(object_type: &str, owner: &str, server_version: i32) -> Vec<(String, &'static str)> {
    // MAINTAIN came with PostgreSQL 17.
    const TABLES: &[&str] = &[
        "DELETE",
        "INSERT",
        "MAINTAIN",
        "REFERENCES",
        "SELECT",
        "TRIGGER",
        "TRUNCATE",
        "UPDATE",
    ];
    let (own, public): (&[&'static str], &[&'static str]) = match object_type {
        "TABLES" => (TABLES, &[]),
        "SEQUENCES" => (&["SELECT", "UPDATE", "USAGE"], &[]),
        "FUNCTIONS" => (&["EXECUTE"], &["EXECUTE"]),
        "TYPES" => (&["USAGE"], &["USAGE"]),
        "SCHEMAS" => (&["CREATE", "USAGE"], &[]),
        _ => (&[], &[]),
    };
    own.iter()
        .filter(|&&p| p != "MAINTAIN" || server_version >= 170_000)
        .map(|p| (owner.to_string(), *p))
        .chain(public.iter().map(|p| ("PUBLIC".to_string(), *p)))
        .collect()
}

/// The privileges, as the snapshot lists them (`Grant`s on `target`: what differs
/// from the built-in default), that an object gets from being created by `role`
/// while `active` default privileges are in force.
pub fn implied_grants(
    target: &str,
    spec: &Spec,
    role: &str,
    server_version: i32,
    active: &[&DefaultPrivilege],
) -> Vec<Grant> {
    let Some((object_type, schema)) = created_under(spec) else {
        return Vec::new();
    };
    let applying: Vec<&DefaultPrivilege> = active
        .iter()
        .copied()
        .filter(|d| d.role == role && d.object_type == object_type)
        .filter(|d| d.schema.is_none() || d.schema.as_deref() == schema)
        .collect();
    if applying.is_empty() {
        return Vec::new();
    }
    // (grantee, privilege) → with grant option.
    let base: BTreeMap<(String, String), bool> = built_in(object_type, role, server_version)
        .into_iter()
        .map(|(grantee, privilege)| ((grantee, privilege.to_string()), false))
        .collect();
    let mut acl = base.clone();
    // The role's database-wide entry replaces the built-in default...
    for d in applying.iter().filter(|d| d.schema.is_none()) {
        let entry = (d.grantee.clone(), d.privilege.clone());
        if d.revoked {
            acl.remove(&entry);
        } else {
            acl.insert(entry, d.grantable);
        }
    }
    // ...and the schema's adds to it.
    for d in applying.iter().filter(|d| d.schema.is_some() && !d.revoked) {
        *acl.entry((d.grantee.clone(), d.privilege.clone()))
            .or_insert(false) |= d.grantable;
    }
    let grant = |(grantee, privilege): &(String, String), grantable: bool, revoked: bool| Grant {
        target: target.to_string(),
        grantee: grantee.clone(),
        privilege: privilege.clone(),
        grantable,
        revoked,
    };
    let mut grants: Vec<Grant> = acl
        .iter()
        .filter(|(entry, grantable)| base.get(*entry) != Some(*grantable))
        .map(|(entry, &grantable)| grant(entry, grantable, false))
        .collect();
    grants.extend(
        base.keys()
            .filter(|entry| !acl.contains_key(*entry))
            .map(|entry| grant(entry, false, true)),
    );
    grants
}

/// The statement that takes an implied privilege back (or gives back, for one the
/// default privileges revoked), right after the object is created.
pub fn undo(grant: &Grant, lookup: &dyn Lookup) -> Stmt {
    Stmt::create(super::grant_sql(grant, lookup, true))
}

/// `REVOKE GRANT OPTION FOR`: an implied privilege kept, without its grant option.
pub fn revoke_grant_option(grant: &Grant, lookup: &dyn Lookup) -> Stmt {
    let (privilege, target) = super::grant_target(&grant.target, &grant.privilege, lookup);
    Stmt::create(format!(
        "REVOKE GRANT OPTION FOR {privilege} ON {target} FROM {}",
        grant.grantee
    ))
}
