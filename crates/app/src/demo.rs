//! `cargo xtask seed --demo`: a small world to click through — the five demo users of the
//! README, their surgeons and facilities, a case in every status of the catalogue for each
//! provider (tiers 1 and 2), and FAQs. Written through the use cases, so the demo data obeys
//! every rule. Safe to run twice: existing users are kept, existing cases skipped, and FAQs
//! added only to a user type without any.

use surgicase_cases::{NewCaseInput, PatientInput};
use surgicase_directory::{FacilityInput, SurgeonInput};
use surgicase_kernel::{CaseStatus, Raw, UserId, UserType};
use surgicase_ports::records::{ActorType, NewFaqRecord};
use surgicase_users::{ProfileField, ProfileInput};

use crate::cases::SystemActor;
use crate::error::{AppError, Conflict};
use crate::users::Registrar;
use crate::{App, Ctx};

/// `(user_id, user_type, tier, first, last)`.
pub const DEMO_USERS: [(&str, i64, i64, &str, &str); 5] = [
    ("demo-admin", 999, 1, "Ada", "Admin"),
    ("demo-useradmin", 20, 1, "Uma", "Useradmin"),
    ("demo-caseadmin", 10, 1, "Cass", "Caseadmin"),
    ("demo-provider", 1, 2, "Pat", "Provider"),
    ("demo-provider-2", 1, 1, "Robin", "Second"),
];

/// `(case suffix, patient first, last, insurer, codes, final status)`.
type DemoCase = (&'static str, &'static str, &'static str, &'static str, &'static [&'static str], i64);

/// One case per status of the catalogue, so every back-office view has something to show.
const DEMO_CASES: [DemoCase; 15] = [
    ("draft", "Mary-Ann", "O'Neil", "Aetna", &["27447"], 0),
    ("submitted", "Omar", "Haddad", "Aetna", &["29881"], 1),
    ("review", "Grace", "Kim", "Medicare", &["58150"], 7),
    ("documents", "Ivan", "Petrov", "Cigna", &["49505"], 8),
    ("ready", "John", "Smith", "Cigna", &["29881", "27447"], 10),
    ("pending", "Ana", "Lopez", "Blue Cross", &["58150"], 15),
    ("paid", "Lee", "Chen", "United", &["49505"], 20),
    ("billing", "Kim", "Park", "Aetna", &["63047"], 30),
    ("received", "Nora", "Blake", "United", &["27447"], 40),
    ("negotiation", "Raj", "Patel", "Humana", &["29881"], 50),
    ("settled", "Eva", "Novak", "Aetna", &["58150"], 60),
    ("idr", "Tom", "Ward", "Cigna", &["49505"], 70),
    ("decision", "Lia", "Moreau", "United", &["27447"], 80),
    ("rejected", "Sam", "Reed", "Humana Gold Plus", &["22612"], 400),
    ("closed", "Ben", "Okafor", "Aetna", &["29881"], 500),
];

/// `(user type, header, text, display order)`: what providers and case admins read first.
const DEMO_FAQS: [(i32, &str, &str, i32); 4] = [
    (
        1,
        "How do I log a case?",
        "Create the case with the patient, date, surgeon, facility and codes, then attach the demo and note files.",
        0,
    ),
    (
        1,
        "When is a case submitted?",
        "As soon as it has a date, a patient, codes and both documents: the rules move it to Submitted.",
        1,
    ),
    (
        1,
        "When am I paid?",
        "Cases ready for billing move to Pending payment every Monday and are paid the Monday after.",
        2,
    ),
    (
        10,
        "How do I move cases to billing?",
        "Use the bulk status update with the cases of the week and status 10.",
        0,
    ),
];

/// What the demo seed wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub users: usize,
    pub cases: usize,
    pub faqs: usize,
}

fn raw(s: &str) -> Raw<String> {
    Raw::Value(s.to_owned())
}

