//! The process-wide metrics recorder: Prometheus for `/metrics`, plus a copy of what the JSON
//! digests (`/metrics/summary`, `/metrics/business`, …) need, captured as it is recorded.
//!
//! [`MetricsHub::global`] installs it once per process (tests build many apps in one process).
//! Should another recorder already be installed, the routes still answer, with what reaches
//! this one (nothing): a warning says so at start-up.
//!
//! Percentiles come from the histogram buckets (the same ones Prometheus exports), with linear
//! interpolation inside the bucket, as Prometheus' `histogram_quantile` does.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use metrics::{
    Counter, CounterFn, Gauge, Histogram, HistogramFn, Key, KeyName, Metadata, Recorder, SharedString, Unit,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

pub const HTTP_REQUESTS: &str = "http_requests_total";
pub const HTTP_DURATION: &str = "http_request_duration_seconds";
pub const HTTP_IN_FLIGHT: &str = "http_requests_in_flight";
pub const POOL_CONNECTIONS: &str = "db_pool_connections";
pub const POOL_MAX: &str = "db_pool_max_connections";
/// Counted by each `/metrics/health` call: the probe that proves the facade reaches this hub.
pub const HEALTH_PROBES: &str = "metrics_health_probes_total";
/// The store's histogram (`surgicase_store::POOL_WAIT_HISTOGRAM`; a test keeps them equal).
pub const POOL_WAIT: &str = "db_pool_wait_seconds";

