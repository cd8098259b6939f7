//! Surgeons, facilities, the NPI searches, `/check_npi` and the public reference lists.

use serde_json::json;
use surgicase_ports::records::{NpiOrganizationRecord, NpiPersonRecord};

use super::cases::{keys, sorted};
use super::world::{FACILITY_NPI, SURGEON_NPI, World};

#[actix_web::test]
async fn surgeons_of_an_address_book() {
    let w = World::new().await;
    let uri = "/surgeon?calling_user_id=u-owner";
    let answer =
        w.post(uri, &json!({"first_name": "GREG", "last_name": "House", "surgeon_npi": SURGEON_NPI})).await;
    assert_eq!(answer.status, 409, "{}", answer.raw);
    assert_eq!(answer.error_code(), "surgeon_exists");
    assert_eq!(answer.body["existing_surgeon_id"], w.surgeon);

    let body = json!({"first_name": "meredith", "last_name": "GREY", "surgeon_npi": 1_000_000_004_i64,
                      "surgeon_addr": "1 Main St", "surgeon_city": "Seattle", "surgeon_state": "wa", "surgeon_zip": 98101});
    let answer = w.post(uri, &body).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    let id = answer.body["surgeon_id"].as_i64().unwrap_or_default();
    assert_eq!(
        answer.body,
        json!({"message": "Surgeon created successfully", "surgeon_id": id, "user_id": "u-owner",
               "first_name": "Meredith", "last_name": "Grey", "surgeon_npi": 1_000_000_004_i64,
               "surgeon_addr": "1 Main St", "surgeon_city": "Seattle", "surgeon_state": "WA", "surgeon_zip": "98101"})
    );

    let answer = w.get("/surgeons?user_id=u-owner").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(keys(&answer.body), sorted(&["user_id", "surgeons"]));
    let names: Vec<&str> = answer.body["surgeons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["last_name"].as_str())
        .collect();
    assert_eq!(names, vec!["Cuddy", "Grey", "House"], "by last, first name");
    assert_eq!(answer.body["surgeons"][0]["surgeon_npi"], json!(null), "no NPI is null");

    let answer = w.delete(&format!("/surgeon?surgeon_id={}&user_id=u-owner", w.surgeon)).await;
    assert_eq!(answer.status, 409, "{}", answer.raw);
    assert_eq!(answer.error_code(), "surgeon_in_use");
    assert_eq!(answer.body["case_count"], 1);
    let answer = w.delete(&format!("/surgeon?surgeon_id={id}&user_id=u-owner")).await;
    assert_eq!(
        answer.body,
        json!({"message": "Surgeon deleted successfully", "surgeon_id": id}),
        "{}",
        answer.raw
    );
    let answer = w.delete(&format!("/surgeon?surgeon_id={id}&user_id=u-owner")).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.error_code(), "surgeon_not_found");
    for (query, code) in
        [("surgeon_id=abc", "invalid_format"), ("surgeon_id=-3", "out_of_range"), ("", "required")]
    {
        let answer = w.delete(&format!("/surgeon?user_id=u-owner&{query}")).await;
        assert_eq!(answer.field_errors(), vec![("surgeon_id".to_owned(), code.to_owned())], "{query}");
    }
    let answer =
        w.post(uri, &json!({"first_name": ["x"], "last_name": "", "surgeon_npi": "1234567890"})).await;
    let mut errors = answer.field_errors();
    errors.sort();
    assert_eq!(
        errors,
        vec![
            ("first_name".to_owned(), "invalid_type".to_owned()),
            ("last_name".to_owned(), "required".to_owned()),
            ("surgeon_npi".to_owned(), "invalid_npi".to_owned()),
        ],
        "{}",
        answer.raw
    );
}

