//! From two snapshots to an ordered plan.
//!
//! 1. Every key is sorted into created, dropped, altered or recreated (`kinds::change`).
//! 2. Drops cascade: whatever depends on a dropped or recreated object in the source
//!    is dropped too, and created again when the target still has it.
//! 3. Each object becomes at most one node per phase; objects written inside their
//!    owner's statement (a column in CREATE TABLE, a column dropped with its table)
//!    share the owner's node.
//! 4. Nodes are ordered by PostgreSQL's own dependencies (`graph.rs`): drops
//!    dependents-first by the source's graph, then creates dependencies-first by the
//!    target's.
//!
//! `catalog.rs` indexes a snapshot; `cascade.rs` is step 2, and what else a change
//! takes along.

mod cascade;
mod catalog;

use rustc_hash::FxHashMap;

use cascade::{
    cascade, keep_childrens_not_null, keep_not_nulls_to_validate,
    recomment_readded_domain_constraints, regrant_columns_after_revokes,
};
use catalog::Catalog;

use crate::graph::{order, NodeId};
use crate::kinds::default_acl;
use crate::kinds::{self, Change, Phase, Stmt};
use crate::model::{DefaultPrivilege, Object, Snapshot, Spec};
use crate::plan::{Action, Hazard, Step};
use crate::Result;

/// What happens to one key.
#[derive(Default, Debug)]
struct Decision<'a> {
    drop: bool,
    create: bool,
    alter: Vec<Stmt>,
    breaks_dependents: bool,
    /// A type rebuilt in place (`Change::Rebuild`): how its columns' values convert.
    rebuild: Option<String>,
    /// A column converted into a rebuilt type, with this expression of `$value`.
    retype: Option<String>,
    forced_by: Option<String>,
    /// Columns that stop using this object by their own ALTER: this object is
    /// dropped after them, instead of taking them (and their values) along.
    drop_after: Vec<&'a str>,
    /// Run right after the object is created: what its creation granted by itself
    /// (default privileges) and the target does not have, taken back.
    after_create: Vec<Stmt>,
}

/// What happens to each key that changes. Looked up far more often than walked, so
/// hashed; walks go through `in_key_order` to stay deterministic.
type Decisions<'a> = FxHashMap<&'a str, Decision<'a>>;

fn in_key_order<'d, 'a>(decisions: &'d Decisions<'a>) -> Vec<(&'a str, &'d Decision<'a>)> {
    let mut sorted: Vec<_> = decisions.iter().map(|(&k, d)| (k, d)).collect();
    sorted.sort_unstable_by_key(|&(k, _)| k);
    sorted
}

/// A node of the ordering graph: the statements one object contributes to one phase.
#[derive(Debug)]
struct Node<'a> {
    key: &'a str,
    phase: Phase,
    /// Finalising a rebuild (dropping the old type) is a node of its own.
    finalize: bool,
    stmts: Vec<Stmt>,
    action: Action,
}

pub fn plan(source: &Snapshot, target: &Snapshot) -> Result<Vec<Step>> {
    // The two indexes are independent: build them side by side.
    let (src, tgt) = std::thread::scope(|scope| {
        let source_index = scope.spawn(|| Catalog::new(source, true));
        let tgt = Catalog::new(target, false);
        (source_index.join().expect("indexing cannot panic"), tgt)
    });
    let mut decisions = decide(&src, &tgt);
    recreate_typed_tables_out_of_order(&src, &tgt, &mut decisions);
    cascade(&src, &tgt, &mut decisions);
    recomment_readded_domain_constraints(&src, &tgt, &mut decisions);
    regrant_columns_after_revokes(&src, &tgt, &mut decisions);
    keep_not_nulls_to_validate(&src, &tgt, &mut decisions);
    keep_childrens_not_null(&src, &tgt, &mut decisions);
    implied_privileges(source, &src, &tgt, &mut decisions);
    let nodes = build_nodes(&src, &tgt, &decisions);
    order_steps(&src, &tgt, &decisions, nodes)
}

fn decide<'a>(src: &Catalog<'a>, tgt: &Catalog<'a>) -> Decisions<'a> {
    // Comparing every pair is most of the work and each pair stands alone: the keys
    // are split in two at the source's middle key and the halves compared side by side.
    let (old, new) = (&src.sorted[..], &tgt.sorted[..]);
    let middle = old.len() / 2;
    let new_middle = old
        .get(middle)
        .map_or(new.len(), |o| new.partition_point(|n| n.key < o.key));
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| decide_keys(src, tgt, &old[middle..], &new[new_middle..]));
        let first = decide_keys(src, tgt, &old[..middle], &new[..new_middle]);
        (first, second.join().expect("deciding cannot panic"))
    });
    let mut decisions =
        Decisions::with_capacity_and_hasher(first.len() + second.len(), Default::default());
    decisions.extend(first);
    decisions.extend(second);
    decisions
}

