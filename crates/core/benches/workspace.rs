//! `make bench`: how fast the first screens come up, against fixed budgets.
//! Prints the median of repeated runs next to its budget (the baseline an
//! analyst would notice: a window that waits more than ~100 ms feels slow).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chipwatch_core::workspace::{open_or_init, Seed};
use chipwatch_core::{firms, profile, Store};

const RUNS: usize = 30;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn measure(name: &str, budget_ms: f64, mut run: impl FnMut()) -> bool {
    run(); // warm-up
    let samples = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    let ms = median(samples).as_secs_f64() * 1e3;
    let ok = ms <= budget_ms;
    println!(
        "{name:<44} {ms:>9.3} ms   budget {budget_ms:>6.1} ms   {}",
        if ok { "ok" } else { "OVER BUDGET" }
    );
    ok
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("existing.db");
    drop(open_or_init(&existing, Seed::DefaultDataset).unwrap());
    let store = Store::open(&existing).unwrap();
    let huawei = firms::list(&store, None)
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Huawei")
        .unwrap()
        .id;

    println!("chipwatch-core benchmarks: median of {RUNS} runs (after one warm-up)");
    let mut counter = 0;
    let results = [
        measure("create and seed a new workspace file", 150.0, || {
            counter += 1;
            let path = dir.path().join(format!("new-{counter}.db"));
            drop(open_or_init(&path, Seed::DefaultDataset).unwrap());
        }),
        measure("open an existing workspace (checks included)", 50.0, || {
            drop(Store::open(&existing).unwrap())
        }),
        measure("list firms", 5.0, || {
            drop(firms::list(&store, None).unwrap())
        }),
        measure("load the Huawei profile", 5.0, || {
            drop(profile::load_profile(&store, huawei).unwrap())
        }),
    ];
    if results.contains(&false) {
        println!("some figures are over budget");
        std::process::exit(1);
    }
}
