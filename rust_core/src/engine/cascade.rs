//! What a change takes along: the dependents a drop, a rebuild or a breaking alteration
//! reaches (`cascade`), and what PostgreSQL does by itself that the plan must follow up
//! on (a constraint's comment, a table's revoke reaching its columns, a NOT NULL to
//! validate).

use std::collections::VecDeque;

use super::{holds_values, in_key_order, Catalog, Decisions};
use crate::kinds::{self, Change, Lookup, Stmt};
use crate::model::{Column, Object, Spec};

/// Whether `dependent` must be recreated when `changed` is altered in a way that
/// breaks dependents: views, rules, policies and triggers cannot survive a column's type
/// change (nor can a default that will not cast), nor can a publication's column list or
/// row filter; PostgreSQL will not retype a column a generated column or a function's
/// `BEGIN ATOMIC` body reads (a generated column's values are computed again when it is
/// added back). Once a view or function is replaced, what was computed through it the
/// old way is stale: a materialized view's rows, an index's entries (its expressions or
/// predicate, an exclusion constraint's), a stored generated column's values; they are
/// made again. (A CHECK stays: it holds for new rows, and was checked on the old ones.)
/// (Foreign keys: `retyped_on_both_ends`.)
fn broken_by_alter(changed: &Spec, dependent: &Spec) -> bool {
    match changed {
        Spec::Column(_) => match dependent {
            Spec::View(_)
            | Spec::MaterializedView(_)
            | Spec::Policy(_)
            | Spec::Trigger(_)
            | Spec::Rule(_)
            | Spec::Default(_)
            | Spec::PublicationTable(_)
            | Spec::Function(_) => true,
            Spec::Column(c) => c.generated.is_some(),
            _ => false,
        },
        _ => match dependent {
            Spec::MaterializedView(_) | Spec::Index(_) => true,
            Spec::Constraint(c) => c.constraint_type == "x",
            Spec::Column(c) => c.generated.is_some() && !c.generated_virtual,
            _ => false,
        },
    }
}

/// Whether a foreign key has columns retyped by this plan on both of its ends, as far
/// as its dependencies tell (two retyped columns): then, between the two `ALTER`s, one
/// end would have its new type and the other its old, which may have no equality
/// (integer against numeric, a rebuilt enum against the one moved aside), so it goes
/// while they convert. Retyped on one end only, PostgreSQL rebuilds it itself, without
/// checking its rows again when the change needs no rewrite (`varchar(10)` to `text`).
fn retyped_on_both_ends(src: &Catalog, decisions: &Decisions, foreign_key: &Object) -> bool {
    let retyped = foreign_key
        .deps
        .iter()
        .filter(|dep| {
            decisions
                .get(dep.as_str())
                .is_some_and(|d| !d.drop && (d.breaks_dependents || d.retype.is_some()))
                && src
                    .get(dep)
                    .is_some_and(|o| matches!(o.spec, Spec::Column(_)))
        })
        .count();
    retyped >= 2
}

pub(super) fn cascade<'a>(src: &Catalog<'a>, tgt: &Catalog<'a>, decisions: &mut Decisions<'a>) {
    let mut queue: VecDeque<&'a str> = in_key_order(decisions)
        .into_iter()
        .filter(|(_, d)| d.drop || d.rebuild.is_some() || d.breaks_dependents)
        .map(|(k, _)| k)
        .collect();
    // Foreign keys under a retyped column, with that column: they wait until every
    // column's retype is known.
    let mut foreign_keys: Vec<(&'a str, &'a str)> = Vec::new();
    loop {
        while let Some(key) = queue.pop_front() {
            cascade_from(src, tgt, decisions, key, &mut queue, &mut foreign_keys);
        }
        for (foreign_key, column) in std::mem::take(&mut foreign_keys) {
            let object = src.get(foreign_key).expect("a dependent of the source");
            if !decisions[foreign_key].drop && retyped_on_both_ends(src, decisions, object) {
                recreate(src, tgt, decisions, foreign_key, column);
                queue.push_back(foreign_key);
            }
        }
        if queue.is_empty() {
            break;
        }
    }
}

