//! `migrate` and `seed`.

use surgicase_config::Config;
use surgicase_runtime::{StartOptions, open_store, start};

pub(crate) fn config() -> Result<Config, String> {
    surgicase_config::load().map_err(|e| e.to_string())
}

pub(crate) async fn migrate() -> Result<(), String> {
    let config = config()?;
    let db = open_store(&config).await.map_err(|e| e.to_string())?;
    let report = db.migrate().await.map_err(|e| e.to_string())?;
    if report.ran.is_empty() {
        println!("database is up to date ({} migrations applied)", report.applied.len());
    } else {
        for version in &report.ran {
            println!("applied {version}");
        }
    }
    Ok(())
}

pub(crate) async fn seed(demo: bool) -> Result<(), String> {
    let config = config()?;
    let runtime =
        start(&config, StartOptions { migrate: true, seed: false }).await.map_err(|e| e.to_string())?;
    let clock = runtime.app.clock().clone();
    let report = surgicase_app::seed::seed_reference(runtime.app.store().as_ref(), clock.as_ref())
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "reference data: {} statuses, {} user types, {} document types, {} time zones, {} procedure codes, \
         {} pay tiers, {} auto-fixes",
        report.statuses,
        report.user_types,
        report.doc_types,
        report.timezones,
        report.procedure_codes,
        report.pay_tiers,
        report.auto_fixes
    );
    if demo {
        let demo = surgicase_app::demo::seed_demo(&runtime.app).await.map_err(|e| e.to_string())?;
        println!("demo data: {} new users, {} new cases, {} new FAQs", demo.users, demo.cases, demo.faqs);
        println!("try: curl 'http://127.0.0.1:8000/case_filter?user_id=demo-provider'");
    }
    Ok(())
}
