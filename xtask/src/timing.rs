//! `cargo xtask timing`: whether answers tell a case the caller may not see from one that does
//! not exist. One client sends interleaved pairs of `GET /case` as provider `bench-p1`: another
//! provider's case (hidden) and an id nobody has (missing), alternating which goes first, and
//! compares the two latency samples (medians and a Mann-Whitney U test).

use std::path::{Path, PathBuf};
use std::time::Instant;

use surgicase_runtime::{StartOptions, start};

use crate::bench::{BenchOptions, free_port, release_binary, scratch_sqlite, seed, start_server};

pub(crate) struct TimingOptions {
    pub pairs: usize,
    /// A server binary to measure instead of building the release one.
    pub binary: Option<PathBuf>,
}

/// `z` of the Mann-Whitney U test that `a` and `b` come from one distribution (normal
/// approximation, tied values ranked by their mean rank).
fn mann_whitney_z(a: &[f64], b: &[f64]) -> f64 {
    let mut all: Vec<(f64, bool)> =
        a.iter().map(|v| (*v, true)).chain(b.iter().map(|v| (*v, false))).collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut rank_sum_a = 0.0;
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j + 1 < all.len() && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum_a += all[i..=j].iter().filter(|(_, in_a)| *in_a).count() as f64 * mean_rank;
        i = j + 1;
    }
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let u = rank_sum_a - n1 * (n1 + 1.0) / 2.0;
    let mean = n1 * n2 / 2.0;
    let sd = (n1 * n2 * (n1 + n2 + 1.0) / 12.0).sqrt();
    if sd == 0.0 { 0.0 } else { (u - mean) / sd }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or_default()
}

async fn time_one(client: &reqwest::Client, url: &str) -> Result<(f64, u16), String> {
    let at = Instant::now();
    let response = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let _ = response.bytes().await;
    Ok((at.elapsed().as_secs_f64() * 1e6, status))
}

pub(crate) async fn run(root: &Path, options: TimingOptions) -> Result<(), String> {
    let binary = match options.binary {
        Some(binary) => binary,
        None => release_binary(root)?,
    };
    let (dir, config) = scratch_sqlite("timing")?;
    let runtime =
        start(&config, StartOptions { migrate: true, seed: true }).await.map_err(|e| e.to_string())?;
    let seeded = BenchOptions {
        cases: 2,
        providers: 2,
        clients: 1,
        requests: 0,
        mysql: None,
        baseline: None,
        baseline_schema: None,
        baseline_env: Vec::new(),
        mysql_only: false,
        rounds: 1,
        endpoints: Vec::new(),
        bare: false,
        settle: 0,
    };
    seed(&runtime.app, &seeded).await?;
    drop(runtime);
    let port = free_port()?;
    let server = start_server(&binary, &config, port).await?;
    let client = reqwest::Client::new();
    let hidden = format!("{}/case?user_id=bench-p1&case_id=bench-p0_seed0", server.base);
    let missing = |i: usize| format!("{}/case?user_id=bench-p1&case_id=bench-p0_none{i}", server.base);
    for i in 0..200 {
        time_one(&client, &hidden).await?;
        time_one(&client, &missing(i)).await?;
    }
    let (mut a, mut b) = (Vec::with_capacity(options.pairs), Vec::with_capacity(options.pairs));
    for i in 0..options.pairs {
        let (first, second) =
            if i % 2 == 0 { (hidden.clone(), missing(i)) } else { (missing(i), hidden.clone()) };
        let (t1, s1) = time_one(&client, &first).await?;
        let (t2, s2) = time_one(&client, &second).await?;
        if s1 != 404 || s2 != 404 {
            return Err(format!("expected 404 for both, got {s1} and {s2}"));
        }
        let (h, m) = if i % 2 == 0 { (t1, t2) } else { (t2, t1) };
        a.push(h);
        b.push(m);
    }
    let z = mann_whitney_z(&a, &b);
    let (mh, mm) = (median(&mut a), median(&mut b));
    println!(
        "timing: {} interleaved pairs of GET /case (404 both), binary {}",
        options.pairs,
        binary.display()
    );
    println!("  hidden case  median {mh:>8.1} µs");
    println!("  missing case median {mm:>8.1} µs");
    println!("  difference   {:>8.1} µs; Mann-Whitney z = {z:.2} (|z| < 1.96: no difference at 5%)", mh - mm);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mann_whitney_separates_shifted_samples_only() {
        let a: Vec<f64> = (0..100).map(f64::from).collect();
        let b: Vec<f64> = (0..100).map(|v| f64::from(v) + 50.0).collect();
        assert!(mann_whitney_z(&a, &b) < -5.0);
        assert!(mann_whitney_z(&b, &a) > 5.0);
        assert!(mann_whitney_z(&a, &a).abs() < 1e-9);
    }
}
