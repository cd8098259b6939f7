//! A user's profile as stored (`user_profile`, domain §3.1), and how validated changes apply to
//! it. Legacy rows may hold values today's validation refuses (telephone, NPI): they are kept
//! as stored until a request sets them.

use serde::Serialize;
use surgicase_kernel::{CaseStatus, Date, Timestamp, UserId, UserType, wire};

use crate::changes::ProfileChanges;
use crate::field::ProfileField;
use crate::message_pref::MessagePref;
use crate::value::ProfileValue;

/// One row of `user_profile`; serialized as responses show a profile (api.md §1.9
/// `UserProfile`, without the deletion columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ProfileRecord))]
pub struct Profile {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub user_id: UserId,
    pub user_email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub addr1: Option<String>,
    pub addr2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zipcode: Option<String>,
    pub telephone: Option<i64>,
    #[serde(serialize_with = "wire::npi")]
    pub user_npi: Option<i64>,
    pub referred_by_user: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = i32))]
    pub user_type: UserType,
    /// 0 none, 1 e-mail, 2 SMS, 3 both.
    pub message_pref: i16,
    pub states_licensed: Option<String>,
    pub user_tier: i32,
    #[cfg_attr(feature = "openapi", schema(value_type = i16))]
    pub max_case_status: CaseStatus,
    pub timezone: Option<String>,
    pub credentials: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub ins_exp_date: Option<Date>,
    pub default_pagination_cases: Option<i32>,
    /// 0/1.
    #[serde(serialize_with = "wire::flag")]
    #[cfg_attr(feature = "openapi", schema(value_type = u8))]
    pub active: bool,
    #[serde(serialize_with = "wire::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub create_ts: Timestamp,
    #[serde(serialize_with = "wire::timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_updated_ts: Timestamp,
    #[serde(serialize_with = "wire::opt_timestamp")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_login_dt: Option<Timestamp>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub deleted_ts: Option<Timestamp>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub deleted_by: Option<String>,
}

/// The role fields a new profile starts with, decided by the application (domain §4.2.1, §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleDefaults {
    pub user_type: UserType,
    pub user_tier: i32,
    pub max_case_status: CaseStatus,
}

/// A stored column's value, for telling what a change really changed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
    Date(Option<Date>),
    Flag(bool),
}

fn text(value: &ProfileValue) -> Option<String> {
    match value {
        ProfileValue::Text(t) => t.clone(),
        _ => None,
    }
}

impl Profile {
    /// A new, active profile: the changes of a valid creation body over empty fields.
    pub fn new(changes: &ProfileChanges, roles: RoleDefaults, now: Timestamp) -> Profile {
        let mut profile = Profile::blank(changes.user_id.clone(), roles, now);
        for (field, value) in &changes.values {
            if !field.is_role_field() {
                profile.set(*field, value);
            }
        }
        profile
    }

    /// An active profile with its roles and every other field empty (the start of
    /// [`Profile::new`]; fixtures fill in what they need).
    pub fn blank(user_id: UserId, roles: RoleDefaults, now: Timestamp) -> Profile {
        Profile {
            user_id,
            user_email: String::new(),
            first_name: None,
            last_name: None,
            addr1: None,
            addr2: None,
            city: None,
            state: None,
            zipcode: None,
            telephone: None,
            user_npi: None,
            referred_by_user: None,
            user_type: roles.user_type,
            message_pref: MessagePref::default().code(),
            states_licensed: None,
            user_tier: roles.user_tier,
            max_case_status: roles.max_case_status,
            timezone: None,
            credentials: None,
            ins_exp_date: None,
            default_pagination_cases: None,
            active: true,
            create_ts: now,
            last_updated_ts: now,
            last_login_dt: None,
            deleted_ts: None,
            deleted_by: None,
        }
    }

    /// Applies `changes` (`cap`: the `max_case_status` the application resolved, domain
    /// §4.2.1) and returns the fields whose stored value changed, in API order.
    pub fn apply(
        &mut self,
        changes: &ProfileChanges,
        cap: Option<CaseStatus>,
        now: Timestamp,
    ) -> Vec<ProfileField> {
        let before = self.clone();
        for (field, value) in &changes.values {
            if *field != ProfileField::MaxCaseStatus {
                self.set(*field, value);
            }
        }
        if let Some(cap) = cap {
            self.max_case_status = cap;
        }
        let changed: Vec<ProfileField> = ProfileField::ALL
            .iter()
            .copied()
            .filter(|f| *f != ProfileField::Documents && before.column(*f) != self.column(*f))
            .collect();
        if !changed.is_empty() {
            self.last_updated_ts = now;
        }
        changed
    }

    fn set(&mut self, field: ProfileField, value: &ProfileValue) {
        use ProfileField as F;
        use ProfileValue as V;
        match (field, value) {
            (F::UserEmail, v) => self.user_email = text(v).unwrap_or_default(),
            (F::FirstName, v) => self.first_name = text(v),
            (F::LastName, v) => self.last_name = text(v),
            (F::Addr1, v) => self.addr1 = text(v),
            (F::Addr2, v) => self.addr2 = text(v),
            (F::City, v) => self.city = text(v),
            (F::State, v) => self.state = text(v),
            (F::Zipcode, v) => self.zipcode = text(v),
            (F::Telephone, V::Telephone(t)) => self.telephone = t.and_then(|t| i64::try_from(t).ok()),
            (F::UserNpi, V::Npi(n)) => self.user_npi = n.and_then(|n| i64::try_from(n.get()).ok()),
            (F::ReferredByUser, v) => self.referred_by_user = text(v),
            (F::MessagePref, V::MessagePref(p)) => self.message_pref = p.code(),
            (F::StatesLicensed, v) => self.states_licensed = text(v),
            (F::Timezone, v) => self.timezone = text(v),
            (F::Credentials, v) => self.credentials = text(v),
            (F::InsExpDate, V::Date(d)) => self.ins_exp_date = *d,
            (F::DefaultPaginationCases, V::Count(n)) => self.default_pagination_cases = *n,
            (F::UserType, V::UserType(t)) => self.user_type = *t,
            (F::UserTier, V::Tier(t)) => self.user_tier = *t,
            (F::MaxCaseStatus, V::Cap(c)) => self.max_case_status = *c,
            (F::Active, V::Reactivate) => {
                self.active = true;
                self.deleted_ts = None;
                self.deleted_by = None;
            }
            // A value of another kind cannot come out of validation; documents are separate.
            _ => {}
        }
    }