/// What happens to each key of `old` and `new` (both in key order) that changes.
fn decide_keys<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    old: &[&'a Object],
    new: &[&'a Object],
) -> Vec<(&'a str, Decision<'a>)> {
    // Both sides are in key order: walk them side by side, no lookups.
    let (mut i, mut j) = (0, 0);
    let mut decisions = Vec::new();
    while i < old.len() || j < new.len() {
        let pair = match (old.get(i), new.get(j)) {
            (Some(a), Some(b)) if a.key == b.key => (Some(*a), Some(*b)),
            (Some(a), Some(b)) if a.key < b.key => (Some(*a), None),
            (Some(_), Some(b)) => (None, Some(*b)),
            (a, b) => (a.copied(), b.copied()),
        };
        i += pair.0.is_some() as usize;
        j += pair.1.is_some() as usize;
        let key = pair.0.or(pair.1).map_or("", |o| o.key.as_str());
        let decision = match pair {
            (Some(_), None) => Decision {
                drop: true,
                ..Decision::default()
            },
            (None, Some(_)) => Decision {
                create: true,
                ..Decision::default()
            },
            (Some(old), Some(new)) => match kinds::change(old, new, src, tgt) {
                Change::Same => continue,
                // PostgreSQL will not alter a composite type's attributes while a
                // column holds values of it: rebuild it and convert those columns.
                Change::Alter { .. } if used_by_columns(src, key) => match (&old.spec, &new.spec) {
                    (Spec::Composite(a), Spec::Composite(b)) => Decision {
                        rebuild: Some(kinds::composite_conversion(a, b)),
                        ..Decision::default()
                    },
                    _ => unreachable!("used_by_columns is only true for composite types"),
                },
                Change::Alter {
                    stmts,
                    breaks_dependents,
                } => Decision {
                    alter: stmts,
                    breaks_dependents,
                    ..Decision::default()
                },
                Change::Recreate => Decision {
                    drop: true,
                    create: true,
                    ..Decision::default()
                },
                // A collation or range type no column or domain uses has no values to
                // keep.
                Change::Rebuild { .. }
                    if matches!(old.spec, Spec::Collation(_) | Spec::Range(_))
                        && !holds_values(src, key) =>
                {
                    Decision {
                        drop: true,
                        create: true,
                        ..Decision::default()
                    }
                }
                Change::Rebuild { convert } => Decision {
                    rebuild: Some(convert),
                    ..Decision::default()
                },
            },
            (None, None) => unreachable!("key comes from one of the snapshots"),
        };
        decisions.push((key, decision));
    }
    decisions
}

/// `ALTER TABLE … OF` wants a table's columns in its type's order, and no statement
/// reorders columns: a table (re)bound to a type is recreated when keeping its columns
/// in place and adding the new ones last cannot give that order.
fn recreate_typed_tables_out_of_order<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    decisions: &mut Decisions<'a>,
) {
    let column_order = |catalog: &Catalog<'a>, table: &str| -> Vec<&'a str> {
        let mut columns: Vec<(i32, &'a str)> = catalog
            .children_of(table)
            .filter_map(|o| match &o.spec {
                Spec::Column(c) => Some((c.position, c.name.as_str())),
                _ => None,
            })
            .collect();
        columns.sort_unstable();
        columns.into_iter().map(|(_, name)| name).collect()
    };
    let bound: Vec<&'a str> = in_key_order(decisions)
        .into_iter()
        .filter(|(key, d)| key.starts_with("typed_table:") && d.create)
        .filter_map(|(key, _)| tgt.get(key)?.owner.as_deref())
        .collect();
    for table in bound {
        if src.get(table).is_none() || decisions.get(table).is_some_and(|d| d.drop) {
            continue;
        }
        let (old, new) = (column_order(src, table), column_order(tgt, table));
        let mut reachable: Vec<&str> = old.iter().copied().filter(|c| new.contains(c)).collect();
        reachable.extend(new.iter().copied().filter(|c| !old.contains(c)));
        if reachable != new {
            let decision = decisions.entry(table).or_default();
            decision.drop = true;
            decision.create = true;
            decision.alter.clear();
        }
    }
}

/// Whether a column or domain of the source uses `key`.
fn holds_values(src: &Catalog, key: &str) -> bool {
    src.dependents_of(key).any(|d| {
        src.get(d)
            .is_some_and(|o| matches!(o.spec, Spec::Column(_) | Spec::Domain(_)))
    })
}

/// Whether `key` is a composite type that some column of the source holds.
fn used_by_columns(src: &Catalog, key: &str) -> bool {
    src.get(key)
        .is_some_and(|o| matches!(o.spec, Spec::Composite(_)))
        && src.dependents_of(key).any(|d| {
            src.get(d)
                .is_some_and(|o| matches!(o.spec, Spec::Column(_)))
        })
}

/// Is `key` dropped together with its owner, without a statement of its own?
/// Foreign keys never are: two tables dropped together may reference each other,
/// and dropping the keys first is what breaks that cycle.
fn dropped_with_owner(src: &Catalog, decisions: &Decisions<'_>, key: &str) -> bool {
    src.get(key).is_some_and(|o| {
        !matches!(&o.spec, Spec::Constraint(c) if c.constraint_type == "f")
            && o.owner
                .as_deref()
                .and_then(|owner| decisions.get(owner))
                .is_some_and(|d| d.drop)
    })
}

/// Is `key` written inside its owner's CREATE?
fn created_with_owner(tgt: &Catalog, decisions: &Decisions<'_>, key: &str) -> bool {
    tgt.get(key).is_some_and(|o| {
        kinds::folds_into_owner(&o.spec)
            && o.owner
                .as_deref()
                .and_then(|owner| decisions.get(owner))
                .is_some_and(|d| d.create)
    })
}

fn resolve_drop<'a>(src: &Catalog<'a>, decisions: &Decisions<'_>, mut key: &'a str) -> &'a str {
    while dropped_with_owner(src, decisions, key) {
        key = src.get(key).and_then(|o| o.owner.as_deref()).unwrap_or(key);
    }
    key
}

