//! Summaries of samples: mean and percentiles of latencies, medians of rates.

use std::time::Duration;

/// Mean, p50 and p99 of a set of latencies.
#[derive(Clone, Copy, Debug)]
pub struct Latency {
    pub mean: Duration,
    pub p50: Duration,
    pub p99: Duration,
}

pub fn latency(samples: &[Duration]) -> Latency {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let total: Duration = sorted.iter().sum();
    Latency {
        mean: total / sorted.len().max(1) as u32,
        p50: percentile(&sorted, 0.50),
        p99: percentile(&sorted, 0.99),
    }
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The median of `values` (0 for none).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

pub fn median_duration(values: &[Duration]) -> Duration {
    Duration::from_secs_f64(median(
        &values.iter().map(Duration::as_secs_f64).collect::<Vec<_>>(),
    ))
}