/// Decides what becomes of the dependents of `key`, which is dropped, rebuilt or
/// altered in a way that may break them; queues those decided on.
fn cascade_from<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    decisions: &mut Decisions<'a>,
    key: &'a str,
    queue: &mut VecDeque<&'a str>,
    foreign_keys: &mut Vec<(&'a str, &'a str)>,
) {
    let (rebuild, breaks_only) = {
        let d = &decisions[key];
        (d.rebuild.clone(), d.breaks_dependents && !d.drop)
    };
    let changed = src.get(key).map(|o| &o.spec);
    // A parent's column dropped and added again takes its children's along: they go
    // after its `ONLY` drop (`drop_column_of_parent`) and come back with its `ADD
    // COLUMN`, and what reads them goes and comes back around.
    if let (Some(Spec::Column(column)), true) = (changed, decisions[key].drop) {
        if tgt.get(key).is_some() {
            let copies: Vec<&'a str> = src
                .child_tables_of(&column.table, false)
                .filter_map(|(_, child)| src.get(&format!("column:{}.{}", child.name, column.name)))
                .filter(|o| matches!(&o.spec, Spec::Column(c) if c.inherited))
                .map(|o| o.key.as_str())
                .filter(|k| !decisions.get(k).is_some_and(|d| d.drop))
                .collect();
            for copy in copies {
                recreate(src, tgt, decisions, copy, key);
                queue.push_back(copy);
            }
        }
    }
    for dependent in src.dependents_of(key) {
        let Some(object) = src.get(dependent) else {
            continue;
        };
        let current = decisions.entry(dependent).or_default();
        if current.drop {
            continue;
        }
        if breaks_only {
            if let (Some(Spec::Column(_)), Spec::Constraint(c)) = (changed, &object.spec) {
                if c.constraint_type == "f" {
                    foreign_keys.push((dependent, key));
                    continue;
                }
            }
            if !changed.is_some_and(|c| broken_by_alter(c, &object.spec)) {
                continue;
            }
        }
        let in_target = tgt.get(dependent);
        // A column altered away from this object (another collation or type)
        // keeps its values: it changes first, then this object goes.
        let alters_away = matches!(object.spec, Spec::Column(_))
            && !current.alter.is_empty()
            && in_target.is_some_and(|new| !new.deps.iter().any(|d| d == key));
        if alters_away && rebuild.is_none() {
            decisions.get_mut(key).unwrap().drop_after.push(dependent);
            continue;
        }
        let current = decisions.entry(dependent).or_default();
        if let (Some(convert), Some(new)) = (&rebuild, in_target) {
            match (&object.spec, &new.spec) {
                // Keep the column's values: convert them instead of dropping it.
                // A column retyped by its own change already converts them. But
                // PostgreSQL will not retype a column a partition key uses: the table
                // partitioned by it is made again (the drop says its rows go).
                (Spec::Column(column), _) => {
                    if let Some(table) = partitioned_by(src, column) {
                        if !decisions.get(table).is_some_and(|d| d.drop) {
                            recreate(src, tgt, decisions, table, key);
                            queue.push_back(table);
                        }
                    } else if current.retype.is_none() && !current.breaks_dependents {
                        current.retype = Some(convert.clone());
                        current.breaks_dependents = true;
                        queue.push_back(dependent);
                    }
                    continue;
                }
                // A domain over a rebuilt type is rebuilt too, and so are a composite
                // type with an attribute of it and a range type over it that columns hold,
                // so that their columns are converted (through their text form) rather
                // than dropped.
                (Spec::Domain(_), Spec::Domain(_)) if current.rebuild.is_none() => {
                    current.rebuild = Some(convert.clone());
                    current.alter.clear();
                    current.forced_by = Some(key.to_string());
                    queue.push_back(dependent);
                    continue;
                }
                (Spec::Composite(_), Spec::Composite(_)) | (Spec::Range(_), Spec::Range(_))
                    if current.rebuild.is_none() && holds_values(src, dependent) =>
                {
                    current.rebuild = Some("$value::text".to_string());
                    current.alter.clear();
                    current.forced_by = Some(key.to_string());
                    queue.push_back(dependent);
                    continue;
                }
                _ => {}
            }
        }
        // A domain keeps its columns' values when what goes is a function its checks
        // or default use: those come off the domain and go back on it.
        if let (Spec::Domain(old), Some(Spec::Domain(new)), Some(Spec::Function(_))) =
            (&object.spec, in_target.map(|o| &o.spec), changed)
        {
            if current.rebuild.is_none() && old.base_type == new.base_type {
                current.alter = kinds::domain_checks_around(old, new);
                if current.forced_by.is_none() {
                    current.forced_by = Some(key.to_string());
                }
                continue;
            }
        }
        // From PostgreSQL 17 on, a stored generated column over a replaced function is
        // computed again in place (SET EXPRESSION rewrites the table and its indexes), and
        // what reads it stays.
        if let (true, Spec::Column(column), Some(Spec::Function(_))) =
            (breaks_only, &object.spec, changed)
        {
            if src.server_version() >= 170_000
                && in_target.is_some_and(|new| new.spec == object.spec)
            {
                current.alter = vec![kinds::compute_again(column)];
                current.forced_by.get_or_insert_with(|| key.to_string());
                continue;
            }
        }
        recreate(src, tgt, decisions, dependent, key);
        queue.push_back(dependent);
    }
}