    fn column(&self, field: ProfileField) -> Column<'_> {
        use Column as C;
        use ProfileField as F;
        match field {
            F::UserEmail => C::Text(Some(&self.user_email)),
            F::FirstName => C::Text(self.first_name.as_deref()),
            F::LastName => C::Text(self.last_name.as_deref()),
            F::Addr1 => C::Text(self.addr1.as_deref()),
            F::Addr2 => C::Text(self.addr2.as_deref()),
            F::City => C::Text(self.city.as_deref()),
            F::State => C::Text(self.state.as_deref()),
            F::Zipcode => C::Text(self.zipcode.as_deref()),
            F::Telephone => C::Int(self.telephone),
            F::UserNpi => C::Int(self.user_npi),
            F::ReferredByUser => C::Text(self.referred_by_user.as_deref()),
            F::MessagePref => C::Int(Some(self.message_pref.into())),
            F::StatesLicensed => C::Text(self.states_licensed.as_deref()),
            F::Timezone => C::Text(self.timezone.as_deref()),
            F::Credentials => C::Text(self.credentials.as_deref()),
            F::InsExpDate => C::Date(self.ins_exp_date),
            F::DefaultPaginationCases => C::Int(self.default_pagination_cases.map(i64::from)),
            F::Documents => C::Flag(false),
            F::UserType => C::Int(Some(self.user_type.get().into())),
            F::UserTier => C::Int(Some(self.user_tier.into())),
            F::MaxCaseStatus => C::Int(Some(self.max_case_status.code().into())),
            F::Active => C::Flag(self.active),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    use super::*;
    use crate::changes::Mode;
    use crate::input::ProfileInput;

    fn at(h: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2025, 3, 3, h, 0, 0).single().unwrap_or_default()
    }

    fn changes(value: serde_json::Value, mode: Mode) -> ProfileChanges {
        let input: ProfileInput = serde_json::from_value(value).unwrap_or_default();
        ProfileChanges::parse(&input, mode).unwrap_or_else(|e| unreachable!("{e:?}"))
    }

    fn roles() -> RoleDefaults {
        RoleDefaults { user_type: UserType::PROVIDER, user_tier: 2, max_case_status: CaseStatus::PAID }
    }

    fn jane() -> Profile {
        let body = json!({"user_id": "u-jane", "user_email": "j@example.com", "first_name": "jane",
                          "last_name": "DOE", "city": "Albany", "telephone": "518-555-1234",
                          "user_type": 10});
        Profile::new(&changes(body, Mode::Create), roles(), at(1))
    }

    #[test]
    fn a_new_profile_takes_the_body_and_the_role_defaults() {
        let p = jane();
        assert_eq!((p.first_name.as_deref(), p.last_name.as_deref()), (Some("Jane"), Some("Doe")));
        assert_eq!(p.telephone, Some(5_185_551_234));
        assert_eq!(p.user_type, UserType::PROVIDER, "role fields come from the defaults the app decided");
        assert_eq!((p.user_tier, p.max_case_status, p.active), (2, CaseStatus::PAID, true));
        assert_eq!((p.create_ts, p.last_updated_ts), (at(1), at(1)));
    }

    #[test]
    fn applying_reports_only_real_changes() {
        type Row = (serde_json::Value, &'static [ProfileField]);
        let table: Vec<Row> = vec![
            (json!({"city": "Albany"}), &[]),
            (json!({"city": "Boston", "first_name": "JANE"}), &[ProfileField::City]),
            (json!({"city": "", "telephone": ""}), &[ProfileField::City, ProfileField::Telephone]),
            (json!({"user_tier": 3, "message_pref": 0}), &[ProfileField::UserTier]),
            (json!({"user_type": 10}), &[ProfileField::UserType]),
        ];
        for (body, expected) in table {
            let mut body = body;
            body["user_id"] = json!("u-jane");
            let mut p = jane();
            let changed = p.apply(&changes(body.clone(), Mode::Update), None, at(2));
            assert_eq!(changed, expected, "{body}");
            let touched = if expected.is_empty() { at(1) } else { at(2) };
            assert_eq!(p.last_updated_ts, touched, "{body}");
        }
        let mut p = jane();
        let changed = p.apply(
            &changes(json!({"user_id": "u-jane", "user_type": 10}), Mode::Update),
            CaseStatus::new(500).ok(),
            at(2),
        );
        assert_eq!(changed, [ProfileField::UserType, ProfileField::MaxCaseStatus]);
        let mut inactive =
            Profile { active: false, deleted_ts: Some(at(1)), deleted_by: Some("u-ua".into()), ..jane() };
        let changed =
            inactive.apply(&changes(json!({"user_id": "u-jane", "active": 1}), Mode::Update), None, at(2));
        assert_eq!(changed, [ProfileField::Active]);
        assert_eq!((inactive.active, inactive.deleted_ts, inactive.deleted_by), (true, None, None));
    }
}