fn resolve_create<'a>(tgt: &Catalog<'a>, decisions: &Decisions<'_>, mut key: &'a str) -> &'a str {
    while created_with_owner(tgt, decisions, key) {
        key = tgt.get(key).and_then(|o| o.owner.as_deref()).unwrap_or(key);
    }
    key
}

fn build_nodes<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    decisions: &Decisions<'a>,
) -> Vec<Node<'a>> {
    let mut nodes = Vec::new();
    for (key, decision) in in_key_order(decisions) {
        let early: Vec<Stmt> = decision
            .alter
            .iter()
            .filter(|s| s.phase == Phase::Early)
            .cloned()
            .collect();
        if !early.is_empty() {
            nodes.push(Node {
                key,
                phase: Phase::Early,
                finalize: false,
                stmts: early,
                action: Action::Alter,
            });
        }
        if let Some(old) = src.get(key) {
            if let Some(aside) = decision
                .rebuild
                .as_ref()
                .and_then(|_| kinds::rebuild_aside(&old.spec))
            {
                nodes.push(Node {
                    key,
                    phase: Phase::Drop,
                    finalize: false,
                    stmts: aside.rename.into_iter().map(Stmt::drop).collect(),
                    action: Action::Alter,
                });
            } else if decision.drop && !dropped_with_owner(src, decisions, key) {
                let mut stmts = drop_column_of_parent(src, tgt, decisions, old)
                    .or_else(|| drop_check_of_parent(src, tgt, decisions, old))
                    .unwrap_or_else(|| kinds::drop(old, src));
                // A generated column recreated as a plain one keeps none of its values.
                if let (Spec::Column(was), Some(Spec::Column(will))) =
                    (&old.spec, tgt.get(key).map(|o| &o.spec))
                {
                    if was.generated.is_some() && will.generated.is_none() {
                        for stmt in &mut stmts {
                            stmt.hazards.push(Hazard::DataLoss);
                        }
                    }
                }
                nodes.push(Node {
                    key,
                    phase: Phase::Drop,
                    finalize: false,
                    stmts,
                    action: Action::Drop,
                });
            } else if !decision.drop {
                let stmts: Vec<Stmt> = decision
                    .alter
                    .iter()
                    .filter(|s| s.phase == Phase::Drop)
                    .cloned()
                    .collect();
                if !stmts.is_empty() {
                    nodes.push(Node {
                        key,
                        phase: Phase::Drop,
                        finalize: false,
                        stmts,
                        action: Action::Alter,
                    });
                }
            }
        }
        let Some(new) = tgt.get(key) else {
            continue;
        };
        let mut stmts = Vec::new();
        let mut action = Action::Alter;
        if decision.create || decision.rebuild.is_some() {
            if !created_with_owner(tgt, decisions, key) {
                stmts.extend(kinds::create(new, tgt));
                action = Action::Create;
            }
        } else {
            stmts.extend(
                decision
                    .alter
                    .iter()
                    .filter(|s| s.phase == Phase::Create)
                    .cloned(),
            );
        }
        if action == Action::Create {
            stmts.extend(decision.after_create.iter().cloned());
        }
        // An inherited column is converted by its parent's `ALTER`, which reaches it
        // (PostgreSQL refuses one of its own).
        if let (Some(convert), Spec::Column(column)) = (&decision.retype, &new.spec) {
            if !column.inherited {
                stmts.splice(0..0, kinds::retype_column(column, convert));
            }
        }
        if !stmts.is_empty() {
            nodes.push(Node {
                key,
                phase: Phase::Create,
                finalize: false,
                stmts,
                action,
            });
        }
        if let Some(old) = src.get(key).filter(|_| decision.rebuild.is_some()) {
            if let Some(aside) = kinds::rebuild_aside(&old.spec) {
                nodes.push(Node {
                    key,
                    phase: Phase::Create,
                    finalize: true,
                    stmts: vec![Stmt::create(aside.drop)],
                    action: Action::Drop,
                });
            }
        }
    }
    nodes
}