/// The key of the partitioned table whose partition key uses `column`.
fn partitioned_by<'a>(src: &Catalog<'a>, column: &Column) -> Option<&'a str> {
    let table = src.get(&format!("table:{}", column.table))?;
    match &table.spec {
        Spec::Table(t)
            if t.partition_key_columns
                .iter()
                .any(|(name, _)| *name == column.name) =>
        {
            Some(table.key.as_str())
        }
        _ => None,
    }
}

/// `dependent` goes because of `key`, and comes back if the target has it.
fn recreate<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    decisions: &mut Decisions<'a>,
    dependent: &'a str,
    key: &str,
) {
    let decision = decisions.entry(dependent).or_default();
    decision.drop = true;
    decision.create = tgt.get(dependent).is_some();
    decision.alter.clear();
    decision.retype = None;
    if decision.forced_by.is_none() && !changed_itself(src, tgt, dependent) {
        decision.forced_by = Some(key.to_string());
    }
}

/// A domain's constraint has no key of its own, so the cascade cannot reach its comment:
/// when the constraint is dropped and added again (changed, or taken off around a
/// replaced function), the comment is written again after it.
pub(super) fn recomment_readded_domain_constraints<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    decisions: &mut Decisions<'a>,
) {
    let mut comments: Vec<(&'a str, &'a str)> = Vec::new();
    for (key, decision) in in_key_order(decisions) {
        if decision.drop || decision.rebuild.is_some() || decision.alter.is_empty() {
            continue;
        }
        let (Some(Spec::Domain(old)), Some(Spec::Domain(new))) =
            (src.get(key).map(|o| &o.spec), tgt.get(key).map(|o| &o.spec))
        else {
            continue;
        };
        // Forced by a replaced function, the alteration takes every check off and puts
        // them back (`domain_checks_around`); otherwise only the changed ones come back.
        let all_readded = decision.forced_by.is_some();
        let readded: Vec<String> = new
            .constraints
            .iter()
            .filter(|c| all_readded || !old.constraints.contains(c))
            .map(|c| kinds::domain_constraint_reference(new, c))
            .collect();
        for child in tgt.children_of(key) {
            if matches!(&child.spec, Spec::Comment(c) if readded.contains(&c.target)) {
                comments.push((child.key.as_str(), key));
            }
        }
    }
    for (comment, domain) in comments {
        let decision = decisions.entry(comment).or_default();
        decision.create = true;
        decision.alter.clear();
        decision.forced_by.get_or_insert_with(|| domain.to_string());
    }
}

