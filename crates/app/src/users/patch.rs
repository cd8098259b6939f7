//! Applying a validated profile patch to a stored profile, field by field, so the use case
//! knows exactly which fields change (permissions apply to changes only, api.md §3).

use surgicase_kernel::CaseStatus;
use surgicase_ports::records::UserRecord;
use surgicase_users::{ProfileField, UserPatch};

/// The profile after the patch, and the fields whose stored value changes.
pub(crate) fn apply(
    stored: &UserRecord,
    patch: &UserPatch,
    new_cap: Option<CaseStatus>,
) -> (UserRecord, Vec<ProfileField>) {
    let mut next = stored.clone();
    if let Some(email) = &patch.user_email {
        next.user_email = email.clone();
    }
    if let Some(first) = &patch.first_name {
        next.first_name = Some(first.clone());
    }
    if let Some(last) = &patch.last_name {
        next.last_name = Some(last.clone());
    }
    next.addr1 = patch.addr1.clone().apply(stored.addr1.clone());
    next.addr2 = patch.addr2.clone().apply(stored.addr2.clone());
    next.city = patch.city.clone().apply(stored.city.clone());
    next.state = patch.state.clone().apply(stored.state.clone());
    next.zipcode = patch.zipcode.clone().apply(stored.zipcode.clone());
    next.telephone = match patch.telephone.clone().map(|t| i64::try_from(t).ok()).into_update() {
        None => stored.telephone,
        Some(value) => value.flatten(),
    };
    next.user_npi = match patch.user_npi.clone().map(|n| i64::try_from(n.get()).ok()).into_update() {
        None => stored.user_npi,
        Some(value) => value.flatten(),
    };
    next.referred_by_user = patch.referred_by_user.clone().apply(stored.referred_by_user.clone());
    if let Some(pref) = patch.message_pref {
        next.message_pref = pref.code();
    }
    next.states_licensed = patch.states_licensed.clone().apply(stored.states_licensed.clone());
    next.timezone = patch.timezone.clone().apply(stored.timezone.clone());
    next.credentials = patch.credentials.clone().apply(stored.credentials.clone());
    next.ins_exp_date = patch.ins_exp_date.clone().apply(stored.ins_exp_date);
    next.default_pagination_cases =
        patch.default_pagination_cases.clone().apply(stored.default_pagination_cases);
    if let Some(t) = patch.user_type {
        next.user_type = t;
    }
    if let Some(tier) = patch.user_tier {
        next.user_tier = tier;
    }
    if let Some(cap) = new_cap {
        next.max_case_status = cap;
    }
    if patch.reactivate {
        next.active = true;
        next.deleted_ts = None;
        next.deleted_by = None;
    }

    use ProfileField as F;
    let diffs = [
        (F::UserEmail, stored.user_email != next.user_email),
        (F::FirstName, stored.first_name != next.first_name),
        (F::LastName, stored.last_name != next.last_name),
        (F::Addr1, stored.addr1 != next.addr1),
        (F::Addr2, stored.addr2 != next.addr2),
        (F::City, stored.city != next.city),
        (F::State, stored.state != next.state),
        (F::Zipcode, stored.zipcode != next.zipcode),
        (F::Telephone, stored.telephone != next.telephone),
        (F::UserNpi, stored.user_npi != next.user_npi),
        (F::ReferredByUser, stored.referred_by_user != next.referred_by_user),
        (F::MessagePref, stored.message_pref != next.message_pref),
        (F::StatesLicensed, stored.states_licensed != next.states_licensed),
        (F::Timezone, stored.timezone != next.timezone),
        (F::Credentials, stored.credentials != next.credentials),
        (F::InsExpDate, stored.ins_exp_date != next.ins_exp_date),
        (F::DefaultPaginationCases, stored.default_pagination_cases != next.default_pagination_cases),
        (F::UserType, stored.user_type != next.user_type),
        (F::UserTier, stored.user_tier != next.user_tier),
        (F::MaxCaseStatus, stored.max_case_status != next.max_case_status),
        (F::Active, stored.active != next.active),
    ];
    let changed = diffs.into_iter().filter(|(_, differs)| *differs).map(|(f, _)| f).collect();
    (next, changed)
}