/// Objects the plan creates get privileges by themselves, from the default privileges
/// of the role running the plan: those the target has need no GRANT, the others are
/// taken back as part of the creation. The default privileges in force are the
/// source's that the plan keeps: ALTER DEFAULT PRIVILEGES statements run last among
/// creations and first among drops (`priority`), and nothing depends on them.
fn implied_privileges<'a>(
    source: &Snapshot,
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    decisions: &mut Decisions<'a>,
) {
    let active: Vec<&DefaultPrivilege> = src
        .sorted
        .iter()
        .filter_map(|o| match &o.spec {
            Spec::DefaultPrivilege(d) if d.role == source.role => Some((o, d)),
            _ => None,
        })
        .filter(|(o, _)| !decisions.get(o.key.as_str()).is_some_and(|d| d.drop))
        .map(|(_, d)| d)
        .collect();
    if active.is_empty() {
        return;
    }
    let created: Vec<&'a str> = in_key_order(decisions)
        .into_iter()
        .filter(|(_, d)| d.create)
        .map(|(k, _)| k)
        .collect();
    for key in created {
        let Some(object) = tgt.get(key) else {
            continue;
        };
        let implied = default_acl::implied_grants(
            key,
            &object.spec,
            &source.role,
            source.server_version,
            &active,
        );
        // Handed to the target's owner, when it is not the role creating it.
        let owner = match tgt.get(&format!("ownership:{key}")).map(|o| &o.spec) {
            Some(Spec::Ownership(o)) => Some(o.role.as_str()),
            _ => None,
        };
        for grant in implied {
            let grantee = match owner {
                Some(owner) if grant.grantee == source.role => owner,
                _ => grant.grantee.as_str(),
            };
            let suffix = if grant.revoked { ":revoked" } else { "" };
            let grant_key = format!("grant:{key}:{grantee}:{}{suffix}", grant.privilege);
            let wanted = match tgt.get(&grant_key).map(|o| &o.spec) {
                Some(Spec::Grant(g)) => Some(g.grantable),
                _ => None,
            };
            let undo = match wanted {
                None => Some(default_acl::undo(&grant, tgt)),
                Some(false) if grant.grantable => {
                    Some(default_acl::revoke_grant_option(&grant, tgt))
                }
                Some(_) => None,
            };
            // Already there (its grant option taken back if need be): no GRANT of it,
            // unless the target adds the grant option.
            if wanted.is_some_and(|grantable| !grantable || grant.grantable) {
                if let Some(d) = decisions.get_mut(grant_key.as_str()) {
                    d.create = false;
                }
            }
            if let Some(undo) = undo {
                decisions.get_mut(key).unwrap().after_create.push(undo);
            }
        }
    }
}

