//! Business counters move with the use cases (through a recorder local to the test thread).

use metrics_exporter_prometheus::PrometheusBuilder;
use serde_json::json;
use surgicase_app::counters;

use crate::world::World;

#[test]
fn creating_and_updating_cases_counts() {
    let recorder = PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();
    metrics::with_local_recorder(&recorder, || {
        futures::executor::block_on(async {
            counters::describe();
            let w = World::new().await;
            let jane = w.provider("u-jane", 1).await;
            let request = jane.case("c-1", &["27447"]);
            w.app.create_case(&jane.ctx, request).await.unwrap();
            let bug = json!({"bug": {"title": "x"}});
            w.app.file_bug(&jane.ctx, bug.as_object().unwrap()).await.unwrap();
        })
    });
    let text = handle.render();
    for line in [
        "surgicase_cases_created_total 1",
        "surgicase_case_status_transitions_total{from=\"none\",to=\"0\",source=\"create\"} 1",
        "surgicase_pay_recomputations_total{trigger=\"case_create\"} 1",
        "surgicase_bugs_filed_total{outcome=\"disabled\"} 1",
        "# HELP surgicase_cases_created_total Cases created",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
}
