//! `cargo xtask bench-documents`: upload and download throughput of one document size on the
//! local store and, when an S3 endpoint is given (moto: `http://127.0.0.1:5000`, with
//! `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` exported), on S3.
//!
//! Two measures per adapter, each over `rounds` documents:
//! - `adapter`: the object-store port alone (`put`, then `get`);
//! - `flow`: what a client waits for, minus HTTP framing on the service side — upload URL,
//!   the bytes (direct upload through the use case, or a presigned PUT), confirmation (the object
//!   is read back, checked, hashed and attached in a transaction); download (the use case's
//!   bytes, or a presigned GET).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use surgicase_app::{App, Ctx, DocumentBody, UploadRequest};
use surgicase_cases::{NewCaseInput, PatientInput};
use surgicase_config::{Config, ObjectBackend};
use surgicase_kernel::Raw;
use surgicase_ports::{ObjectKey, ObjectMeta};
use surgicase_runtime::{StartOptions, start};
use surgicase_users::{ProfileField, ProfileInput};

fn raw(s: &str) -> Raw<String> {
    Raw::Value(s.to_owned())
}

/// A PDF of `size` bytes (signature, then filler).
fn document(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..size.saturating_sub(bytes.len())).map(|i| b'a' + (i % 26) as u8));
    bytes
}

fn mb_per_s(bytes: usize, rounds: usize, elapsed: Duration) -> f64 {
    (bytes * rounds) as f64 / (1024.0 * 1024.0) / elapsed.as_secs_f64().max(1e-9)
}

async fn owner_with_case(app: &App) -> Result<Ctx, String> {
    let err = |e: surgicase_app::AppError| e.to_string();
    let input = ProfileInput::new("bench-docs")
        .with(ProfileField::UserEmail, "bench-docs@example.com")
        .with(ProfileField::FirstName, "Bench")
        .with(ProfileField::LastName, "Documents");
    let (ctx, surgeon, facility) = crate::bench::seed_provider(app, &input, "bench").await?;
    let case = NewCaseInput {
        case_id: raw("bench-case"),
        case_date: raw("2025-03-03"),
        surgeon_id: raw(&surgeon.to_string()),
        facility_id: raw(&facility.to_string()),
        patient: Raw::Value(PatientInput {
            first: raw("Pat"),
            last: raw("Ient"),
            ins_provider: raw("Aetna"),
        }),
        ..NewCaseInput::default()
    };
    app.create_case(&ctx, case).await.map_err(err)?;
    Ok(ctx)
}

async fn measure(name: &str, config: &Config, size: usize, rounds: usize) -> Result<(), String> {
    let runtime =
        start(config, StartOptions { migrate: true, seed: true }).await.map_err(|e| e.to_string())?;
    let app = runtime.app;
    let ctx = owner_with_case(&app).await?;
    let bytes = document(size);
    let http = reqwest::Client::new();
    let meta = ObjectMeta { content_type: "application/pdf".into(), metadata: BTreeMap::new() };

    // The port alone.
    let started = Instant::now();
    for i in 0..rounds {
        let key = ObjectKey::parse(&format!("bench/put-{i}.pdf")).map_err(|e| e.to_string())?;
        app.objects().put(&key, bytes.clone(), &meta).await.map_err(|e| e.to_string())?;
    }
    let put = started.elapsed();
    let started = Instant::now();
    for i in 0..rounds {
        let key = ObjectKey::parse(&format!("bench/put-{i}.pdf")).map_err(|e| e.to_string())?;
        let got = app.objects().get(&key).await.map_err(|e| e.to_string())?;
        if got.map(|o| o.bytes.len()) != Some(bytes.len()) {
            return Err("adapter read back the wrong size".into());
        }
    }
    let get = started.elapsed();

    // The whole flow.
    let err = |e: surgicase_app::AppError| e.to_string();
    let mut upload = Duration::ZERO;
    let mut download = Duration::ZERO;
    for i in 0..rounds {
        let request = UploadRequest {
            document_type: "demo_file".into(),
            file_name: format!("bench-{i}.pdf"),
            content_type: "application/pdf".into(),
            size_bytes: Some(bytes.len() as i64),
        };
        let started = Instant::now();
        let ticket = app.case_upload_url(&ctx, "bench-case", &request).await.map_err(err)?;
        if ticket.url.starts_with('/') {
            app.receive_upload(&ctx, &ticket.upload_id, None, bytes.clone()).await.map_err(err)?;
        } else {
            let mut put = http.put(&ticket.url).body(bytes.clone());
            for (k, v) in &ticket.headers {
                put = put.header(k, v);
            }
            let answer = put.send().await.map_err(|e| e.to_string())?;
            if !answer.status().is_success() {
                return Err(format!("presigned PUT answered {}", answer.status()));
            }
        }
        app.confirm_case_upload(&ctx, &ticket.upload_id).await.map_err(err)?;
        upload += started.elapsed();

        let started = Instant::now();
        let doc = app.case_document(&ctx, "bench-case", "demo_file").await.map_err(err)?;
        let got = match doc.body {
            DocumentBody::Bytes(b) => b.len(),
            DocumentBody::Redirect { url, .. } => http
                .get(&url)
                .send()
                .await
                .map_err(|e| e.to_string())?
                .bytes()
                .await
                .map_err(|e| e.to_string())?
                .len(),
        };
        download += started.elapsed();
        if got != bytes.len() {
            return Err("downloaded the wrong size".into());
        }
    }
    let mb = size as f64 / (1024.0 * 1024.0);
    println!(
        "{name:6} {mb:.1} MB x {rounds}: adapter put {:7.1} MB/s  get {:7.1} MB/s | flow upload {:7.1} MB/s ({:6.1} ms/doc)  download {:7.1} MB/s ({:6.1} ms/doc)",
        mb_per_s(size, rounds, put),
        mb_per_s(size, rounds, get),
        mb_per_s(size, rounds, upload),
        upload.as_secs_f64() * 1000.0 / rounds as f64,
        mb_per_s(size, rounds, download),
        download.as_secs_f64() * 1000.0 / rounds as f64,
    );
    Ok(())
}

pub(crate) async fn run(size_mb: usize, rounds: usize, s3_endpoint: Option<String>) -> Result<(), String> {
    let size = size_mb.max(1) * 1024 * 1024;
    let rounds = rounds.max(1);
    let base = std::env::temp_dir().join(format!("surgicase-bench-docs-{}", std::process::id()));
    let mut runs: Vec<(&str, Config)> = Vec::new();
    let local = Config {
        data_dir: base.join("local"),
        database_url: format!("sqlite://{}", base.join("local.db").display()).into(),
        ..Config::default()
    };
    runs.push(("local", local));
    if let Some(endpoint) = s3_endpoint.filter(|e| !e.is_empty()) {
        let mut s3 = Config {
            data_dir: base.join("s3"),
            database_url: format!("sqlite://{}", base.join("s3.db").display()).into(),
            ..Config::default()
        };
        s3.objects.backend = ObjectBackend::S3;
        s3.objects.s3.bucket = "surgicase-bench".into();
        s3.objects.s3.prefix = format!("bench-{}/", std::process::id());
        s3.objects.s3.endpoint = endpoint;
        s3.objects.s3.force_path_style = true;
        s3.objects.s3.create_bucket = true;
        runs.push(("s3", s3));
    }
    let mut outcome = Ok(());
    for (name, config) in &runs {
        if let Err(e) = measure(name, config, size, rounds).await {
            outcome = Err(format!("{name}: {e}"));
            break;
        }
    }
    let _ = std::fs::remove_dir_all(&base);
    outcome
}
