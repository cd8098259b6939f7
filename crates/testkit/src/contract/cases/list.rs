//! `list_cases`: filters, both orders, pages and joins.

use surgicase_kernel::{CaseStatus, Date, UserId};
use surgicase_ports::Store;
use surgicase_ports::records::*;

use super::super::{conn, owners};
use crate::fixtures::*;

/// The cases the list suites share (owner, id, date, status, created at `at(seconds)`):
/// Jane Doe: j1 2025-01-10 0 @10, j2 01-20 10 @20, j3 02-01 20 @30, j4 02-01 30 @30,
/// j5 02-15 400 @40, j6 03-01 500 @50, j7 03-01 80 @60 **deleted**;
/// Bob Brown: b1 02-01 15 @15, b2 03-01 10 @25; Jane Able: a1 03-01 1 @5.
/// j2 has codes 29881, 27447; j6 has codes 27447, 58150 and a note document.
pub(crate) async fn seed_list_cases(store: &dyn Store) -> [UserId; 3] {
    let [jane, bob, able] = owners(store, ["u-jane", "u-bob", "u-able"]).await;
    let mut c = conn(store).await;
    let mut names = able.user.clone();
    names.first_name = Some("Jane".into());
    names.last_name = Some("Able".into());
    c.update_user(&names).await.unwrap();
    let mut names = bob.user.clone();
    names.last_name = Some("Brown".into());
    c.update_user(&names).await.unwrap();

    let rows = [
        (&jane, "j1", "2025-01-10", 0, 10, true),
        (&jane, "j2", "2025-01-20", 10, 20, true),
        (&jane, "j3", "2025-02-01", 20, 30, true),
        (&jane, "j4", "2025-02-01", 30, 30, true),
        (&jane, "j5", "2025-02-15", 400, 40, true),
        (&jane, "j6", "2025-03-01", 500, 50, true),
        (&jane, "j7", "2025-03-01", 80, 60, false),
        (&bob, "b1", "2025-02-01", 15, 15, true),
        (&bob, "b2", "2025-03-01", 10, 25, true),
        (&able, "a1", "2025-03-01", 1, 5, true),
    ];
    for (owner, id, day, code, created, active) in rows {
        let row = CaseRow {
            case_date: date(day),
            case_status: status(code),
            case_create_ts: at(created),
            case_updated_ts: at(created),
            active,
            ..owner.case_row(id)
        };
        c.insert_case(&row).await.unwrap();
    }
    let knee = [
        case_code("29881", "Knee arthroscopy", Some(1)),
        case_code("27447", "Total knee arthroplasty", Some(2)),
    ];
    c.replace_case_codes(&case_id("j2"), &knee).await.unwrap();
    let mixed =
        [case_code("27447", "Total knee arthroplasty", Some(2)), case_code("58150", "Hysterectomy", Some(2))];
    c.replace_case_codes(&case_id("j6"), &mixed).await.unwrap();
    c.put_case_documents(&case_id("j6"), &[case_document("note_file", "note.pdf")]).await.unwrap();
    [jane.id().clone(), bob.id().clone(), able.id().clone()]
}

pub(crate) fn all_cases(order: CaseOrder) -> CaseQuery {
    CaseQuery {
        owner: None,
        status: None,
        date_from: None,
        date_to: None,
        describe: None,
        order,
        limit: 100,
        offset: 0,
    }
}

fn ids(page: &CasePage) -> Vec<&str> {
    page.items.iter().map(|v| v.case.row.case_id.as_str()).collect()
}

fn matching(exact: &[i16], shown_as_cap: Option<i16>) -> Option<StoredStatusMatch> {
    Some(StoredStatusMatch {
        exact: exact.iter().map(|c| status(*c)).collect(),
        shown_as_cap: shown_as_cap.map(status),
    })
}

fn between(from: Option<&str>, to: Option<&str>) -> (Option<Date>, Option<Date>) {
    (from.map(date), to.map(date))
}