#[actix_web::test]
async fn facilities_of_an_address_book() {
    let w = World::new().await;
    let body = json!({"user_id": "u-owner", "facility_name": "Seattle  Grace", "facility_npi": FACILITY_NPI, "facility_state": "wa"});
    let answer = w.post("/facility", &body).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    let id = answer.body["facility_id"].as_i64().unwrap_or_default();
    assert_eq!(
        answer.body,
        json!({"message": "Facility created successfully", "facility_id": id, "user_id": "u-owner",
               "facility_name": "Seattle Grace", "facility_npi": 1_972_672_137_i64, "facility_addr": null,
               "facility_city": null, "facility_state": "WA", "facility_zip": null})
    );
    let answer = w.post("/facility", &body).await;
    assert_eq!(answer.error_code(), "facility_exists");
    assert_eq!(answer.body["existing_facility_id"], id);
    let answer = w.get("/facilities?user_id=u-owner").await;
    assert_eq!(answer.body["facilities"].as_array().map(Vec::len), Some(3), "{}", answer.raw);
    assert_eq!(
        keys(&answer.body["facilities"][0]),
        sorted(&[
            "facility_id",
            "facility_name",
            "facility_npi",
            "facility_addr",
            "facility_city",
            "facility_state",
            "facility_zip"
        ])
    );
    let answer = w.delete(&format!("/facility?facility_id={}&user_id=u-owner", w.facility)).await;
    assert_eq!(answer.error_code(), "facility_in_use");
    let answer = w.delete(&format!("/facility?facility_id={id}&user_id=u-owner")).await;
    assert_eq!(answer.body, json!({"message": "Facility deleted successfully", "facility_id": id}));
    // Someone else's facility is not found, never forbidden.
    let answer = w.delete(&format!("/facility?facility_id={}&user_id=u-other", w.spare_facility)).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.error_code(), "facility_not_found");
}

async fn seed_npi_tables(w: &World) {
    let mut tx = w.store.begin().await.expect("tx");
    let people: Vec<NpiPersonRecord> = (0..3)
        .map(|i| NpiPersonRecord {
            npi: 1_234_567_893 + i,
            first_name: Some("MARY".to_owned()),
            last_name: Some("O'NEIL".to_owned()),
            address: Some("12 N MAIN ST".to_owned()),
            city: Some("NEW YORK".to_owned()),
            state: Some("NY".to_owned()),
            zip: Some("10001".to_owned()),
        })
        .collect();
    tx.upsert_npi_people(&people).await.expect("people");
    tx.upsert_npi_organizations(&[NpiOrganizationRecord {
        npi: 1_972_672_137,
        facility_name: Some("HOSPITAL FOR SPECIAL SURGERY LLC".to_owned()),
        address: None,
        city: Some("NEW YORK".to_owned()),
        state: Some("NY".to_owned()),
        zip: None,
    }])
    .await
    .expect("organizations");
    tx.commit().await.expect("commit");
}

#[actix_web::test]
async fn searches_of_the_npi_tables() {
    let w = World::new().await;
    seed_npi_tables(&w).await;
    let answer = w.get("/search_surgeon?first_name=%20mar&last_name=o'n&limit=2&user_id=u-owner").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(keys(&answer.body), sorted(&["message", "search_criteria", "surgeons", "truncated"]));
    assert_eq!(answer.body["message"], "Found 2 matching surgeon(s)");
    assert_eq!(answer.body["search_criteria"], json!({"first_name": "mar", "last_name": "o'n"}));
    assert_eq!(answer.body["truncated"], true);
    assert_eq!(
        answer.body["surgeons"][0],
        json!({"npi": 1_234_567_893_i64, "first_name": "Mary", "last_name": "O'Neil", "address": "12 N Main St",
               "city": "New York", "state": "NY", "zip": "10001"})
    );
    let answer = w.get(&format!("/search_surgeon?first_name={SURGEON_NPI}&user_id=u-owner")).await;
    assert_eq!(
        (answer.body["message"].as_str(), answer.body["truncated"].as_bool()),
        (Some("Found 1 matching surgeon(s)"), Some(false))
    );
    assert_eq!(answer.body["search_criteria"], json!({"first_name": SURGEON_NPI, "last_name": null}));
    let answer = w.get("/search_surgeon?first_name=mary&user_id=u-owner").await;
    assert_eq!(answer.status, 422, "both names are needed: {}", answer.raw);

    let answer = w.get("/search_facility?facility_name=special&user_id=u-owner").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.body["message"], "Found 1 matching facility(ies)");
    assert_eq!(answer.body["search_criteria"], json!({"facility_name": "special"}));
    assert_eq!(
        answer.body["facilities"][0],
        json!({"npi": 1_972_672_137_i64, "facility_name": "Hospital for Special Surgery LLC", "address": null,
               "city": "New York", "state": "NY", "zip": null})
    );
    let answer = w.get("/search_surgeon?first_name=mar&last_name=o").await;
    assert_eq!(answer.status, 401, "searches need a user");
}

