//! `faq_list`: the FAQs of each user type.

use async_trait::async_trait;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use surgicase_kernel::UserType;
use surgicase_ports::FaqRepo;
use surgicase_ports::records::{FaqRecord, NewFaqRecord};

use super::R;
use super::decode;
use crate::session::Session;
use crate::sql::{self, Row};
use crate::stmt::{Stmt, Value};

#[derive(QueryableByName)]
struct FaqDb {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    user_type: i64,
    #[diesel(sql_type = Text)]
    faq_header: String,
    #[diesel(sql_type = Text)]
    faq_text: String,
    #[diesel(sql_type = BigInt)]
    display_order: i64,
}

#[async_trait]
impl FaqRepo for Session {
    async fn faqs(&mut self, user_type: UserType) -> R<Vec<FaqRecord>> {
        let stmt = Stmt::new(
            "SELECT id, user_type, faq_header, faq_text, display_order FROM faq_list WHERE user_type = ? \
             ORDER BY display_order, id",
        )
        .bind(user_type.get());
        self.load::<FaqDb>(stmt)
            .await?
            .into_iter()
            .map(|r| {
                Ok(FaqRecord {
                    id: r.id,
                    user_type: decode::user_type(r.user_type, "faq_list.user_type")?,
                    faq_header: r.faq_header,
                    faq_text: r.faq_text,
                    display_order: decode::int(r.display_order, "faq_list.display_order")?,
                })
            })
            .collect()
    }

    async fn insert_faq(&mut self, faq: &NewFaqRecord) -> R<i64> {
        let row: Row = vec![
            ("user_type", Value::from(faq.user_type.get())),
            ("faq_header", Value::from(&faq.faq_header)),
            ("faq_text", Value::from(&faq.faq_text)),
            ("display_order", Value::from(faq.display_order)),
        ];
        self.exec(sql::insert("faq_list", row)).await?;
        self.last_insert_id().await
    }
}