/// `REVOKE p ON TABLE t FROM r` takes `p` off every column of `t` for `r` too: the
/// column grants the target keeps are given again after it.
pub(super) fn regrant_columns_after_revokes<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    decisions: &mut Decisions<'a>,
) {
    let mut regrants: Vec<(&'a str, &'a str)> = Vec::new();
    for (key, decision) in in_key_order(decisions) {
        let Some(Spec::Grant(grant)) = src.get(key).map(|o| &o.spec) else {
            continue;
        };
        let relation_goes = decisions.get(grant.target.as_str()).is_some_and(|d| d.drop);
        if !decision.drop || grant.revoked || relation_goes {
            continue;
        }
        for column in tgt.children_of(&grant.target) {
            if !matches!(column.spec, Spec::Column(_)) {
                continue;
            }
            let column_grant =
                format!("grant:{}:{}:{}", column.key, grant.grantee, grant.privilege);
            if let Some(kept) = tgt.get(&column_grant) {
                regrants.push((kept.key.as_str(), key));
            }
        }
    }
    for (column_grant, revoke) in regrants {
        let decision = decisions.entry(column_grant).or_default();
        if !decision.drop {
            decision.create = true;
            decision.forced_by.get_or_insert_with(|| revoke.to_string());
        }
    }
}

/// A parent's `DROP NOT NULL` reaches its children's column too, even where a child
/// declared it NOT NULL itself: the children the target keeps NOT NULL get it back after
/// (`order_steps` runs a child's column after its parent's).
pub(super) fn keep_childrens_not_null<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    decisions: &mut Decisions<'a>,
) {
    let mut restored: Vec<(&'a str, &'a str, Stmt)> = Vec::new();
    for (key, decision) in in_key_order(decisions) {
        if decision.drop || decision.alter.is_empty() {
            continue;
        }
        let (Some(Spec::Column(old)), Some(Spec::Column(new))) =
            (src.get(key).map(|o| &o.spec), tgt.get(key).map(|o| &o.spec))
        else {
            continue;
        };
        if !old.not_null || new.not_null {
            continue;
        }
        let parent = format!("table:{}", new.table);
        for child in src.dependents_of(&parent).filter_map(|k| tgt.get(k)) {
            let Spec::Table(table) = &child.spec else {
                continue;
            };
            if !table.inherits.contains(&new.table)
                && table.partition_of.as_ref() != Some(&new.table)
            {
                continue;
            }
            let column = format!("column:{}.{}", table.name, new.name);
            let keeps = |catalog: &Catalog<'a>| matches!(catalog.get(&column).map(|o| &o.spec), Some(Spec::Column(c)) if c.not_null);
            if keeps(src) && keeps(tgt) {
                let kept = tgt.get(&column).expect("kept").key.as_str();
                restored.push((kept, key, kinds::set_not_null(&table.name, &new.name)));
            }
        }
    }
    for (column, parent_column, stmt) in restored {
        let decision = decisions.entry(column).or_default();
        if !decision.drop && decision.alter.is_empty() {
            decision.alter = vec![stmt];
            decision
                .forced_by
                .get_or_insert_with(|| parent_column.to_string());
        }
    }
}

/// A `NOT NULL … NOT VALID` constraint (PostgreSQL 18) whose column the target has NOT
/// NULL is validated by the column's change (`kinds::not_valid_not_null`), not dropped.
pub(super) fn keep_not_nulls_to_validate<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    decisions: &mut Decisions<'a>,
) {
    let validated: Vec<&'a str> = in_key_order(decisions)
        .into_iter()
        .filter(|(key, d)| d.drop && !d.create && tgt.get(key).is_none())
        .filter_map(|(key, _)| {
            let constraint = src.get(key)?;
            let Spec::Constraint(c) = &constraint.spec else {
                return None;
            };
            let column = constraint.deps.iter().find(|d| d.starts_with("column:"))?;
            let (Spec::Column(old), Spec::Column(new)) =
                (&src.get(column)?.spec, &tgt.get(column)?.spec)
            else {
                return None;
            };
            let column_goes = decisions.get(column.as_str()).is_some_and(|d| d.drop);
            let not_valid = c.constraint_type == "n" && c.definition.ends_with(" NOT VALID");
            (not_valid && !old.not_null && new.not_null && !column_goes).then_some(key)
        })
        .collect();
    for key in validated {
        decisions.remove(key);
    }
}

fn changed_itself(src: &Catalog, tgt: &Catalog, key: &str) -> bool {
    match (src.get(key), tgt.get(key)) {
        (Some(a), Some(b)) => kinds::change(a, b, src, tgt) != Change::Same,
        _ => true,
    }
}