#[actix_web::test]
async fn check_npi_against_the_registry() {
    let w = World::new().await;
    // Registrant: nobody needs to be named in user-id mode.
    let answer = w.get(&format!("/check_npi?npi={SURGEON_NPI}")).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.body, json!({"npi": SURGEON_NPI, "first_name": "Gregory", "last_name": "House"}));
    let answer = w.get(&format!("/check_npi?npi={FACILITY_NPI}&facility=true")).await;
    assert_eq!(
        answer.body,
        json!({"npi": FACILITY_NPI, "first_name": "Princeton Plainsboro Teaching Hospital", "last_name": ""}),
        "{}",
        answer.raw
    );
    let answer = w.get("/check_npi?npi=1000000004").await;
    assert_eq!(answer.status, 404, "{}", answer.raw);
    assert_eq!(answer.error_code(), "npi_not_found");
    let answer = w.get("/check_npi?npi=1234567890").await;
    assert_eq!(answer.status, 422);
    assert_eq!(answer.field_errors(), vec![("npi".to_owned(), "invalid_npi".to_owned())]);
    let answer = w.get("/check_npi").await;
    assert_eq!(answer.field_errors(), vec![("npi".to_owned(), "required".to_owned())], "{}", answer.raw);
    let answer = w.get(&format!("/check_npi?npi={SURGEON_NPI}&facility=1")).await;
    assert_eq!(answer.status, 422);
    assert_eq!(answer.error_code(), "npi_wrong_entity_type");
    assert_eq!(answer.body["npi"], SURGEON_NPI);
    let lookups = w.npi.lookups();
    let answer = w.get("/check_npi?npi=1234567890").await;
    assert_eq!(answer.status, 422);
    assert_eq!(w.npi.lookups(), lookups, "an invalid check digit never reaches the registry");
    w.npi.set_unavailable(true);
    let answer = w.get(&format!("/check_npi?npi={SURGEON_NPI}")).await;
    assert_eq!(answer.status, 502, "{}", answer.raw);
    assert_eq!(answer.error_code(), "npi_registry_unavailable");
}

#[actix_web::test]
async fn public_reference_lists() {
    let w = World::new().await;
    let answer = w.get("/cpt_codes?q=knee").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(
        answer.body,
        json!({"cpt_codes": [
            {"cpt_code": "27447", "cpt_description": "Knee replacement, total"},
            {"cpt_code": "29880", "cpt_description": "Knee arthroscopy, both menisci"},
            {"cpt_code": "29881", "cpt_description": "Knee arthroscopy, one meniscus"},
        ]})
    );
    let answer = w.get("/cpt_codes?limit=2").await;
    assert_eq!(answer.body["cpt_codes"].as_array().map(Vec::len), Some(2));
    let answer = w.get("/cpt_codes?limit=0").await;
    assert_eq!(answer.field_errors(), vec![("limit".to_owned(), "out_of_range".to_owned())]);
    let answer = w.get("/doctypes").await;
    assert_eq!(
        answer.body["document_types"][0],
        json!({"doc_type": "Board Certification"}),
        "{}",
        answer.raw
    );
    assert_eq!(answer.body["document_types"].as_array().map(Vec::len), Some(6));
    let answer = w.get("/timezones").await;
    assert_eq!(
        answer.body["timezones"][0],
        json!({"tz_identifier": "America/Anchorage", "utc_offset": "UTC-09:00"})
    );
}
