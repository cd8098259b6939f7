//! A fresh world per test: in-memory ports, seeded reference data, a fixed clock.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use surgicase_app::users::Registrar;
use surgicase_app::{App, AppError, AppSettings, Ctx};
use surgicase_cases::{NewCaseInput, PatientInput};
use surgicase_directory::{FacilityInput, SurgeonInput};
use surgicase_kernel::{CaseId, CaseStatus, FixedClock, Raw, UserId};
use surgicase_ports::{ObjectKey, ObjectMeta, ObjectStore, Store};
use surgicase_testkit::{MemoryObjectStore, MemoryStore, StaticNpiRegistry};
use surgicase_users::{ProfileField, ProfileInput};

pub const PDF: &[u8] = b"%PDF-1.4\n% test document\n";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n....";

pub struct World {
    pub app: App,
    pub store: Arc<MemoryStore>,
    pub objects: Arc<MemoryObjectStore>,
    pub npi: Arc<StaticNpiRegistry>,
    pub clock: Arc<FixedClock>,
}

pub struct Provider {
    pub ctx: Ctx,
    pub surgeon: i64,
    pub facility: i64,
}

pub fn raw(s: &str) -> Raw<String> {
    Raw::Value(s.to_owned())
}

pub fn uid(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

impl World {
    pub async fn new() -> World {
        let store = Arc::new(MemoryStore::new());
        let objects = Arc::new(MemoryObjectStore::new());
        let npi = Arc::new(StaticNpiRegistry::new());
        let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 3, 10, 12, 0, 0).unwrap()));
        let app =
            App::new(store.clone(), objects.clone(), npi.clone(), clock.clone(), AppSettings::default());
        surgicase_app::seed::seed_reference(store.as_ref(), clock.as_ref()).await.unwrap();
        World { app, store, objects, npi, clock }
    }

    /// Creates an active user of `user_type` (and `tier`) and returns their context.
    pub async fn user(&self, id: &str, user_type: i64, tier: i64) -> Ctx {
        let input = ProfileInput::new(id)
            .with(ProfileField::UserEmail, format!("{id}@example.com"))
            .with(ProfileField::FirstName, format!("First{}", id.len()))
            .with(ProfileField::LastName, format!("Last-{id}"))
            .with(ProfileField::UserType, user_type)
            .with(ProfileField::UserTier, tier);
        self.app.create_user(&Registrar::System { name: "test" }, &input).await.unwrap();
        let actor = self.app.authenticate(&uid(id)).await.unwrap();
        Ctx::new(actor, Some("req-1".to_owned()))
    }

    /// A provider (type 1) with one surgeon and one facility.
    pub async fn provider(&self, id: &str, tier: i64) -> Provider {
        let ctx = self.user(id, 1, tier).await;
        let (surgeon, facility) = self.address_book(&ctx).await;
        Provider { ctx, surgeon, facility }
    }

    pub async fn address_book(&self, ctx: &Ctx) -> (i64, i64) {
        let surgeon = SurgeonInput {
            first_name: raw("GREGORY"),
            last_name: raw("HOUSE"),
            surgeon_npi: raw("1234567893"),
            ..SurgeonInput::default()
        };
        let surgeon = self.app.create_surgeon(ctx, &surgeon).await.unwrap().surgeon.id.get();
        let facility =
            FacilityInput { facility_name: raw("Princeton Plainsboro"), ..FacilityInput::default() };
        let facility = self.app.create_facility(ctx, &facility).await.unwrap().facility.id.get();
        (surgeon, facility)
    }

    /// Stores an object where the legacy flow looks for `<owner>/<name>`.
    pub async fn upload(&self, owner: &str, name: &str, bytes: &[u8]) {
        let key = ObjectKey::parse(&format!("private/case-documents/{owner}/{name}")).unwrap();
        let meta = ObjectMeta { content_type: "application/pdf".to_owned(), metadata: Default::default() };
        self.objects.put(&key, bytes.to_vec(), &meta).await.unwrap();
    }

    /// Sets a case's stored status directly (what bulk updates and jobs do).
    pub async fn force_status(&self, case_id: &str, status: i64) {
        let mut tx = self.store.begin().await.unwrap();
        let mut case = tx.lock_case(&CaseId::parse(case_id).unwrap()).await.unwrap().unwrap();
        case.row.case_status = CaseStatus::new(status).unwrap();
        tx.update_case(&case.row).await.unwrap();
        tx.commit().await.unwrap();
    }
}

impl Provider {
    /// A case input for this provider's address book.
    pub fn case(&self, case_id: &str, codes: &[&str]) -> NewCaseInput {
        NewCaseInput {
            case_id: raw(case_id),
            case_date: raw("2025-03-03"),
            surgeon_id: raw(&self.surgeon.to_string()),
            facility_id: raw(&self.facility.to_string()),
            patient: Raw::Value(PatientInput {
                first: raw("Jane"),
                last: raw(&format!("Patient-{case_id}")),
                ins_provider: raw("Aetna"),
            }),
            procedure_codes: if codes.is_empty() {
                Raw::Absent
            } else {
                Raw::Value(codes.iter().map(|c| Some((*c).to_owned())).collect())
            },
            ..NewCaseInput::default()
        }
    }
}

/// The code of an error, for table assertions.
pub fn code<T: std::fmt::Debug>(result: Result<T, AppError>) -> String {
    match result {
        Ok(value) => format!("ok: {value:?}"),
        Err(AppError::Validation(errors)) => {
            let fields: Vec<String> = errors.iter().map(|e| format!("{}:{}", e.field, e.code)).collect();
            format!("validation_failed [{}]", fields.join(", "))
        }
        Err(error) => error.code().to_owned(),
    }
}