/// A column dropped from a table with inheritance children: `ALTER TABLE ONLY`
/// leaves the children the column (and its values) as their own, then the children
/// that lose it too (and have no other parent) drop it themselves, the same way down
/// the tree. A plain DROP would not do: it leaves a child that declared the column
/// itself (merged with the parent's, which the catalog read does not tell apart)
/// its copy. `None` when the table has no such children.
fn drop_column_of_parent(
    src: &Catalog,
    tgt: &Catalog,
    decisions: &Decisions<'_>,
    old: &Object,
) -> Option<Vec<Stmt>> {
    let Spec::Column(column) = &old.spec else {
        return None;
    };
    let children = child_tables(src, tgt, decisions, &column.table, false);
    if column.inherited || children.is_empty() {
        return None;
    }
    let mut stmts = vec![kinds::drop_column_only(column)];
    for (child, table) in children {
        let key = format!("column:{}.{}", table.name, column.name);
        let Some(Spec::Column(lost)) = src.get(&key).map(|o| &o.spec) else {
            continue;
        };
        // Kept, unless dropped and added again with the parent's (`cascade`).
        if tgt.get(&key).is_some() && !decisions.get(key.as_str()).is_some_and(|d| d.drop) {
            continue;
        }
        // A child of several parents keeps the column while one of them has it: the
        // last parent to drop it (`last_parent_dropping`) drops the child's too.
        if table.inherits.len() > 1
            && last_parent_dropping(src, tgt, table, &column.name).as_deref() != Some(&old.key)
        {
            continue;
        }
        // Its own column now: dropped as any column, or `ONLY` again if its own
        // children keep it.
        let local = Object {
            key,
            owner: Some(child.key.clone()),
            deps: vec![child.key.clone()],
            spec: Spec::Column(crate::model::Column {
                inherited: false,
                ..lost.clone()
            }),
        };
        stmts.extend(
            drop_column_of_parent(src, tgt, decisions, &local)
                .unwrap_or_else(|| kinds::drop(&local, src)),
        );
    }
    Some(stmts)
}

/// A CHECK dropped from a table whose inheritance children or partitions stay: dropped
/// from the tables below it too (`kinds::drop_check_below`: a child that declared it as
/// well keeps it otherwise). A child that has it from another parent too keeps it
/// inherited, unless that parent drops it in this plan as well: then the last of them
/// (`last_parents_after` orders the others first) drops it below. Tables the plan drops
/// are left to it. `None` when no table below needs a statement.
fn drop_check_of_parent(
    src: &Catalog,
    tgt: &Catalog,
    decisions: &Decisions<'_>,
    old: &Object,
) -> Option<Vec<Stmt>> {
    let Spec::Constraint(check) = &old.spec else {
        return None;
    };
    if !kinds::inheritable_check(check) {
        return None;
    }
    let dropped = |key: &str| decisions.get(key).is_some_and(|d| d.drop);
    let keeps_it = |child: &crate::model::Table, via: &str| {
        let others = kinds::checks_through_other_parents(child, via, &check.name, src);
        dropped(&format!("table:{}", child.name))
            || others
                .iter()
                .any(|g| !dropped(g) || g.as_str() > old.key.as_str())
    };
    let below = kinds::drop_check_below(&check.table, &check.name, src, tgt, &keeps_it);
    if below.is_empty() {
        return None;
    }
    let mut stmts = kinds::drop(old, src);
    stmts.extend(below.into_iter().map(Stmt::drop));
    Some(stmts)
}

/// Of the parents of `child` that drop their column `name` in this plan, the key of
/// the last one's column (in key order; `order_steps` runs the others before it).
fn last_parent_dropping(
    src: &Catalog,
    tgt: &Catalog,
    child: &crate::model::Table,
    name: &str,
) -> Option<String> {
    child
        .inherits
        .iter()
        .map(|parent| format!("column:{parent}.{name}"))
        .filter(|key| {
            tgt.get(key).is_none()
                && matches!(src.get(key).map(|o| &o.spec), Some(Spec::Column(c)) if !c.inherited)
        })
        .max()
}

/// For a parent's column `key` that this plan drops: the last parent's column of each
/// child of several parents that loses the column, when that is another column. The
/// same for a parent's CHECK, of which the last parent dropping it drops the child's.
fn last_parents_after(
    src: &Catalog,
    tgt: &Catalog,
    decisions: &Decisions<'_>,
    key: &str,
) -> Vec<String> {
    let column = match src.get(key).map(|o| &o.spec) {
        Some(Spec::Column(column)) => column,
        Some(Spec::Constraint(check)) if kinds::inheritable_check(check) => {
            return last_checks_after(src, tgt, decisions, key, check);
        }
        _ => return Vec::new(),
    };
    if column.inherited || tgt.get(key).is_some() {
        return Vec::new();
    }
    child_tables(src, tgt, decisions, &column.table, false)
        .into_iter()
        .filter(|(_, child)| {
            child.inherits.len() > 1
                && tgt
                    .get(&format!("column:{}.{}", child.name, column.name))
                    .is_none()
        })
        .filter_map(|(_, child)| last_parent_dropping(src, tgt, child, &column.name))
        .filter(|last| last != key)
        .collect()
}

/// `last_parents_after` for a CHECK: the last of the other parents' CHECKs of the same
/// name that this plan drops too, for each child.
fn last_checks_after(
    src: &Catalog,
    tgt: &Catalog,
    decisions: &Decisions<'_>,
    key: &str,
    check: &crate::model::Constraint,
) -> Vec<String> {
    let dropped = |key: &str| decisions.get(key).is_some_and(|d| d.drop);
    if !dropped(key) {
        return Vec::new();
    }
    child_tables(src, tgt, decisions, &check.table, true)
        .into_iter()
        .filter_map(|(_, child)| {
            let others = kinds::checks_through_other_parents(child, &check.table, &check.name, src);
            if others.is_empty() || !others.iter().all(|g| dropped(g)) {
                return None;
            }
            others.into_iter().max().filter(|last| last.as_str() > key)
        })
        .collect()
}

