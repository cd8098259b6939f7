//! A fresh world over the in-memory ports, in user-id mode: reference data, four users and the
//! owner's address book and case (the personas of the permission matrix).

use std::sync::Arc;

use actix_web::http::header;
use actix_web::test::TestRequest;
use chrono::{TimeZone, Utc};
use serde_json::Value;
use surgicase_app::users::Registrar;
use surgicase_app::{App, AppSettings, Ctx};
use surgicase_cases::{NewCaseInput, PatientInput};
use surgicase_directory::{FacilityInput, SurgeonInput};
use surgicase_kernel::{CaseId, CaseStatus, FixedClock, Raw, UserId};
use surgicase_ports::Store;
use surgicase_testkit::npi::{individual, organization};
use surgicase_testkit::{MemoryObjectStore, MemoryStore, StaticNpiRegistry};
use surgicase_users::{ProfileField, ProfileInput};

use super::support::{Answer, send_to};
use crate::identity::Authenticator;
use crate::routes::ROUTES;
use crate::state::{AppState, Settings};

/// The NPI of the owner's surgeon (an individual in the registry).
pub const SURGEON_NPI: &str = "1234567893";
/// An organisation in the registry.
pub const FACILITY_NPI: &str = "1972672137";

pub struct World {
    pub state: AppState,
    pub store: Arc<dyn Store>,
    pub npi: Arc<StaticNpiRegistry>,
    /// The owner's surgeon and facility, used by `c-owner`.
    pub surgeon: i64,
    pub facility: i64,
    /// The owner's surgeon and facility that no case uses.
    pub spare_surgeon: i64,
    pub spare_facility: i64,
}

fn raw(s: &str) -> Raw<String> {
    Raw::Value(s.to_owned())
}

fn uid(s: &str) -> UserId {
    UserId::parse(s).expect("valid id")
}

impl World {
    /// Users `u-owner` (provider, tier 1), `u-other` (provider), `u-ca` (10), `u-ua` (20); the
    /// owner's surgeons and facilities; the owner's case `c-owner` at status 1 (27447, 450.00).
    pub async fn new() -> World {
        Self::with_settings(Settings::default()).await
    }

    pub async fn with_settings(settings: Settings) -> World {
        Self::filled(Arc::new(MemoryStore::new()), settings).await
    }

    /// The world of [`World::new`] on `store` (an empty, migrated database).
    pub async fn filled(store: Arc<dyn Store>, settings: Settings) -> World {
        let mut world = Self::attached(store, settings, [0; 4]);
        let clock = FixedClock::new(Utc.with_ymd_and_hms(2025, 3, 10, 12, 0, 0).single().expect("valid"));
        surgicase_app::seed::seed_reference(world.store.as_ref(), &clock).await.expect("seeded");
        world.user("u-owner", "Olivia", "Owner", 1).await;
        world.user("u-other", "Oscar", "Other", 1).await;
        world.user("u-ca", "Carla", "Caseadmin", 10).await;
        world.user("u-ua", "Ursula", "Useradmin", 20).await;
        let owner = world.ctx("u-owner").await;
        (world.surgeon, world.facility) =
            world.address_book(&owner, ("GREGORY", "HOUSE", SURGEON_NPI), "Princeton Plainsboro").await;
        (world.spare_surgeon, world.spare_facility) =
            world.address_book(&owner, ("lisa", "cuddy", ""), "Sacred Heart").await;
        let input = world.case_input("c-owner", "Jane", "Doe", &["27447"]);
        world.app().create_case(&owner, input).await.expect("case created");
        world.force_status("c-owner", 1).await;
        world
    }

