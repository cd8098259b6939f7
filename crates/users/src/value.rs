//! A validated value of one profile field, by kind.

use surgicase_kernel::{CaseStatus, Date, Npi, UserType};

use crate::message_pref::MessagePref;

/// What a request sets a profile field to; `None` inside clears an optional field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileValue {
    /// E-mail, names, address lines, state, ZIP, licensed states, time zone, credentials,
    /// referral.
    Text(Option<String>),
    Telephone(Option<u64>),
    Npi(Option<Npi>),
    MessagePref(MessagePref),
    Date(Option<Date>),
    /// `default_pagination_cases`.
    Count(Option<i32>),
    UserType(UserType),
    Tier(i32),
    Cap(CaseStatus),
    /// `active = 1`.
    Reactivate,
}
