//! Topological ordering with a stable tie-break: among the nodes whose
//! dependencies are all placed, the one with the smallest (rank, key) goes next,
//! so the same input always gives the same plan.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::error::Error;
use crate::Result;

pub type NodeId = usize;

/// `edges` are (before, after). A cycle is an error naming its path.
pub fn order<R: Ord + Copy>(
    sort_keys: &[(R, &str)],
    edges: &[(NodeId, NodeId)],
    names: &[String],
) -> Result<Vec<NodeId>> {
    let n = sort_keys.len();
    let mut successors: Vec<Vec<NodeId>> = vec![Vec::new(); n];
    let mut blockers = vec![0usize; n];
    let mut seen = std::collections::HashSet::with_capacity(edges.len());
    for &(before, after) in edges {
        if before != after && seen.insert((before, after)) {
            successors[before].push(after);
            blockers[after] += 1;
        }
    }
    let mut ready: BinaryHeap<Reverse<(R, &str, NodeId)>> = (0..n)
        .filter(|&i| blockers[i] == 0)
        .map(|i| Reverse((sort_keys[i].0, sort_keys[i].1, i)))
        .collect();
    let mut ordered = Vec::with_capacity(n);
    while let Some(Reverse((_, _, i))) = ready.pop() {
        ordered.push(i);
        for &next in &successors[i] {
            blockers[next] -= 1;
            if blockers[next] == 0 {
                ready.push(Reverse((sort_keys[next].0, sort_keys[next].1, next)));
            }
        }
    }
    if ordered.len() < n {
        return Err(Error::Cycle(find_cycle(&successors, &blockers, names)));
    }
    Ok(ordered)
}

/// Walks forward from a node left unplaced until a node repeats.
fn find_cycle(successors: &[Vec<NodeId>], blockers: &[usize], names: &[String]) -> Vec<String> {
    let stuck: Vec<bool> = blockers.iter().map(|&b| b > 0).collect();
    let start = stuck.iter().position(|&s| s).unwrap_or(0);
    let mut path = vec![start];
    let mut position = vec![usize::MAX; successors.len()];
    position[start] = 0;
    let mut current = start;
    while let Some(&next) = successors[current].iter().find(|&&s| stuck[s]) {
        if position[next] != usize::MAX {
            let mut cycle: Vec<String> = path[position[next]..]
                .iter()
                .map(|&i| names[i].clone())
                .collect();
            cycle.push(names[next].clone());
            return cycle;
        }
        position[next] = path.len();
        path.push(next);
        current = next;
    }
    path.iter().map(|&i| names[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("n{i}")).collect()
    }

    #[test]
    fn ties_break_by_rank_then_key() {
        let keys = [(1, "b"), (0, "z"), (1, "a")];
        assert_eq!(order(&keys, &[], &names(3)).unwrap(), vec![1, 2, 0]);
    }

    #[test]
    fn edges_win_over_rank() {
        let keys = [(0, "a"), (9, "b")];
        assert_eq!(order(&keys, &[(1, 0)], &names(2)).unwrap(), vec![1, 0]);
    }

    #[test]
    fn a_cycle_names_its_path() {
        let keys = [(0, "a"), (0, "b"), (0, "c")];
        let error = order(&keys, &[(0, 1), (1, 2), (2, 1)], &names(3)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the changes depend on each other in a cycle: n1 -> n2 -> n1"
        );
    }
}