/// The tables inheriting from `table` in the source (and its partitions, when
/// `partitions`) that stay in the target.
fn child_tables<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog,
    decisions: &Decisions<'_>,
    table: &str,
    partitions: bool,
) -> Vec<(&'a Object, &'a crate::model::Table)> {
    src.child_tables_of(table, partitions)
        .filter(|(o, _)| {
            tgt.get(&o.key).is_some() && !decisions.get(o.key.as_str()).is_some_and(|d| d.drop)
        })
        .collect()
}

/// Creation order among kinds when dependencies leave a choice.
fn priority(spec: &Spec) -> u8 {
    match spec {
        Spec::Schema(_) => 0,
        Spec::Extension(_) => 1,
        Spec::Collation(_) | Spec::TextSearchParser(_) | Spec::TextSearchTemplate(_) => 2,
        Spec::Enum(_) | Spec::Composite(_) | Spec::Range(_) | Spec::ShellType(_) => 3,
        Spec::Domain(_) => 4,
        Spec::Sequence(_) => 5,
        Spec::Function(_) => 6,
        Spec::Aggregate(_) | Spec::Operator(_) | Spec::BaseType(_) => 7,
        Spec::Cast(_) | Spec::TextSearchDictionary(_) | Spec::OperatorFamily(_) => 8,
        Spec::OperatorClass(_) => 9,
        Spec::TextSearchConfiguration(_) => 9,
        Spec::ForeignDataWrapper(_) | Spec::ForeignServer(_) | Spec::UserMapping(_) => 9,
        Spec::Table(_) | Spec::ForeignTable(_) => 10,
        Spec::Column(_) => 11,
        Spec::Default(_) | Spec::ColumnOptions(_) | Spec::TypedTable(_) => 12,
        Spec::SequenceOwner(_) => 13,
        Spec::Constraint(_) => 14,
        Spec::Index(_) => 15,
        Spec::ReplicaIdentity(_) | Spec::ColumnSettings(_) => 16,
        Spec::Statistics(_) => 16,
        Spec::View(_) => 17,
        Spec::MaterializedView(_) => 18,
        Spec::Rule(_) => 19,
        Spec::Trigger(_) => 20,
        Spec::Policy(_) => 21,
        Spec::EventTrigger(_) => 22,
        Spec::Publication(_) => 23,
        Spec::PublicationTable(_) | Spec::PublicationSchema(_) => 24,
        Spec::Comment(_) | Spec::SecurityLabel(_) => 25,
        Spec::Ownership(_) => 26,
        Spec::Grant(_) | Spec::DefaultPrivilege(_) => 27,
    }
}

