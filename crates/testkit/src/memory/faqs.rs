//! `faq_list`.

use async_trait::async_trait;
use surgicase_kernel::UserType;
use surgicase_ports::FaqRepo;
use surgicase_ports::records::{FaqRecord, NewFaqRecord};

use super::state::reference;
use super::{R, Session};

#[async_trait]
impl FaqRepo for Session {
    async fn faqs(&mut self, user_type: UserType) -> R<Vec<FaqRecord>> {
        Ok(self.read(|s| {
            let mut faqs: Vec<FaqRecord> =
                s.faqs.values().filter(|f| f.user_type == user_type).cloned().collect();
            faqs.sort_by_key(|f| (f.display_order, f.id));
            faqs
        }))
    }

    async fn insert_faq(&mut self, faq: &NewFaqRecord) -> R<i64> {
        self.write(|s| {
            if !s.user_types.contains_key(&faq.user_type) {
                return Err(reference("faq_list.user_type -> user_type_list"));
            }
            s.next_faq += 1;
            let id = s.next_faq;
            let record = FaqRecord {
                id,
                user_type: faq.user_type,
                faq_header: faq.faq_header.clone(),
                faq_text: faq.faq_text.clone(),
                display_order: faq.display_order,
            };
            s.faqs.insert(id, record);
            Ok(id)
        })
        .await
    }
}