    /// A world over a store already filled by [`World::filled`] (a copy of its database), with
    /// the owner's surgeons and facilities `[surgeon, facility, spare_surgeon, spare_facility]`.
    pub fn attached(store: Arc<dyn Store>, settings: Settings, ids: [i64; 4]) -> World {
        let npi = Arc::new(
            StaticNpiRegistry::new()
                .with(individual(surgicase_kernel::Npi::parse(SURGEON_NPI).expect("npi"), "GREGORY", "HOUSE"))
                .with(organization(
                    surgicase_kernel::Npi::parse(FACILITY_NPI).expect("npi"),
                    "PRINCETON PLAINSBORO TEACHING HOSPITAL",
                )),
        );
        let clock =
            Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2025, 3, 10, 12, 0, 0).single().expect("valid")));
        let app = App::new(
            store.clone(),
            Arc::new(MemoryObjectStore::new()),
            npi.clone(),
            clock,
            AppSettings::default(),
        );
        let [surgeon, facility, spare_surgeon, spare_facility] = ids;
        World {
            state: AppState::new(settings, Authenticator::UserId, app),
            store,
            npi,
            surgeon,
            facility,
            spare_surgeon,
            spare_facility,
        }
    }

    /// The owner's surgeons and facilities, as [`World::attached`] takes them.
    pub fn address_book_ids(&self) -> [i64; 4] {
        [self.surgeon, self.facility, self.spare_surgeon, self.spare_facility]
    }

    pub fn app(&self) -> &App {
        &self.state.app
    }

    /// Creates an active user (operator path, no permission checks).
    pub async fn user(&self, id: &str, first: &str, last: &str, user_type: i64) {
        let input = ProfileInput::new(id)
            .with(ProfileField::UserEmail, format!("{id}@example.com"))
            .with(ProfileField::FirstName, first.to_owned())
            .with(ProfileField::LastName, last.to_owned())
            .with(ProfileField::UserType, user_type);
        self.app().create_user(&Registrar::System { name: "test" }, &input).await.expect("user created");
    }

    pub async fn ctx(&self, id: &str) -> Ctx {
        Ctx::new(self.app().authenticate(&uid(id)).await.expect("active user"), None)
    }

    /// A surgeon and a facility in `ctx`'s own address book.
    pub async fn address_book_of(&self, ctx: &Ctx) -> (i64, i64) {
        self.address_book(ctx, ("meredith", "grey", ""), "Seattle Grace").await
    }

    /// A new case of `ctx`'s own with the given surgeon and facility.
    pub fn case_for(&self, case_id: &str, surgeon: i64, facility: i64) -> NewCaseInput {
        let mut input = self.case_input(case_id, "Ann", "Other", &["27447"]);
        input.surgeon_id = raw(&surgeon.to_string());
        input.facility_id = raw(&facility.to_string());
        input
    }

    async fn address_book(&self, ctx: &Ctx, surgeon: (&str, &str, &str), facility: &str) -> (i64, i64) {
        let (first, last, npi) = surgeon;
        let surgeon = SurgeonInput {
            first_name: raw(first),
            last_name: raw(last),
            surgeon_npi: raw(npi),
            ..SurgeonInput::default()
        };
        let surgeon = self.app().create_surgeon(ctx, &surgeon).await.expect("surgeon").surgeon.id.get();
        let facility = FacilityInput {
            facility_name: raw(facility),
            facility_state: raw("NJ"),
            ..FacilityInput::default()
        };
        let facility = self.app().create_facility(ctx, &facility).await.expect("facility").facility.id.get();
        (surgeon, facility)
    }

    /// A case of the owner's address book, dated 2025-03-03.
    pub fn case_input(&self, case_id: &str, first: &str, last: &str, codes: &[&str]) -> NewCaseInput {
        NewCaseInput {
            case_id: raw(case_id),
            case_date: raw("2025-03-03"),
            surgeon_id: raw(&self.surgeon.to_string()),
            facility_id: raw(&self.facility.to_string()),
            patient: Raw::Value(PatientInput {
                first: raw(first),
                last: raw(last),
                ins_provider: raw("Aetna"),
            }),
            procedure_codes: Raw::Value(codes.iter().map(|c| Some((*c).to_owned())).collect()),
            ..NewCaseInput::default()
        }
    }

    /// Sets a case's stored status directly (what bulk updates and jobs do).
    pub async fn force_status(&self, case_id: &str, status: i64) {
        let mut tx = self.store.begin().await.expect("tx");
        let id = CaseId::parse(case_id).expect("case id");
        let mut case = tx.lock_case(&id).await.expect("read").expect("case exists");
        case.row.case_status = CaseStatus::new(status).expect("status");
        tx.update_case(&case.row).await.expect("update");
        tx.commit().await.expect("commit");
    }

    /// Sends `req` to the real route table.
    pub async fn send(&self, req: TestRequest) -> Answer {
        send_to(self.state.clone(), ROUTES, req).await
    }

    pub async fn get(&self, uri: &str) -> Answer {
        self.send(TestRequest::get().uri(uri)).await
    }

    pub async fn delete(&self, uri: &str) -> Answer {
        self.send(TestRequest::delete().uri(uri)).await
    }

    pub async fn post(&self, uri: &str, body: &Value) -> Answer {
        self.send(json(TestRequest::post(), uri, body)).await
    }

    pub async fn patch(&self, uri: &str, body: &Value) -> Answer {
        self.send(json(TestRequest::patch(), uri, body)).await
    }
}

/// A request carrying `body` as JSON.
pub fn json(req: TestRequest, uri: &str, body: &Value) -> TestRequest {
    req.uri(uri).insert_header((header::CONTENT_TYPE, "application/json")).set_payload(body.to_string())
}