fn order_steps<'a>(
    src: &Catalog<'a>,
    tgt: &Catalog<'a>,
    decisions: &Decisions<'a>,
    nodes: Vec<Node<'a>>,
) -> Result<Vec<Step>> {
    let mut index: FxHashMap<(&str, Phase, bool), NodeId> = FxHashMap::default();
    for (i, node) in nodes.iter().enumerate() {
        index.insert((node.key, node.phase, node.finalize), i);
    }
    let spec_of = |key: &str| tgt.get(key).or_else(|| src.get(key)).map(|o| &o.spec);
    let rank = |node: &Node| -> (u8, u8) {
        let p = spec_of(node.key).map_or(0, priority);
        match node.phase {
            Phase::Early => (0, p),
            // Dropping goes the other way: views before tables before types.
            Phase::Drop => (1, u8::MAX - p),
            Phase::Create => (2 + node.finalize as u8, p),
        }
    };

    let mut edges: Vec<(NodeId, NodeId)> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        match node.phase {
            Phase::Early => {}
            Phase::Drop => {
                // Drop this before whatever it depends on that is also going.
                let Some(object) = src.get(node.key) else {
                    continue;
                };
                let mut deps: Vec<&str> = object.deps.iter().map(|d| d.as_str()).collect();
                // Children dropped along with it bring their dependencies.
                collect_children_deps(src, node.key, &mut deps, &|k| {
                    dropped_with_owner(src, decisions, k)
                });
                for dep in deps {
                    let dep = resolve_drop(src, decisions, dep);
                    if let Some(&j) = index.get(&(dep, Phase::Drop, false)) {
                        if i != j {
                            edges.push((i, j));
                        }
                    }
                }
                // A parent's column goes before the last parent's, which takes the
                // column of a child of several parents along.
                for last in last_parents_after(src, tgt, decisions, node.key) {
                    if let Some(&j) = index.get(&(last.as_str(), Phase::Drop, false)) {
                        if i != j {
                            edges.push((i, j));
                        }
                    }
                }
                // Columns moving off it change first.
                for &column in &decisions[node.key].drop_after {
                    if let Some(&j) = index.get(&(column, Phase::Create, false)) {
                        edges.push((j, i));
                    }
                }
            }
            Phase::Create if node.finalize => {
                // The old type goes once nothing uses it any more.
                for dependent in src.dependents_of(node.key) {
                    let dependent = resolve_create(tgt, decisions, dependent);
                    for finalize in [false, true] {
                        if let Some(&j) = index.get(&(dependent, Phase::Create, finalize)) {
                            edges.push((j, i));
                        }
                    }
                }
                if let Some(&j) = index.get(&(node.key, Phase::Create, false)) {
                    edges.push((j, i));
                }
            }
            Phase::Create => {
                // Create this after whatever it depends on that is being created.
                let Some(object) = tgt.get(node.key) else {
                    continue;
                };
                let mut deps: Vec<&str> = object.deps.iter().map(|d| d.as_str()).collect();
                // Folded children bring their dependencies to the owner's statement.
                collect_children_deps(tgt, node.key, &mut deps, &|k| {
                    created_with_owner(tgt, decisions, k)
                });
                for dep in deps {
                    let dep = resolve_create(tgt, decisions, dep);
                    if let Some(&j) = index.get(&(dep, Phase::Create, false)) {
                        if i != j {
                            edges.push((j, i));
                        }
                        continue;
                    }
                    // An inherited column changes with its parents' column.
                    for parent_column in parent_columns(tgt, dep) {
                        if let Some(&j) = index.get(&(parent_column.as_str(), Phase::Create, false))
                        {
                            edges.push((j, i));
                        }
                    }
                }
            }
        }
    }

    edges.extend(persistence_edges(src, tgt, decisions, &index));
    edges.extend(column_order_edges(tgt, decisions, &nodes));
    edges.extend(inherited_column_edges(src, tgt, &nodes, &index));

    let sort_keys: Vec<((u8, u8), &str)> = nodes.iter().map(|n| (rank(n), n.key)).collect();
    let names: Vec<String> = nodes.iter().map(|n| n.key.to_string()).collect();
    let ordered = order(&sort_keys, &edges, &names)?;

    let mut steps = Vec::new();
    for i in ordered {
        let node = &nodes[i];
        let decision = &decisions[node.key];
        let lookup: &Catalog = if node.phase == Phase::Drop || tgt.get(node.key).is_none() {
            src
        } else {
            tgt
        };
        let object = lookup.get(node.key).expect("node comes from an object");
        // Finalising a rebuild drops the old type under the name it was moved aside to.
        let object_name = src
            .get(node.key)
            .filter(|_| node.finalize)
            .and_then(|old| kinds::rebuild_aside(&old.spec))
            .map_or_else(|| kinds::display_name(object, lookup), |aside| aside.name);
        for stmt in &node.stmts {
            steps.push(Step {
                sql: stmt.sql.clone(),
                object_kind: kinds::label(&object.spec).to_string(),
                object_key: node.key.to_string(),
                object_name: object_name.clone(),
                action: node.action,
                forced_by: decision.forced_by.clone(),
                hazards: stmt.hazards.clone(),
                transactional: true,
                commit_after: stmt.commit_after,
            });
        }
    }
    Ok(steps)
}

/// Columns added to an existing typed table are added in their target order (one
/// ADD COLUMN after another): the table is bound to its type again (`OF`) only when
/// its columns come in the order of the type's attributes. (Not for other tables:
/// a generated column may use one after it.)
fn column_order_edges(
    tgt: &Catalog,
    decisions: &Decisions<'_>,
    nodes: &[Node],
) -> Vec<(NodeId, NodeId)> {
    let mut added: Vec<(&str, i32, NodeId)> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.phase == Phase::Create && !n.finalize && decisions[n.key].create)
        .filter_map(|(i, n)| {
            let object = tgt.get(n.key)?;
            let Spec::Column(c) = &object.spec else {
                return None;
            };
            tgt.get(&format!("typed_table:{}", c.table))?;
            Some((object.owner.as_deref()?, c.position, i))
        })
        .collect();
    added.sort_unstable();
    added
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| (w[0].2, w[1].2))
        .collect()
}

