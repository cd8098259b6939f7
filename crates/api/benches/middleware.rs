//! Per-request cost of the observability middleware, in process: the same trivial route served
//! bare, with the request-id/access-log middleware (JSON lines to a sink), with the metrics
//! middleware, and with both (what the API runs). `cargo bench -p surgicase-api --bench middleware`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code

use std::time::{Duration, Instant};

use actix_web::middleware::from_fn;
use actix_web::test::{self, TestRequest};
use actix_web::{App, HttpResponse, web};
use criterion::{Criterion, criterion_group, criterion_main};
use surgicase_api::observability::{MetricsHub, http_metrics};
use surgicase_api::request_id;

async fn ok() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// Runs `iters` requests through a service built by `make` and returns the time they took.
macro_rules! measure {
    ($sys:expr, $service:expr, $iters:expr) => {{
        $sys.block_on(async {
            let started = Instant::now();
            for _ in 0..$iters {
                let req = TestRequest::get().uri("/items/42").to_request();
                let res = test::call_service(&$service, req).await;
                assert!(res.status().is_success());
                drop(test::read_body(res).await);
            }
            started.elapsed()
        })
    }};
}

fn middleware(c: &mut Criterion) {
    // JSON log lines, formatted and written (to a sink), as in production.
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("info")
        .with_writer(std::io::sink)
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    MetricsHub::global();

    let sys = actix_web::rt::System::new();
    let bare = sys.block_on(test::init_service(App::new().route("/items/{id}", web::get().to(ok))));
    let logged = sys.block_on(test::init_service(
        App::new().wrap(from_fn(request_id::middleware)).route("/items/{id}", web::get().to(ok)),
    ));
    let metered = sys.block_on(test::init_service(
        App::new().wrap(from_fn(http_metrics::middleware)).route("/items/{id}", web::get().to(ok)),
    ));
    let both = sys.block_on(test::init_service(
        App::new()
            .wrap(from_fn(request_id::middleware))
            .wrap(from_fn(http_metrics::middleware))
            .route("/items/{id}", web::get().to(ok)),
    ));

    let mut group = c.benchmark_group("per_request");
    group.measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1)).sample_size(30);
    group.bench_function("bare", |b| b.iter_custom(|n| measure!(sys, bare, n)));
    group.bench_function("request_id_and_access_log", |b| b.iter_custom(|n| measure!(sys, logged, n)));
    group.bench_function("metrics", |b| b.iter_custom(|n| measure!(sys, metered, n)));
    group.bench_function("metrics_and_access_log", |b| b.iter_custom(|n| measure!(sys, both, n)));
    group.finish();
}

criterion_group!(benches, middleware);
criterion_main!(benches);
