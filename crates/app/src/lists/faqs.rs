//! FAQs per user type (api.md §9): each user reads their type's, global admins add them.

use surgicase_kernel::text::{required_line, required_text};
use surgicase_kernel::{FieldCode, FieldError, UserType, ValidationErrors, ValueError};
use surgicase_ports::records::{FaqRecord, NewFaqRecord};

use super::require_global_admin;
use crate::App;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::AppError;

pub const FAQ_HEADER_MAX: usize = 500;
pub const FAQ_TEXT_MAX: usize = 20_000;

/// `POST /faqs` as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFaq {
    pub user_type: i64,
    pub faq_header: String,
    pub faq_text: String,
    pub display_order: Option<i64>,
}

/// The caller's FAQs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Faqs {
    pub user_type: UserType,
    pub faqs: Vec<FaqRecord>,
}

impl App {
    /// Any user: the FAQs of their own type, by display order.
    pub async fn list_faqs(&self, ctx: &Ctx) -> Result<Faqs, AppError> {
        let user_type = ctx.actor.user_type;
        let faqs = self.store.conn().await?.faqs(user_type).await?;
        Ok(Faqs { user_type, faqs })
    }

    /// GA: a FAQ for an existing user type.
    pub async fn create_faq(&self, ctx: &Ctx, new: &NewFaq) -> Result<(FaqRecord, Touched), AppError> {
        require_global_admin(ctx)?;
        let mut errors = ValidationErrors::new();
        let user_type = errors.check("user_type", UserType::new(new.user_type));
        let header = errors.check("faq_header", required_line(&new.faq_header, FAQ_HEADER_MAX));
        let text = errors.check("faq_text", required_text(&new.faq_text, FAQ_TEXT_MAX));
        let order = errors.check(
            "display_order",
            i32::try_from(new.display_order.unwrap_or(0))
                .map_err(|_| ValueError::new(FieldCode::OutOfRange, "must fit a 32-bit integer")),
        );
        let mut tx = self.store.begin().await?;
        if let Some(t) = user_type
            && !tx.user_types().await?.iter().any(|r| r.user_type == t)
        {
            errors.push(FieldError::new(
                "user_type",
                FieldCode::UnknownUserType,
                format!("user type {} does not exist", t.get()),
            ));
        }
        let (Some(user_type), Some(faq_header), Some(faq_text), Some(display_order)) =
            (user_type, header, text, order)
        else {
            return Err(AppError::Validation(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let new = NewFaqRecord { user_type, faq_header, faq_text, display_order };
        let id = tx.insert_faq(&new).await?;
        tx.commit().await?;
        let record = FaqRecord {
            id,
            user_type: new.user_type,
            faq_header: new.faq_header,
            faq_text: new.faq_text,
            display_order: new.display_order,
        };
        let touched = Touched::new("admin.faq_create", "faq", id.to_string());
        Ok((record, touched))
    }
}
