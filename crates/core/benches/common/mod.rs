//! Helpers the benchmarks share: sizes from the environment, medians, and one
//! line per figure against its budget.
#![allow(dead_code)] // each bench uses some of them

use std::time::{Duration, Instant};

/// A count from the environment (a smaller run for a quick look), else `default`.
pub fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Median of `runs` timed runs after one warm-up.
pub fn median_of(runs: usize, mut run: impl FnMut()) -> Duration {
    run();
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

/// Prints a figure with its budget (or none); false when it is over budget.
pub fn report(name: &str, figure_ms: f64, budget_ms: Option<f64>) -> bool {
    match budget_ms {
        Some(budget) => {
            let ok = figure_ms <= budget;
            println!(
                "{name:<58} {figure_ms:>9.3} ms   budget {budget:>7.1} ms   {}",
                if ok { "ok" } else { "OVER BUDGET" }
            );
            ok
        }
        None => {
            println!("{name:<58} {figure_ms:>9.3} ms   (no budget)");
            true
        }
    }
}
