//! `delete_case` and `restore_case`: soft delete, idempotent archive, restore.

use surgicase_app::ArchiveOutcome;

use crate::world::{PDF, World, code, raw};

#[tokio::test]
async fn delete_archives_documents_and_a_missing_file_does_not_block() {
    let w = World::new().await;
    let p = w.provider("u-jane", 1).await;
    w.upload("u-jane", "demo.pdf", PDF).await;
    w.upload("u-jane", "note.pdf", PDF).await;
    let mut input = p.case("c-1", &[]);
    input.demo_file = raw("demo.pdf");
    input.note_file = raw("note.pdf");
    w.app.create_case(&p.ctx, input).await.unwrap();
    // Someone removed the note behind our back.
    use surgicase_ports::{ObjectKey, ObjectStore};
    w.objects.delete(&ObjectKey::parse("private/case-documents/u-jane/note.pdf").unwrap()).await.unwrap();

    let deleted = w.app.delete_case(&p.ctx, "c-1").await.unwrap();
    assert!(!deleted.already_inactive);
    assert_eq!(deleted.archive_state.as_str(), "done");
    let outcomes: Vec<(&str, ArchiveOutcome)> =
        deleted.documents.iter().map(|d| (d.document_type.as_str(), d.outcome)).collect();
    assert_eq!(
        outcomes,
        vec![("demo_file", ArchiveOutcome::Deleted), ("note_file", ArchiveOutcome::Missing)]
    );
    assert_eq!(w.objects.keys(), vec!["private/deleted-case-documents/u-jane/demo.pdf".to_owned()]);
    assert_eq!(code(w.app.get_case(&p.ctx, "c-1").await), "case_not_found");

    // Deleting again is harmless; the id stays taken.
    let again = w.app.delete_case(&p.ctx, "c-1").await.unwrap();
    assert!(again.already_inactive);
    assert_eq!(code(w.app.create_case(&p.ctx, p.case("c-1", &[])).await), "case_exists");
}

#[tokio::test]
async fn the_store_being_down_leaves_the_archive_pending() {
    let w = World::new().await;
    let p = w.provider("u-jane", 1).await;
    w.upload("u-jane", "demo.pdf", PDF).await;
    let mut input = p.case("c-1", &[]);
    input.demo_file = raw("demo.pdf");
    w.app.create_case(&p.ctx, input).await.unwrap();
    w.objects.set_unavailable(true);
    let deleted = w.app.delete_case(&p.ctx, "c-1").await.unwrap();
    assert_eq!(deleted.archive_state.as_str(), "pending");
    assert_eq!(deleted.documents[0].outcome, ArchiveOutcome::Pending);
    w.objects.set_unavailable(false);
    let retried = w.app.delete_case(&p.ctx, "c-1").await.unwrap();
    assert!(retried.already_inactive);
    assert_eq!(retried.archive_state.as_str(), "done");
}

#[tokio::test]
async fn restore_brings_the_case_and_its_documents_back() {
    let w = World::new().await;
    let p = w.provider("u-jane", 1).await;
    let admin = w.user("u-admin", 10, 1).await;
    w.upload("u-jane", "demo.pdf", PDF).await;
    let mut input = p.case("c-1", &[]);
    input.demo_file = raw("demo.pdf");
    w.app.create_case(&p.ctx, input).await.unwrap();
    assert_eq!(code(w.app.restore_case(&p.ctx, "c-1", false).await), "forbidden");
    assert_eq!(code(w.app.restore_case(&admin, "c-1", false).await), "case_active");
    w.app.delete_case(&p.ctx, "c-1").await.unwrap();
    // A new case for the same patient and date takes the place of the deleted one.
    let mut twin = p.case("c-2", &[]);
    twin.patient = p.case("c-1", &[]).patient;
    w.app.create_case(&p.ctx, twin).await.unwrap();
    assert_eq!(code(w.app.restore_case(&admin, "c-1", false).await), "duplicate_case");
    let restored = w.app.restore_case(&admin, "c-1", true).await.unwrap();
    assert_eq!(restored.archive_state.as_str(), "done");
    assert!(w.objects.keys().contains(&"private/case-documents/u-jane/demo.pdf".to_owned()));
    assert!(w.app.get_case(&p.ctx, "c-1").await.unwrap().view.case.row.dupe_flag);
}