/// The keys of the columns an inherited column `key` comes from (none for others).
fn parent_columns(tgt: &Catalog, key: &str) -> Vec<String> {
    let Some(Spec::Column(column)) = tgt.get(key).map(|o| &o.spec) else {
        return Vec::new();
    };
    if !column.inherited {
        return Vec::new();
    }
    match tgt.get(&format!("table:{}", column.table)).map(|o| &o.spec) {
        Some(Spec::Table(table)) => table
            .inherits
            .iter()
            .chain(&table.partition_of)
            .map(|parent| format!("column:{parent}.{}", column.name))
            .collect(),
        _ => Vec::new(),
    }
}

/// An inherited column changes after its parents' column: the parent's `ALTER` reaches
/// it first (PostgreSQL 18 refuses to drop a child's NOT NULL while it is inherited). A
/// table that gains a parent (`INHERIT`) does so after the parent's columns changed: its
/// columns must match them.
fn inherited_column_edges(
    src: &Catalog,
    tgt: &Catalog,
    nodes: &[Node],
    index: &FxHashMap<(&str, Phase, bool), NodeId>,
) -> Vec<(NodeId, NodeId)> {
    let mut edges = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        if node.phase != Phase::Create || node.finalize {
            continue;
        }
        let columns = match tgt.get(node.key).map(|o| &o.spec) {
            Some(Spec::Column(_)) => parent_columns(tgt, node.key),
            Some(Spec::Table(table)) => {
                let had = match src.get(node.key).map(|o| &o.spec) {
                    Some(Spec::Table(old)) => old.inherits.as_slice(),
                    _ => &[],
                };
                table
                    .inherits
                    .iter()
                    .filter(|p| !had.contains(p))
                    .flat_map(|parent| tgt.children_of(&format!("table:{parent}")))
                    .filter(|o| matches!(o.spec, Spec::Column(_)))
                    .map(|o| o.key.clone())
                    .collect()
            }
            _ => continue,
        };
        for column in columns {
            if let Some(&j) = index.get(&(column.as_str(), Phase::Create, false)) {
                edges.push((j, i));
            }
        }
    }
    edges
}

/// A logged table may not reference an unlogged one: among tables whose persistence
/// changes, the referenced table becomes LOGGED first, and the referencing one becomes
/// UNLOGGED first.
fn persistence_edges(
    src: &Catalog,
    tgt: &Catalog,
    decisions: &Decisions<'_>,
    index: &FxHashMap<(&str, Phase, bool), NodeId>,
) -> Vec<(NodeId, NodeId)> {
    let unlogged = |catalog: &Catalog, key: &str| match catalog.get(key).map(|o| &o.spec) {
        Some(Spec::Table(t)) => Some(t.unlogged),
        _ => None,
    };
    // Tables whose persistence changes: true when they become UNLOGGED. Only tables
    // that differ between the snapshots have a decision, so this looks at few keys.
    let changing: FxHashMap<&str, bool> = decisions
        .keys()
        .filter_map(|&key| match (unlogged(src, key), unlogged(tgt, key)) {
            (Some(a), Some(b)) if a != b => Some((key, b)),
            _ => None,
        })
        .collect();
    let mut edges = Vec::new();
    if changing.is_empty() {
        return edges;
    }
    for catalog in [src, tgt] {
        for (&referencing, &to_unlogged) in &changing {
            for fk in catalog.children_of(referencing) {
                if !matches!(&fk.spec, Spec::Constraint(c) if c.constraint_type == "f") {
                    continue;
                }
                let referenced = fk
                    .deps
                    .iter()
                    .filter_map(|d| catalog.get(d))
                    .filter_map(|d| d.owner.as_deref().or(Some(d.key.as_str())))
                    .filter(|&t| t != referencing && t.starts_with("table:"));
                for referenced in referenced {
                    let (Some(&from), Some(&to), Some(&also)) = (
                        index.get(&(referenced, Phase::Create, false)),
                        index.get(&(referencing, Phase::Create, false)),
                        changing.get(referenced),
                    ) else {
                        continue;
                    };
                    match (also, to_unlogged) {
                        (false, false) => edges.push((from, to)),
                        (true, true) => edges.push((to, from)),
                        _ => {}
                    }
                }
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// Adds the dependencies of `key`'s descendants that share its statement.
fn collect_children_deps<'a>(
    catalog: &Catalog<'a>,
    key: &str,
    deps: &mut Vec<&'a str>,
    shares_statement: &dyn Fn(&str) -> bool,
) {
    for child in catalog.children_of(key) {
        if shares_statement(&child.key) {
            deps.extend(child.deps.iter().map(|d| d.as_str()));
            collect_children_deps(catalog, &child.key, deps, shares_statement);
        }
    }
}
