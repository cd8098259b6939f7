//! `FaqRepo`: the FAQs of each user type.

use surgicase_kernel::UserType;
use surgicase_ports::Store;
use surgicase_ports::records::*;

use super::{assert_reference, seeded};

fn faq(user_type: UserType, header: &str, order: i32) -> NewFaqRecord {
    NewFaqRecord {
        user_type,
        faq_header: header.into(),
        faq_text: format!("Answer to {header}.\nSecond line — ünïcode."),
        display_order: order,
    }
}

/// One type's FAQs by display order, then insertion; ids from the database; every column kept.
pub async fn faqs_by_type_in_display_order(store: &dyn Store) {
    let mut c = seeded(store).await;
    let provider = UserType::PROVIDER;
    let late = c.insert_faq(&faq(provider, "Late", 5)).await.unwrap();
    let first = c.insert_faq(&faq(provider, "First", 0)).await.unwrap();
    let tie = c.insert_faq(&faq(provider, "Tie", 0)).await.unwrap();
    c.insert_faq(&faq(UserType::CASE_ADMIN, "Admins only", 0)).await.unwrap();
    assert!(first > late && tie > first, "ids grow: {late} {first} {tie}");

    let got = c.faqs(provider).await.unwrap();
    let headers: Vec<&str> = got.iter().map(|f| f.faq_header.as_str()).collect();
    assert_eq!(headers, ["First", "Tie", "Late"]);
    let expected = FaqRecord {
        id: late,
        user_type: provider,
        faq_header: "Late".into(),
        faq_text: "Answer to Late.\nSecond line — ünïcode.".into(),
        display_order: 5,
    };
    assert_eq!(got[2], expected);
    assert_eq!(c.faqs(UserType::CASE_ADMIN).await.unwrap().len(), 1);
    assert!(c.faqs(UserType::USER_ADMIN).await.unwrap().is_empty());
}

/// A FAQ for a user type that does not exist is refused (foreign key).
pub async fn faq_of_unknown_type_is_reference(store: &dyn Store) {
    let mut c = seeded(store).await;
    assert_reference(c.insert_faq(&faq(UserType::new(42).unwrap(), "Nobody", 0)).await);
    assert!(c.faqs(UserType::new(42).unwrap()).await.unwrap().is_empty());
}
