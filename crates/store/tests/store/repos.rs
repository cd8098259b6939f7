//! Round trips and the error translation of each repository.

use surgicase_kernel::{CaseStatus, Money, UserType};
use surgicase_ports::records::*;
use surgicase_ports::{Store, StoreError};
use surgicase_store::testing::exec_raw;

use crate::fixtures::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_round_trips_with_every_column() {
    for store in stores().await {
        let backend = store.backend();
        seed_with_users(&store, &["u-1"]).await;
        let mut conn = store.conn().await.unwrap();
        let surgeon = conn
            .surgeons()
            .insert(&NewSurgeonRecord {
                user_id: uid("u-1"),
                name: PersonName { first_name: "Gregory".into(), last_name: "House".into() },
                npi: Some(1_234_567_893),
                address: PostalAddress { state: Some("NJ".into()), ..PostalAddress::default() },
                created_ts: t0(),
            })
            .await
            .unwrap();
        assert_eq!(surgeon.id.get(), 100_000, "{backend:?}");
        let facility = conn
            .facilities()
            .insert(&NewFacilityRecord {
                user_id: uid("u-1"),
                name: "Princeton Plainsboro".into(),
                npi: None,
                address: PostalAddress { state: Some("NJ".into()), ..PostalAddress::default() },
                created_ts: t0(),
            })
            .await
            .unwrap();
        assert_eq!(facility.id.get(), 1_000_000, "{backend:?}");

        let mut row = full_case_row("c-1", "u-1");
        row.surgeon_id = Some(surgeon.id);
        row.facility_id = Some(facility.id);
        let mut tx = store.begin().await.unwrap();
        let human = tx.insert_case(&row).await.unwrap();
        tx.replace_case_codes(&row.case_id, &codes(3)).await.unwrap();
        let locked = tx.lock_case(&row.case_id).await.unwrap().unwrap();
        tx.commit().await.unwrap();
        assert_eq!(locked.human_case_id, human);
        assert_eq!(locked.row, row, "{backend:?}");
        assert!(!locked.phi_encrypted);
        assert_eq!(locked.codes, codes(3));

        let view = conn.get_case_view(&row.case_id, Some(CaseStatus::PAID), None).await.unwrap().unwrap();
        assert_eq!(view.case.row, row);
        assert_eq!(view.joins.surgeon_last.as_deref(), Some("House"));
        assert_eq!(view.joins.surgeon_npi, Some(1_234_567_893));
        assert_eq!(view.joins.facility_name.as_deref(), Some("Princeton Plainsboro"));
        assert_eq!(view.joins.owner_first.as_deref(), Some("Jane"));
        assert_eq!(view.joins.status_desc.as_deref(), Some("Ready for billing"));
        assert_eq!(view.joins.described_status_desc.as_deref(), Some("Paid"));
        let plain = conn.get_case_view(&row.case_id, None, None).await.unwrap().unwrap();
        assert_eq!(plain.joins.described_status_desc, None);
        assert!(conn.get_case_view(&cid("c-none"), None, None).await.unwrap().is_none());
        assert!(conn.case_id_taken(&row.case_id).await.unwrap());

        // The PHI columns are stored through the codec: clear text today, flag 0, keyed index.
        assert_eq!(conn.surgeons().count_cases_with(surgeon.id).await.unwrap(), 1);
        let err = conn.surgeons().delete(surgeon.id).await.unwrap_err();
        assert!(matches!(err, StoreError::Reference(_)), "{backend:?}: {err:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_and_references_are_reported() {
    for store in stores().await {
        let backend = store.backend();
        seed_with_users(&store, &["u-1"]).await;
        let mut conn = store.conn().await.unwrap();
        conn.insert_case(&case_row("c-1", "u-1")).await.unwrap();
        let dup = conn.insert_case(&case_row("c-1", "u-1")).await.unwrap_err();
        assert!(matches!(dup, StoreError::Duplicate(_)), "{backend:?}: {dup:?}");
        assert!(!dup.to_string().contains("Mary"), "no values in messages: {dup}");
        let dup = conn.insert_user(&user("u-1")).await.unwrap_err();
        assert!(matches!(dup, StoreError::Duplicate(_)), "{backend:?}: {dup:?}");
        let missing_owner = conn.insert_case(&case_row("c-2", "u-nobody")).await.unwrap_err();
        assert!(matches!(missing_owner, StoreError::Reference(_)), "{backend:?}: {missing_owner:?}");
        let bad_type = conn
            .insert_user(&UserRecord { user_type: UserType::new(55).unwrap(), ..user("u-2") })
            .await
            .unwrap_err();
        assert!(matches!(bad_type, StoreError::Reference(_)), "{backend:?}: {bad_type:?}");
        let twice = [codes(1), codes(1)].concat();
        let err = conn.replace_case_codes(&cid("c-1"), &twice).await.unwrap_err();
        assert!(matches!(err, StoreError::Duplicate(_)), "{backend:?}: {err:?}");
        let err = conn.append_history(&[history("c-none", None, 0)]).await.unwrap_err();
        assert!(matches!(err, StoreError::Reference(_)), "{backend:?}: {err:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_stored_values_are_corrupt_not_panics() {
    for store in stores().await {
        let backend = store.backend();
        seed_with_users(&store, &["u-1"]).await;
        let mut conn = store.conn().await.unwrap();
        conn.insert_case(&case_row("c-1", "u-1")).await.unwrap();
        exec_raw(
            &store,
            "INSERT INTO case_status_list (case_status, case_status_desc) VALUES (5000, 'Bogus')",
        )
        .await
        .unwrap();
        exec_raw(&store, "UPDATE cases SET case_status = 5000 WHERE case_id = 'c-1'").await.unwrap();
        let err = conn.get_case_view(&cid("c-1"), None, None).await.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{backend:?}: {err:?}");
        let err = conn.case_statuses().await.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{backend:?}: {err:?}");
        // An encrypted row cannot be read by this build, and says so without its content.
        exec_raw(&store, "UPDATE cases SET case_status = 0, phi_encrypted = 1 WHERE case_id = 'c-1'")
            .await
            .unwrap();
        let err = conn.get_case_view(&cid("c-1"), None, None).await.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{backend:?}: {err:?}");
        assert!(!err.to_string().contains("Mary"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_are_found_by_the_blind_index() {
    for store in stores().await {
        let backend = store.backend();
        seed_with_users(&store, &["u-1", "u-2"]).await;
        let mut conn = store.conn().await.unwrap();
        conn.insert_case(&case_row("c-1", "u-1")).await.unwrap();
        let key = name_key("  MARY-ANN   ", "o'neil");
        let owner = uid("u-1");
        let found = conn.find_duplicate(&owner, date("2025-03-03"), &key, None).await.unwrap().unwrap();
        assert_eq!(found.case_id, cid("c-1"), "{backend:?}");
        assert_eq!((found.patient_first.as_str(), found.patient_last.as_str()), ("Mary-Ann", "O'Neil"));
        assert!(
            conn.find_duplicate(&owner, date("2025-03-03"), &key, Some(&cid("c-1"))).await.unwrap().is_none()
        );
        assert!(conn.find_duplicate(&owner, date("2025-03-04"), &key, None).await.unwrap().is_none());
        assert!(conn.find_duplicate(&uid("u-2"), date("2025-03-03"), &key, None).await.unwrap().is_none());
        let other = name_key("Mary", "O'Neil");
        assert!(conn.find_duplicate(&owner, date("2025-03-03"), &other, None).await.unwrap().is_none());
        // Deleted cases are not duplicates.
        let gone =
            conn.deactivate_owner_cases(&owner, CaseStatus::PENDING_PAYMENT, t0(), "u-admin").await.unwrap();
        assert_eq!(gone, vec![cid("c-1")]);
        assert!(conn.find_duplicate(&owner, date("2025-03-03"), &key, None).await.unwrap().is_none());
        let deleted = conn.get_case_view(&cid("c-1"), None, None).await.unwrap().unwrap().case.row;
        assert!(!deleted.active);
        assert_eq!(deleted.archive_state, Some(surgicase_kernel::ArchiveState::Pending));
        assert_eq!(deleted.deleted_by.as_deref(), Some("u-admin"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_lists_filter_order_and_count() {
    for store in stores().await {
        let backend = store.backend();
        seed_with_users(&store, &["u-1", "u-2"]).await;
        let mut conn = store.conn().await.unwrap();
        let specs = [
            ("c-a", "u-1", 0, "2025-03-01", 1),
            ("c-b", "u-1", 20, "2025-03-02", 2),
            ("c-c", "u-2", 400, "2025-03-02", 3),
            ("c-d", "u-1", 30, "2025-03-05", 4),
            ("c-e", "u-2", 10, "2025-03-05", 4),
        ];
        for (id, owner, st, day, minute) in specs {
            let mut row = case_row(id, owner);
            row.case_status = status(st);
            row.case_date = date(day);
            row.case_create_ts = at(&format!("2025-03-06T10:0{minute}:00Z"));
            conn.insert_case(&row).await.unwrap();
        }
        let mut q = CaseQuery {
            owner: None,
            status: None,
            date_from: None,
            date_to: None,
            describe: None,
            order: CaseOrder::NewestFirst,
            limit: 10,
            offset: 0,
        };
        let ids =
            |page: &CasePage| page.items.iter().map(|i| i.case.row.case_id.to_string()).collect::<Vec<_>>();
        let all = conn.list_cases(&q).await.unwrap();
        assert_eq!(all.total, 5);
        assert_eq!(ids(&all), ["c-e", "c-d", "c-c", "c-b", "c-a"], "{backend:?}");

        q.status =
            Some(StoredStatusMatch { exact: vec![CaseStatus::DRAFT], shown_as_cap: Some(CaseStatus::PAID) });
        let matched = conn.list_cases(&q).await.unwrap();
        assert_eq!(ids(&matched), ["c-d", "c-a"], "{backend:?}");

        q.status = None;
        q.order = CaseOrder::CaseDateDesc;
        q.date_from = Some(date("2025-03-02"));
        q.limit = 2;
        q.offset = 1;
        let page = conn.list_cases(&q).await.unwrap();
        assert_eq!(page.total, 4);
        // 03-05: c-e (u-2), c-d (u-1) share owner names, so case_id desc; then 03-02 …
        assert_eq!(ids(&page), ["c-d", "c-c"], "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_round_trip_and_list_in_order() {
    for store in stores().await {
        let backend = store.backend();
        seed(&store).await;
        let mut conn = store.conn().await.unwrap();
        let mut a = user("u-a");
        a.first_name = Some("bob".into());
        let mut b = user("u-b");
        b.first_name = Some("Alice".into());
        let mut c = user("u-c");
        c.first_name = None;
        c.active = false;
        let admin = UserRecord { user_type: UserType::SYSTEM_ADMIN, ..user("u-admin") };
        for u in [&a, &b, &c, &admin] {
            conn.insert_user(u).await.unwrap();
        }
        assert_eq!(conn.get_user(&uid("u-a")).await.unwrap().as_ref(), Some(&a), "{backend:?}");

        let page = conn
            .list_users(&UserQuery {
                max_user_type: UserType::CASE_ADMIN,
                include_inactive: true,
                limit: 10,
                offset: 0,
            })
            .await
            .unwrap();
        let order: Vec<&str> = page.users.iter().map(|u| u.user.user_id.as_str()).collect();
        assert_eq!(order, ["u-c", "u-b", "u-a"], "{backend:?}: NULL first, then case-insensitive");
        assert_eq!(page.total, 3);
        assert_eq!(page.users[0].user_type_desc.as_deref(), Some("Provider"));
        let active = conn
            .list_users(&UserQuery {
                max_user_type: UserType::SYSTEM_ADMIN,
                include_inactive: false,
                limit: 1,
                offset: 1,
            })
            .await
            .unwrap();
        assert_eq!(active.total, 3);
        assert_eq!(active.users.len(), 1);

        let doc = UserDocumentRecord {
            user_id: uid("u-a"),
            document_type: "W9".into(),
            document_name: "w9.pdf".into(),
            object_key: "private/user-documents/u-a/W9/w9.pdf".into(),
            location: surgicase_kernel::DocumentLocation::Live,
            size_bytes: Some(123),
            sha256: Some("ab".repeat(32)),
            content_type: Some("application/pdf".into()),
            uploaded_by: Some("u-a".into()),
            uploaded_ts: Some(t0()),
        };
        conn.put_user_documents(std::slice::from_ref(&doc)).await.unwrap();
        let renamed = UserDocumentRecord { document_name: "w9-2025.pdf".into(), ..doc.clone() };
        conn.put_user_documents(std::slice::from_ref(&renamed)).await.unwrap();
        let view = conn.get_user_view(&uid("u-a")).await.unwrap().unwrap();
        assert_eq!(view.documents, vec![renamed], "{backend:?}");
        conn.remove_user_documents(&uid("u-a"), &["W9".into()]).await.unwrap();
        assert!(conn.get_user_view(&uid("u-a")).await.unwrap().unwrap().documents.is_empty());

        let later = at("2025-03-03T10:16:00Z");
        assert!(conn.touch_last_login(&uid("u-a"), t0(), 60).await.unwrap());
        assert!(
            !conn.touch_last_login(&uid("u-a"), later, 60).await.unwrap(),
            "{backend:?}: within a minute"
        );
        let much_later = at("2025-03-03T10:20:00Z");
        assert!(conn.touch_last_login(&uid("u-a"), much_later, 60).await.unwrap());
        assert_eq!(conn.get_user(&uid("u-a")).await.unwrap().unwrap().last_login_dt, Some(much_later));

        let mut changed = a.clone();
        changed.city = Some("Dallas".into());
        changed.create_ts = at("2020-01-01T00:00:00Z");
        conn.update_user(&changed).await.unwrap();
        let stored = conn.get_user(&uid("u-a")).await.unwrap().unwrap();
        assert_eq!(stored.city.as_deref(), Some("Dallas"));
        assert_eq!(stored.create_ts, a.create_ts, "create_ts is never updated");

        conn.upsert_preset_tiers(&[PresetTierRecord {
            user_email: "Jane.Doe@Example.com".into(),
            tier: 3,
            first_name: None,
        }])
        .await
        .unwrap();
        let tiers = conn.preset_tiers(&["jane.doe@example.COM".into(), "x@y.z".into()]).await.unwrap();
        assert_eq!(tiers.len(), 1, "{backend:?}");
        assert_eq!(tiers[0].tier, 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_and_npi_searches() {
    for store in stores().await {
        let backend = store.backend();
        seed_with_users(&store, &["u-1"]).await;
        let mut conn = store.conn().await.unwrap();
        for (first, last) in [("anna", "Smith"), ("Bob", "smith"), ("Carl", "Adams")] {
            conn.surgeons()
                .insert(&NewSurgeonRecord {
                    user_id: uid("u-1"),
                    name: PersonName { first_name: first.into(), last_name: last.into() },
                    npi: None,
                    address: PostalAddress::default(),
                    created_ts: t0(),
                })
                .await
                .unwrap();
        }
        let names: Vec<String> =
            conn.surgeons().list(&uid("u-1")).await.unwrap().into_iter().map(|s| s.name.first_name).collect();
        assert_eq!(names, ["Carl", "anna", "Bob"], "{backend:?}");

        let people = [
            (1_111_111_112, "JOHN", "SMITH", "TX", "AUSTIN"),
            (1_111_111_113, "JOAN", "SMITHERS", "AL", "MOBILE"),
            (1_111_111_114, "JOHN", "SMYTH", "AL", "MOBILE"),
            (1_111_111_115, "J_HN", "SMITH", "AL", "MOBILE"),
        ];
        let rows: Vec<NpiPersonRecord> = people
            .iter()
            .map(|(npi, f, l, s, c)| NpiPersonRecord {
                npi: *npi,
                first_name: Some((*f).into()),
                last_name: Some((*l).into()),
                address: None,
                city: Some((*c).into()),
                state: Some((*s).into()),
                zip: None,
            })
            .collect();
        conn.upsert_npi_people(&rows).await.unwrap();
        conn.upsert_npi_people(&rows[..1]).await.unwrap();
        let found = conn
            .search_people(
                &PersonSearch::ByName { first_prefix: "jo".into(), last_prefix: "smith".into() },
                10,
            )
            .await
            .unwrap();
        let npis: Vec<i64> = found.iter().map(|p| p.npi).collect();
        assert_eq!(npis, [1_111_111_113, 1_111_111_112], "{backend:?}: by state, city, last, first");
        let wild = conn
            .search_people(&PersonSearch::ByName { first_prefix: "J_".into(), last_prefix: "".into() }, 10)
            .await
            .unwrap();
        assert_eq!(
            wild.iter().map(|p| p.npi).collect::<Vec<_>>(),
            [1_111_111_115],
            "{backend:?}: _ is literal"
        );
        let one = conn.search_people(&PersonSearch::ByNpi(1_111_111_114), 10).await.unwrap();
        assert_eq!(one.len(), 1);

        conn.upsert_npi_organizations(&[NpiOrganizationRecord {
            npi: 1_222_222_222,
            facility_name: Some("ST. MARY 100% CARE".into()),
            address: None,
            city: None,
            state: Some("TX".into()),
            zip: None,
        }])
        .await
        .unwrap();
        let orgs = conn.search_organizations(&OrganizationSearch::ByName("100% c".into()), 5).await.unwrap();
        assert_eq!(orgs.len(), 1, "{backend:?}");
        let none = conn.search_organizations(&OrganizationSearch::ByName("100x".into()), 5).await.unwrap();
        assert!(none.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_data_and_prices() {
    for store in stores().await {
        let backend = store.backend();
        seed(&store).await;
        let mut conn = store.conn().await.unwrap();
        let statuses = conn.case_statuses().await.unwrap();
        assert_eq!(statuses.len(), 15);
        assert_eq!(statuses.last().map(|s| s.case_status), Some(CaseStatus::CLOSED));
        conn.upsert_statuses(&[StatusRecord {
            case_status: CaseStatus::CLOSED,
            case_status_desc: "Done".into(),
        }])
        .await
        .unwrap();
        assert_eq!(conn.case_statuses().await.unwrap().len(), 15, "{backend:?}: upsert updates");

        let info = conn.code_info(&["10000".into(), "10001".into(), "99999".into()], 2).await.unwrap();
        let prices: Vec<(String, Option<Money>)> =
            info.into_iter().map(|i| (i.procedure_code, i.price)).collect();
        assert_eq!(
            prices,
            [
                ("10000".to_owned(), Some(Money::from_cents(45_000))),
                ("10001".to_owned(), Some(Money::from_cents(30_000)))
            ]
        );
        let info = conn.code_info(&["10000".into()], 9).await.unwrap();
        assert_eq!(info[0].price, None);

        let found = conn.procedure_codes(Some("MASTER CODE 2"), 100).await.unwrap();
        let codes: Vec<&str> = found.iter().map(|c| c.procedure_code.as_str()).collect();
        assert_eq!(codes[0], "10002", "{backend:?}");
        assert_eq!(codes.len(), 6, "2, 20–24");
        assert_eq!(conn.procedure_codes(Some("1002"), 100).await.unwrap().len(), 5);
        assert_eq!(conn.procedure_codes(None, 3).await.unwrap().len(), 3);

        conn.upsert_auto_fixes(&[
            AutoFixRecord {
                entered_code: "59510".into(),
                fixed_code: "59514".into(),
                reason: "delivery only".into(),
                active: true,
                created_date: t0(),
                created_by: None,
            },
            AutoFixRecord {
                entered_code: "11111".into(),
                fixed_code: "22222".into(),
                reason: "old".into(),
                active: false,
                created_date: t0(),
                created_by: Some("u-admin".into()),
            },
        ])
        .await
        .unwrap();
        let fixes = conn.active_auto_fixes(&["59510".into(), "11111".into()]).await.unwrap();
        assert_eq!(fixes.len(), 1);
        assert_eq!(fixes[0].created_date, t0());

        assert!(conn.active_rule_set().await.unwrap().is_none());
        let new = NewRuleSetRecord {
            name: "default".into(),
            format: 1,
            source_toml: "format = 1".into(),
            sha256: "00".repeat(32),
            created_ts: t0(),
            created_by: "u-admin".into(),
        };
        let first = conn.insert_rule_set(&new).await.unwrap();
        let second = conn.insert_rule_set(&NewRuleSetRecord { name: "newer".into(), ..new }).await.unwrap();
        assert!(second > first);
        let active = conn.active_rule_set().await.unwrap().unwrap();
        assert_eq!((active.id, active.name.as_str()), (second, "newer"));

        let tiers = conn.pay_tiers().await.unwrap();
        assert_eq!(
            tiers.iter().map(|t| t.code_bucket.as_str()).collect::<Vec<_>>(),
            ["General", "Orthopedic"]
        );

        let mut pay = vec![];
        conn.insert_user(&user("u-1")).await.unwrap();
        for id in ["c-1", "c-2"] {
            conn.insert_case(&case_row(id, "u-1")).await.unwrap();
            pay.push(surgicase_ports::store::PayUpdate {
                case_id: cid(id),
                pay_amount: Money::from_cents(if id == "c-1" { 1 } else { 2 }),
                pay_category: if id == "c-1" { None } else { Some("General".into()) },
                updated_ts: at("2025-04-01T00:00:00.5Z"),
            });
        }
        conn.update_pay(&pay).await.unwrap();
        let below = conn.owner_cases_below(&uid("u-1"), CaseStatus::PENDING_PAYMENT).await.unwrap();
        let got: Vec<(i64, Option<&str>)> =
            below.iter().map(|c| (c.row.pay_amount.cents(), c.row.pay_category.as_deref())).collect();
        assert_eq!(got, [(1, None), (2, Some("General"))], "{backend:?}");
        assert!(below.iter().all(|c| c.row.case_updated_ts == at("2025-04-01T00:00:00.5Z")));

        let mut history = vec![history("c-1", None, 0), history("c-1", Some(0), 10)];
        history[1].source = ChangeSource::Rule;
        history[1].rule_name = Some("ready".into());
        conn.append_history(&history).await.unwrap();
        assert_eq!(conn.case_history(&cid("c-1")).await.unwrap(), history, "{backend:?}");
    }
}