/// Seeds the demo world.
pub async fn seed_demo(app: &App) -> Result<DemoReport, AppError> {
    let mut report = DemoReport::default();
    for (id, user_type, tier, first, last) in DEMO_USERS {
        let input = ProfileInput::new(id)
            .with(ProfileField::UserEmail, format!("{id}@example.com"))
            .with(ProfileField::FirstName, first)
            .with(ProfileField::LastName, last)
            .with(ProfileField::UserType, user_type)
            .with(ProfileField::UserTier, tier)
            .with(ProfileField::State, "NY");
        match app.create_user(&Registrar::System { name: "xtask-seed" }, &input).await {
            Ok(_) => report.users += 1,
            Err(AppError::Conflict(Conflict::UserExists { .. })) => {}
            Err(other) => return Err(other),
        }
    }
    let seeder = SystemActor { actor_type: ActorType::System, name: "xtask-seed".to_owned() };
    for provider in ["demo-provider", "demo-provider-2"] {
        let user = UserId::parse(provider).map_err(|e| AppError::internal(e.to_string()))?;
        let ctx = Ctx::new(app.authenticate(&user).await?, None);
        let (surgeon, facility) = address_book(app, &ctx).await?;
        for (suffix, first, last, insurer, codes, status) in DEMO_CASES {
            let case_id = format!("{provider}_{suffix}");
            let input = NewCaseInput {
                case_id: raw(&case_id),
                case_date: raw("2025-03-03"),
                surgeon_id: raw(&surgeon.to_string()),
                facility_id: raw(&facility.to_string()),
                patient: Raw::Value(PatientInput {
                    first: raw(first),
                    last: raw(last),
                    ins_provider: raw(insurer),
                }),
                patient_dob: raw("1961-07-04"),
                procedure_codes: Raw::Value(codes.iter().map(|c| Some((*c).to_owned())).collect()),
                ..NewCaseInput::default()
            };
            match app.create_case(&ctx, input).await {
                Ok(_) => report.cases += 1,
                Err(AppError::Conflict(Conflict::CaseExists { .. })) => continue,
                Err(other) => return Err(other),
            }
            let to = CaseStatus::new(status).map_err(|e| AppError::internal(e.to_string()))?;
            app.set_case_status_as(&seeder, &case_id, to, Some("demo data")).await?;
        }
    }
    report.faqs = seed_faqs(app).await?;
    Ok(report)
}

/// The demo FAQs of each user type that has none yet.
async fn seed_faqs(app: &App) -> Result<usize, AppError> {
    let mut tx = app.store().begin().await?;
    let mut written = 0;
    for user_type in [1, 10] {
        let user_type = UserType::new(i64::from(user_type)).map_err(|e| AppError::internal(e.to_string()))?;
        if !tx.faqs(user_type).await?.is_empty() {
            continue;
        }
        for (_, header, text, order) in DEMO_FAQS.iter().filter(|f| f.0 == user_type.get()) {
            let faq = NewFaqRecord {
                user_type,
                faq_header: (*header).to_owned(),
                faq_text: (*text).to_owned(),
                display_order: *order,
            };
            tx.insert_faq(&faq).await?;
            written += 1;
        }
    }
    tx.commit().await?;
    Ok(written)
}

/// The provider's first surgeon and facility, created when missing.
async fn address_book(app: &App, ctx: &Ctx) -> Result<(i64, i64), AppError> {
    let (_, surgeons) = app.list_surgeons(ctx, None).await?;
    let surgeon = match surgeons.first() {
        Some(s) => s.id.get(),
        None => {
            let input = SurgeonInput {
                first_name: raw("MEREDITH"),
                last_name: raw("GREY"),
                surgeon_npi: raw("1234567893"),
                surgeon_city: raw("Seattle"),
                surgeon_state: raw("WA"),
                ..SurgeonInput::default()
            };
            app.create_surgeon(ctx, &input).await?.surgeon.id.get()
        }
    };
    let (_, facilities) = app.list_facilities(ctx, None).await?;
    let facility = match facilities.first() {
        Some(f) => f.id.get(),
        None => {
            let input = FacilityInput {
                facility_name: raw("Grey Sloan Memorial Hospital"),
                facility_city: raw("Seattle"),
                facility_state: raw("WA"),
                ..FacilityInput::default()
            };
            app.create_facility(ctx, &input).await?.facility.id.get()
        }
    };
    Ok((surgeon, facility))
}
