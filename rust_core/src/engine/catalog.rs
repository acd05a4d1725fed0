//! One snapshot, indexed for the lookups the planner makes.

use rustc_hash::FxHashMap;

use crate::kinds::Lookup;
use crate::model::{Object, Snapshot, Spec, Table};

/// One snapshot, indexed for lookups by key, owner and dependency.
pub struct Catalog<'a> {
    /// Objects in key order (the order a snapshot is encoded in).
    pub(super) sorted: Vec<&'a Object>,
    /// Key → position in `sorted`.
    index: FxHashMap<&'a str, u32>,
    /// Owned objects of each object, as ranges into one array (positions in `sorted`).
    children: Adjacency,
    /// Who must follow when an object goes: the reverse of `deps`, plus ownership.
    /// Only the source's is ever asked for (drops cascade in the source).
    dependents: Adjacency,
    server_version: i32,
}

/// Lists of object positions for every object, stored flat (no allocation per object).
#[derive(Default)]
struct Adjacency {
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Adjacency {
    /// From (from, to) pairs; each list keeps the pairs' order, without repeats.
    fn new(n: usize, pairs: &[(u32, u32)]) -> Self {
        let mut starts = vec![0u32; n + 1];
        for &(from, _) in pairs {
            starts[from as usize + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut items = vec![0u32; pairs.len()];
        for &(from, to) in pairs {
            items[fill[from as usize] as usize] = to;
            fill[from as usize] += 1;
        }
        Adjacency { starts, items }
    }

    fn of(&self, i: u32) -> &[u32] {
        let i = i as usize;
        &self.items[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

impl<'a> Catalog<'a> {
    /// Indexes `snapshot`; `with_dependents` also reverses its dependencies, the
    /// costliest part, which only the source needs.
    pub fn new(snapshot: &'a Snapshot, with_dependents: bool) -> Self {
        let n = snapshot.objects.len();
        let mut sorted: Vec<&Object> = snapshot.objects.iter().collect();
        if !sorted.is_sorted_by(|a, b| a.key <= b.key) {
            sorted.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        }
        let mut index = FxHashMap::with_capacity_and_hasher(n, Default::default());
        for (i, object) in sorted.iter().enumerate() {
            index.insert(object.key.as_str(), i as u32);
        }
        // Neighbours in key order mostly share their owner (a table's columns): the
        // last owner found is compared before the index is asked.
        let mut last_owner: Option<(&str, u32)> = None;
        let owner_of: Vec<Option<u32>> = sorted
            .iter()
            .map(|object| {
                let owner = object.owner.as_deref()?;
                match last_owner {
                    Some((key, position)) if key == owner => Some(position),
                    _ => {
                        let position = *index.get(owner)?;
                        last_owner = Some((owner, position));
                        Some(position)
                    }
                }
            })
            .collect();
        let owned: Vec<(u32, u32)> = owner_of
            .iter()
            .enumerate()
            .filter_map(|(i, owner)| Some(((*owner)?, i as u32)))
            .collect();
        let depending = if with_dependents {
            // Each lookup is a cache miss or two in a large table, so the objects are
            // split in two and resolved side by side; the halves are joined in order, as
            // one pass would have made them.
            let resolve = |range: std::ops::Range<usize>| {
                let mut pairs = Vec::with_capacity(range.len() * 2);
                for i in range {
                    let object = sorted[i];
                    let i = i as u32;
                    if let Some(owner) = owner_of[i as usize] {
                        pairs.push((owner, i));
                    }
                    for dep in &object.deps {
                        if Some(dep) == object.owner.as_ref() {
                            continue;
                        }
                        if let Some(&dep) = index.get(dep.as_str()) {
                            pairs.push((dep, i));
                        }
                    }
                }
                pairs
            };
            let (mut first, second) = std::thread::scope(|scope| {
                let second = scope.spawn(|| resolve(n / 2..n));
                (
                    resolve(0..n / 2),
                    second.join().expect("resolving cannot panic"),
                )
            });
            first.extend(second);
            first
        } else {
            Vec::new()
        };
        Catalog {
            sorted,
            index,
            children: Adjacency::new(n, &owned),
            dependents: Adjacency::new(n, &depending),
            server_version: snapshot.server_version,
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<&'a Object> {
        self.index.get(key).map(|&i| self.sorted[i as usize])
    }

    pub(super) fn dependents_of(&self, key: &str) -> impl Iterator<Item = &'a str> + '_ {
        let list = self
            .index
            .get(key)
            .map_or(&[][..], |&i| self.dependents.of(i));
        list.iter().map(|&i| self.sorted[i as usize].key.as_str())
    }

    /// The tables inheriting from `table` (and its partitions, when `partitions`).
    pub(super) fn child_tables_of<'t>(
        &'t self,
        table: &'t str,
        partitions: bool,
    ) -> impl Iterator<Item = (&'a Object, &'a Table)> + 't {
        self.dependents_of(&format!("table:{table}"))
            .filter_map(move |key| {
                let object = self.get(key)?;
                match &object.spec {
                    Spec::Table(t)
                        if t.inherits.iter().any(|p| p == table)
                            || partitions && t.partition_of.as_deref() == Some(table) =>
                    {
                        Some((object, t))
                    }
                    _ => None,
                }
            })
    }

    pub(super) fn children_of(&self, key: &str) -> impl Iterator<Item = &'a Object> + '_ {
        let list = self
            .index
            .get(key)
            .map_or(&[][..], |&i| self.children.of(i));
        list.iter().map(|&i| self.sorted[i as usize])
    }
}

impl Lookup for Catalog<'_> {
    fn object(&self, key: &str) -> Option<&Object> {
        self.get(key)
    }
    fn children(&self, key: &str) -> Vec<&Object> {
        self.children_of(key).collect()
    }
    fn server_version(&self) -> i32 {
        self.server_version
    }
    fn child_tables(&self, table: &str) -> Vec<&Table> {
        self.child_tables_of(table, true).map(|(_, t)| t).collect()
    }
}
