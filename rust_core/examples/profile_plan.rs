//! Times the core's stages on two msgpack snapshot files:
//! `cargo run --release --example profile_plan -- a.msgpack b.msgpack [diff-runs]`
//! With `diff-runs`, diff + order alone then runs that many more times (for `perf`).
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (a, b) = (
        std::fs::read(&args[1]).unwrap(),
        std::fs::read(&args[2]).unwrap(),
    );
    let diff_runs: usize = args.get(3).map_or(0, |n| n.parse().unwrap());
    for _ in 0..3 {
        let t = Instant::now();
        let sa = pgmt_core::decode_snapshot(&a, "source").unwrap();
        let sb = pgmt_core::decode_snapshot(&b, "target").unwrap();
        let decoded = t.elapsed();
        let t = Instant::now();
        let ha = pgmt_core::snapshot_hash(&sa).unwrap();
        let _ = pgmt_core::snapshot_hash(&sb).unwrap();
        let hashed = t.elapsed();
        let t = Instant::now();
        let steps = pgmt_core::engine::plan(&sa, &sb).unwrap();
        let planned = t.elapsed();
        println!(
            "decode {decoded:?}  hash {hashed:?}  diff+order {planned:?}  ({} steps, {})",
            steps.len(),
            &ha[..8]
        );
    }
    if diff_runs > 0 {
        let sa = pgmt_core::decode_snapshot(&a, "source").unwrap();
        let sb = pgmt_core::decode_snapshot(&b, "target").unwrap();
        let t = Instant::now();
        for _ in 0..diff_runs {
            pgmt_core::engine::plan(&sa, &sb).unwrap();
        }
        println!("diff+order: {:?} per run", t.elapsed() / diff_runs as u32);
    }
}