/// Request latency buckets (seconds): 5 ms … 10 s.
pub const HTTP_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Pool wait buckets (seconds): 0.1 ms … 10 s.
pub const WAIT_BUCKETS: &[f64] =
    &[0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Counts per bucket of one labelled histogram.
#[derive(Debug)]
pub struct Buckets {
    bounds: &'static [f64],
    /// One per bound, plus the `+Inf` bucket (not cumulative).
    counts: Vec<AtomicU64>,
}

impl Buckets {
    fn new(bounds: &'static [f64]) -> Self {
        Self { bounds, counts: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect() }
    }

    fn record(&self, value: f64) {
        let i = self.bounds.iter().position(|b| value <= *b).unwrap_or(self.bounds.len());
        if let Some(c) = self.counts.get(i) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The counts now.
    pub fn snapshot(&self) -> BucketCounts {
        BucketCounts {
            bounds: self.bounds,
            counts: self.counts.iter().map(|c| c.load(Ordering::Relaxed)).collect(),
        }
    }
}

/// A copy of a histogram's bucket counts (not cumulative, `+Inf` last).
#[derive(Debug, Clone, PartialEq)]
pub struct BucketCounts {
    pub bounds: &'static [f64],
    pub counts: Vec<u64>,
}

impl BucketCounts {
    pub fn empty(bounds: &'static [f64]) -> Self {
        Self { bounds, counts: vec![0; bounds.len() + 1] }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Adds another histogram of the same bounds.
    pub fn add(&mut self, other: &BucketCounts) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// The `q` quantile (0–1) in the histogram's unit, interpolated linearly inside its bucket;
    /// `None` without observations. Values in the `+Inf` bucket are reported as the last bound.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let rank = q.clamp(0.0, 1.0) * total as f64;
        let mut seen = 0.0;
        for (i, count) in self.counts.iter().enumerate() {
            let count = *count as f64;
            if count > 0.0 && seen + count >= rank {
                let Some(upper) = self.bounds.get(i) else {
                    return self.bounds.last().copied();
                };
                let lower = if i == 0 { 0.0 } else { self.bounds[i - 1] };
                return Some(lower + (upper - lower) * ((rank - seen) / count).clamp(0.0, 1.0));
            }
            seen += count;
        }
        self.bounds.last().copied()
    }
}

/// What the JSON digests read: counters and histograms of interest, by key.
#[derive(Debug, Default)]
pub struct Captured {
    counters: RwLock<HashMap<Key, Arc<AtomicU64>>>,
    histograms: RwLock<HashMap<Key, Arc<Buckets>>>,
}

fn captured_counter(name: &str) -> bool {
    name == HTTP_REQUESTS || name.starts_with("surgicase_")
}

fn captured_histogram(name: &str) -> Option<&'static [f64]> {
    match name {
        HTTP_DURATION => Some(HTTP_BUCKETS),
        POOL_WAIT => Some(WAIT_BUCKETS),
        _ => None,
    }
}

/// Gets or inserts under a read-mostly lock (a poisoned lock still holds valid entries).
fn entry<T>(map: &RwLock<HashMap<Key, Arc<T>>>, key: &Key, make: impl FnOnce() -> T) -> Arc<T> {
    let found = match map.read() {
        Ok(guard) => guard.get(key).cloned(),
        Err(poisoned) => poisoned.into_inner().get(key).cloned(),
    };
    if let Some(found) = found {
        return found;
    }
    let mut guard = match map.write() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    Arc::clone(guard.entry(key.clone()).or_insert_with(|| Arc::new(make())))
}

fn read<T: Clone, R>(map: &RwLock<HashMap<Key, T>>, f: impl FnOnce(&HashMap<Key, T>) -> R) -> R {
    match map.read() {
        Ok(guard) => f(&guard),
        Err(poisoned) => f(&poisoned.into_inner()),
    }
}

impl Captured {
    /// Every captured counter named `name`, with its labels.
    pub fn counters(&self, name: &str) -> Vec<(Vec<(String, String)>, u64)> {
        read(&self.counters, |m| {
            m.iter()
                .filter(|(k, _)| k.name() == name)
                .map(|(k, v)| (labels(k), v.load(Ordering::Relaxed)))
                .collect()
        })
    }

    /// Every captured histogram named `name`, with its labels.
    pub fn histograms(&self, name: &str) -> Vec<(Vec<(String, String)>, BucketCounts)> {
        read(&self.histograms, |m| {
            m.iter().filter(|(k, _)| k.name() == name).map(|(k, v)| (labels(k), v.snapshot())).collect()
        })
    }
}

fn labels(key: &Key) -> Vec<(String, String)> {
    key.labels().map(|l| (l.key().to_owned(), l.value().to_owned())).collect()
}

struct TeeCounter {
    inner: Counter,
    copy: Arc<AtomicU64>,
}

impl CounterFn for TeeCounter {
    fn increment(&self, value: u64) {
        self.inner.increment(value);
        self.copy.fetch_add(value, Ordering::Relaxed);
    }

    fn absolute(&self, value: u64) {
        self.inner.absolute(value);
        self.copy.fetch_max(value, Ordering::Relaxed);
    }
}

struct TeeHistogram {
    inner: Histogram,
    copy: Arc<Buckets>,
}

impl HistogramFn for TeeHistogram {
    fn record(&self, value: f64) {
        self.inner.record(value);
        self.copy.record(value);
    }
}

/// The recorder: Prometheus, with copies into [`Captured`].
struct HubRecorder {
    prometheus: PrometheusRecorder,
    captured: Arc<Captured>,
}

impl Recorder for HubRecorder {
    fn describe_counter(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.prometheus.describe_counter(key, unit, description);
    }

    fn describe_gauge(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.prometheus.describe_gauge(key, unit, description);
    }

    fn describe_histogram(&self, key: KeyName, unit: Option<Unit>, description: SharedString) {
        self.prometheus.describe_histogram(key, unit, description);
    }

    fn register_counter(&self, key: &Key, metadata: &Metadata<'_>) -> Counter {
        let inner = self.prometheus.register_counter(key, metadata);
        if !captured_counter(key.name()) {
            return inner;
        }
        let copy = entry(&self.captured.counters, key, || AtomicU64::new(0));
        Counter::from_arc(Arc::new(TeeCounter { inner, copy }))
    }

    fn register_gauge(&self, key: &Key, metadata: &Metadata<'_>) -> Gauge {
        self.prometheus.register_gauge(key, metadata)
    }

    fn register_histogram(&self, key: &Key, metadata: &Metadata<'_>) -> Histogram {
        let inner = self.prometheus.register_histogram(key, metadata);
        let Some(bounds) = captured_histogram(key.name()) else { return inner };
        let copy = entry(&self.captured.histograms, key, || Buckets::new(bounds));
        Histogram::from_arc(Arc::new(TeeHistogram { inner, copy }))
    }
}

/// The installed recorder's handles.
#[derive(Clone)]
pub struct MetricsHub {
    prometheus: PrometheusHandle,
    captured: Arc<Captured>,
}

impl std::fmt::Debug for MetricsHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsHub").finish_non_exhaustive()
    }
}

static GLOBAL: OnceLock<MetricsHub> = OnceLock::new();

/// How often histograms are drained into Prometheus' summaries (bounds their memory).
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Prometheus with our histogram buckets (the builder only refuses empty bucket lists).
fn builder() -> PrometheusBuilder {
    let mut builder = PrometheusBuilder::new();
    for (name, buckets) in [(HTTP_DURATION, HTTP_BUCKETS), (POOL_WAIT, WAIT_BUCKETS)] {
        builder = match builder.set_buckets_for_metric(Matcher::Full(name.to_owned()), buckets) {
            Ok(b) => b,
            Err(_) => PrometheusBuilder::new(),
        };
    }
    builder
}

impl MetricsHub {
    /// A hub whose recorder is not installed (tests use it with `metrics::with_local_recorder`).
    pub fn unattached() -> (Self, impl Recorder + Send + Sync + 'static) {
        let prometheus = builder().build_recorder();
        let captured = Arc::new(Captured::default());
        let hub = Self { prometheus: prometheus.handle(), captured: Arc::clone(&captured) };
        (hub, HubRecorder { prometheus, captured })
    }

