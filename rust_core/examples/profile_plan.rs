//! Times the core's stages on two msgpack snapshot files:
//! `cargo run --release --example profile_plan -- a.msgpack b.msgpack`
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (a, b) = (
        std::fs::read(&args[1]).unwrap(),
        std::fs::read(&args[2]).unwrap(),
    );
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
}