/// Only active cases; `owner` restricts to one owner; `date_from`/`date_to` bound `case_date`
/// inclusively; `total` counts the matches.
pub async fn list_filters_by_owner_and_dates(store: &dyn Store) {
    let [jane, bob, _] = seed_list_cases(store).await;
    let mut c = conn(store).await;
    let base = all_cases(CaseOrder::NewestFirst);

    let page = c.list_cases(&base).await.unwrap();
    assert_eq!(ids(&page), ["j6", "j5", "j4", "j3", "b2", "j2", "b1", "j1", "a1"]);
    assert_eq!(page.total, 9);

    let page = c.list_cases(&CaseQuery { owner: Some(jane), ..base.clone() }).await.unwrap();
    assert_eq!(ids(&page), ["j6", "j5", "j4", "j3", "j2", "j1"]);
    assert_eq!(page.total, 6);
    let page = c.list_cases(&CaseQuery { owner: Some(bob.clone()), ..base.clone() }).await.unwrap();
    assert_eq!(ids(&page), ["b2", "b1"]);
    let page = c.list_cases(&CaseQuery { owner: Some(user_id("u-ghost")), ..base.clone() }).await.unwrap();
    assert_eq!((ids(&page).len(), page.total), (0, 0));

    type Bounds<'a> = (Option<&'a str>, Option<&'a str>);
    let table: &[(Bounds<'_>, &[&str])] = &[
        ((Some("2025-02-01"), Some("2025-02-15")), &["j5", "j4", "j3", "b1"]),
        ((Some("2025-03-01"), None), &["j6", "b2", "a1"]),
        ((None, Some("2025-01-10")), &["j1"]),
        ((Some("2025-02-02"), Some("2025-02-14")), &[]),
    ];
    for ((from, to), expected) in table {
        let (date_from, date_to) = between(*from, *to);
        let page = c.list_cases(&CaseQuery { date_from, date_to, ..base.clone() }).await.unwrap();
        assert_eq!(ids(&page), *expected, "{from:?}..{to:?}");
        assert_eq!(page.total, expected.len() as i64);
    }
    let (date_from, date_to) = between(Some("2025-02-01"), Some("2025-03-01"));
    let page = c.list_cases(&CaseQuery { owner: Some(bob), date_from, date_to, ..base }).await.unwrap();
    assert_eq!(ids(&page), ["b2", "b1"]);
}

/// `StoredStatusMatch`: `case_status IN exact`, or strictly between `shown_as_cap` and 400 (so a
/// viewer capped at 20 filtering on 20 also gets 30 and 80, never 400 or 500); an empty
/// match matches nothing.
pub async fn list_filters_by_displayed_status(store: &dyn Store) {
    let [jane, _, _] = seed_list_cases(store).await;
    let mut c = conn(store).await;
    let mine = CaseQuery { owner: Some(jane), ..all_cases(CaseOrder::NewestFirst) };
    let everyone = all_cases(CaseOrder::NewestFirst);

    let table: &[(&CaseQuery, Option<StoredStatusMatch>, &[&str])] = &[
        (&mine, matching(&[20], Some(20)), &["j4", "j3"]),
        (&mine, matching(&[400], None), &["j5"]),
        (&mine, matching(&[10, 500], None), &["j6", "j2"]),
        (&mine, matching(&[0], Some(0)), &["j4", "j3", "j2", "j1"]),
        (&mine, matching(&[], None), &[]),
        (&everyone, matching(&[], Some(15)), &["j4", "j3"]),
        (&everyone, matching(&[15], Some(15)), &["j4", "j3", "b1"]),
        (&everyone, matching(&[1, 10], None), &["b2", "j2", "a1"]),
        (&everyone, None, &["j6", "j5", "j4", "j3", "b2", "j2", "b1", "j1", "a1"]),
    ];
    for (base, status, expected) in table {
        let page = c.list_cases(&CaseQuery { status: status.clone(), ..(*base).clone() }).await.unwrap();
        assert_eq!(ids(&page), *expected, "{status:?} owner {:?}", base.owner);
        assert_eq!(page.total, expected.len() as i64);
    }
}

/// `NewestFirst`: `case_create_ts` desc, then `case_id` desc (j4 before j3, created together).
/// `CaseDateDesc`: `case_date` desc, owner first name, owner last name, `case_id` desc.
pub async fn list_orders_both_ways(store: &dyn Store) {
    seed_list_cases(store).await;
    let mut c = conn(store).await;
    let page = c.list_cases(&all_cases(CaseOrder::NewestFirst)).await.unwrap();
    assert_eq!(ids(&page), ["j6", "j5", "j4", "j3", "b2", "j2", "b1", "j1", "a1"]);
    let page = c.list_cases(&all_cases(CaseOrder::CaseDateDesc)).await.unwrap();
    assert_eq!(ids(&page), ["b2", "a1", "j6", "j5", "b1", "j4", "j3", "j2", "j1"]);
    let query = CaseQuery { limit: 2, offset: 1, ..all_cases(CaseOrder::CaseDateDesc) };
    let page = c.list_cases(&query).await.unwrap();
    assert_eq!(ids(&page), ["a1", "j6"]);
    assert_eq!(page.total, 9);
    // Every page of either order is the slice of the whole order, whole items included, whether
    // it starts or ends inside a group of cases sharing a date or runs past the end.
    for order in [CaseOrder::NewestFirst, CaseOrder::CaseDateDesc] {
        let whole =
            c.list_cases(&CaseQuery { describe: Some(CaseStatus::PAID), ..all_cases(order) }).await.unwrap();
        for limit in 1..=4 {
            for offset in 0..=10 {
                let query = CaseQuery { limit, offset, describe: Some(CaseStatus::PAID), ..all_cases(order) };
                let page = c.list_cases(&query).await.unwrap();
                let from = (offset as usize).min(whole.items.len());
                let to = (from + limit as usize).min(whole.items.len());
                assert_eq!(page.items, whole.items[from..to], "{order:?} limit {limit} offset {offset}");
                assert_eq!(page.total, 9);
            }
        }
        // The largest offset is an empty page, not an overflow.
        let far = c.list_cases(&CaseQuery { limit: 50, offset: i64::MAX, ..all_cases(order) }).await.unwrap();
        assert!(far.items.is_empty(), "{order:?}");
        assert_eq!(far.total, 9);
    }
}

/// `CaseDateDesc` orders by the owner's names as they are now: renaming an owner moves their
/// cases, names compare without case, an owner without a first name comes first, and a case
/// given to another owner moves with them.
pub async fn list_order_follows_owner_renames(store: &dyn Store) {
    let [_, bob, able] = seed_list_cases(store).await;
    let mut c = conn(store).await;
    let whole = all_cases(CaseOrder::CaseDateDesc);
    assert_eq!(ids(&c.list_cases(&whole).await.unwrap())[..3], ["b2", "a1", "j6"]);

    type Rename<'a> = (&'a UserId, Option<&'a str>, Option<&'a str>);
    let table: &[(Rename<'_>, [&str; 3])] = &[
        // Bob Brown becomes Zed Brown: after both Janes.
        ((&bob, Some("Zed"), Some("Brown")), ["a1", "j6", "b2"]),
        // Jane Able becomes Jane Zulu: after Jane Doe.
        ((&able, Some("Jane"), Some("Zulu")), ["j6", "a1", "b2"]),
        // Lower case sorts as upper case: adam before Jane.
        ((&bob, Some("adam"), Some("Brown")), ["b2", "j6", "a1"]),
        // jANE equals Jane, so the last names decide: aaa before Doe.
        ((&able, Some("jANE"), Some("aaa")), ["b2", "a1", "j6"]),
        // No first name comes first.
        ((&able, None, Some("Zulu")), ["a1", "b2", "j6"]),
    ];
    for ((who, first, last), expected) in table {
        let mut user = c.get_user(who).await.unwrap().expect("the owner");
        user.first_name = first.map(str::to_owned);
        user.last_name = last.map(str::to_owned);
        c.update_user(&user).await.unwrap();
        let page = c.list_cases(&whole).await.unwrap();
        assert_eq!(ids(&page)[..3], *expected, "after renaming {who:?} to {first:?} {last:?}");
        assert_eq!(page.total, 9);
        // Pages still slice the same order.
        let second = c.list_cases(&CaseQuery { limit: 2, offset: 1, ..whole.clone() }).await.unwrap();
        assert_eq!(ids(&second), expected[1..], "page 2 after renaming {who:?}");
    }
    // A case given to another owner takes that owner's names: j6 becomes adam Brown's, and
    // between two cases of adam Brown the higher case id comes first.
    let mut j6 = c.get_cases(&[case_id("j6")]).await.unwrap().remove(0).row;
    j6.user_id = bob;
    c.update_case(&j6).await.unwrap();
    assert_eq!(ids(&c.list_cases(&whole).await.unwrap())[..3], ["a1", "j6", "b2"]);
}

/// `limit`/`offset` page through the order; `total` is unaffected; every item is the same
/// `CaseView` (codes, documents, joins, described status) that `get_case_view` returns.
pub async fn list_pages_with_total_and_full_items(store: &dyn Store) {
    seed_list_cases(store).await;
    let mut c = conn(store).await;
    let base = CaseQuery { describe: Some(CaseStatus::PAID), ..all_cases(CaseOrder::NewestFirst) };
    let table: &[(i64, i64, &[&str])] = &[
        (3, 0, &["j6", "j5", "j4"]),
        (3, 3, &["j3", "b2", "j2"]),
        (3, 8, &["a1"]),
        (3, 9, &[]),
        (0, 0, &[]),
    ];
    for (limit, offset, expected) in table {
        let page = c.list_cases(&CaseQuery { limit: *limit, offset: *offset, ..base.clone() }).await.unwrap();
        assert_eq!(ids(&page), *expected, "limit {limit} offset {offset}");
        assert_eq!(page.total, 9);
    }

    let page = c.list_cases(&base).await.unwrap();
    for item in &page.items {
        let single = c.get_case_view(&item.case.row.case_id, Some(CaseStatus::PAID), None).await.unwrap();
        assert_eq!(Some(item), single.as_ref());
    }
    let j6 = &page.items[0];
    assert_eq!(
        j6.case.codes.iter().map(|k| k.procedure_code.as_str()).collect::<Vec<_>>(),
        ["27447", "58150"]
    );
    assert_eq!(j6.case.documents, vec![case_document("note_file", "note.pdf")]);
    assert_eq!(j6.joins.status_desc.as_deref(), Some("Closed"));
    assert_eq!(j6.joins.described_status_desc.as_deref(), Some("Paid"));
    assert_eq!(j6.joins.owner_last.as_deref(), Some("Doe"));
    assert_eq!(j6.joins.facility_state.as_deref(), Some("NJ"));
}