    /// The process's hub, installed as the global recorder on first use.
    pub fn global() -> &'static MetricsHub {
        GLOBAL.get_or_init(|| {
            let (hub, recorder) = Self::unattached();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!(
                    "a metrics recorder was already installed; /metrics shows only what reaches this one"
                );
            }
            describe();
            let upkeep = hub.prometheus.clone();
            let spawned = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            });
            if let Err(e) = spawned {
                tracing::warn!(error = %e, "cannot start the metrics upkeep thread");
            }
            hub
        })
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        self.prometheus.run_upkeep();
        self.prometheus.render()
    }

    pub fn captured(&self) -> &Captured {
        &self.captured
    }

    /// Whether metrics are generated: a probe counted through the `metrics` facade must come out
    /// of this hub's exposition (it does not when another recorder took the facade).
    pub fn generates(&self) -> bool {
        metrics::counter!(HEALTH_PROBES).increment(1);
        self.render().lines().any(|line| line.starts_with(HEALTH_PROBES) && !line.ends_with(" 0"))
    }
}

/// Help texts of the shell's metrics and the business counters.
fn describe() {
    metrics::describe_counter!(HTTP_REQUESTS, "HTTP requests answered, by method, route template and status");
    metrics::describe_histogram!(
        HTTP_DURATION,
        Unit::Seconds,
        "HTTP request duration, by method, route template and status"
    );
    metrics::describe_gauge!(HTTP_IN_FLIGHT, "HTTP requests being served");
    metrics::describe_counter!(HEALTH_PROBES, "Calls of /metrics/health (each proves metrics are generated)");
    metrics::describe_gauge!(POOL_CONNECTIONS, "Database pool connections, by state (idle, in_use)");
    metrics::describe_gauge!(POOL_MAX, "Database pool size limit");
    metrics::describe_histogram!(POOL_WAIT, Unit::Seconds, "Time waited for a pooled database connection");
    metrics::describe_counter!(
        surgicase_app::retry::TX_RETRIES,
        "Transactions run again after a deadlock or a lost write conflict, by use case"
    );
    surgicase_app::counters::describe();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_wait_name_is_the_stores() {
        assert_eq!(POOL_WAIT, surgicase_store::POOL_WAIT_HISTOGRAM);
    }

    #[test]
    fn quantiles_interpolate_inside_buckets() {
        const B: &[f64] = &[0.1, 0.2, 0.4];
        let h = BucketCounts { bounds: B, counts: vec![10, 10, 0, 0] };
        assert_eq!(h.quantile(0.5), Some(0.1));
        assert_eq!(h.quantile(0.25), Some(0.05));
        assert_eq!(h.quantile(0.75), Some(0.15000000000000002));
        assert_eq!(h.quantile(1.0), Some(0.2));
        let overflow = BucketCounts { bounds: B, counts: vec![0, 0, 0, 5] };
        assert_eq!(overflow.quantile(0.99), Some(0.4));
        assert_eq!(BucketCounts::empty(B).quantile(0.5), None);
        let mut sum = BucketCounts::empty(B);
        sum.add(&h);
        sum.add(&overflow);
        assert_eq!(sum.total(), 25);
    }

    #[test]
    fn a_local_hub_captures_and_renders() {
        let (hub, recorder) = MetricsHub::unattached();
        metrics::with_local_recorder(&recorder, || {
            metrics::counter!(HTTP_REQUESTS, "method" => "GET", "route" => "/case", "status" => "200")
                .increment(2);
            metrics::counter!("other_total").increment(1);
            metrics::histogram!(HTTP_DURATION, "method" => "GET", "route" => "/case", "status" => "200")
                .record(0.003);
            metrics::histogram!(HTTP_DURATION, "method" => "GET", "route" => "/case", "status" => "200")
                .record(0.7);
        });
        let counters = hub.captured().counters(HTTP_REQUESTS);
        assert_eq!(counters.len(), 1);
        assert_eq!(counters[0].1, 2);
        assert!(counters[0].0.contains(&("route".to_owned(), "/case".to_owned())));
        assert!(hub.captured().counters("other_total").is_empty());
        let h = hub.captured().histograms(HTTP_DURATION);
        assert_eq!(h[0].1.counts[0], 1);
        assert_eq!(h[0].1.counts[7], 1, "0.7 s falls in the (0.5, 1] bucket");
        let text = hub.render();
        assert!(text.contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/case\",status=\"200\",le=\"0.005\"} 1"), "{text}");
        assert!(
            text.contains("http_requests_total{method=\"GET\",route=\"/case\",status=\"200\"} 2"),
            "{text}"
        );
    }

    #[test]
    fn health_needs_the_facade_to_reach_the_hub() {
        let (hub, recorder) = MetricsHub::unattached();
        // In this thread the facade has no recorder (or the process's), never this hub.
        assert!(!hub.generates(), "a hub the facade does not reach is not generating");
        assert!(metrics::with_local_recorder(&recorder, || hub.generates()));
    }
}
