//! The `user_profile` fields a request may set (POST and PATCH /user), listed once with the
//! kind of value each takes: the request body, its schema, its validation and the changes of a
//! stored profile all follow this table.

use crate::kind::FieldKind;

macro_rules! profile_fields {
    ($($variant:ident => $name:literal: $kind:ident,)*) => {
        /// A field of `user_profile` that a request may set, named as in the API body.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ProfileField {
            $($variant,)*
        }

        impl ProfileField {
            /// Every field, in API order.
            pub const ALL: &'static [ProfileField] = &[$(Self::$variant,)*];

            /// The body field name (also the column name, except `documents`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// The kind of value the field takes.
            pub fn kind(self) -> FieldKind {
                match self {
                    $(Self::$variant => FieldKind::$kind,)*
                }
            }
        }
    };
}

profile_fields! {
    UserEmail => "user_email": Email,
    FirstName => "first_name": Name,
    LastName => "last_name": Name,
    Addr1 => "addr1": Address,
    Addr2 => "addr2": Address,
    City => "city": Address,
    State => "state": State,
    Zipcode => "zipcode": Zip,
    Telephone => "telephone": Telephone,
    UserNpi => "user_npi": Npi,
    ReferredByUser => "referred_by_user": ReferredBy,
    MessagePref => "message_pref": MessagePref,
    StatesLicensed => "states_licensed": StatesLicensed,
    Timezone => "timezone": Timezone,
    Credentials => "credentials": Credentials,
    InsExpDate => "ins_exp_date": Date,
    DefaultPaginationCases => "default_pagination_cases": Pagination,
    Documents => "documents": Documents,
    UserType => "user_type": UserType,
    UserTier => "user_tier": Tier,
    MaxCaseStatus => "max_case_status": Cap,
    Active => "active": Active,
}

impl ProfileField {
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.as_str() == name)
    }

    /// The role fields (domain §4.2.1): only a user admin changes them, and never their own.
    pub fn is_role_field(self) -> bool {
        self.kind().is_role()
    }

    /// The fields a user may change on their own profile (domain §4.2.1): every field but the
    /// role fields.
    pub fn is_self_editable(self) -> bool {
        !self.is_role_field()
    }
}

impl std::fmt::Display for ProfileField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_editable_list_is_domain_4_2_1() {
        // Domain §4.2.1, as it lists them.
        let self_editable = "user_email, first_name, last_name, addr1, addr2, city, state, zipcode, telephone, user_npi, referred_by_user, message_pref, states_licensed, timezone, credentials, ins_exp_date, default_pagination_cases, documents";
        let self_editable: Vec<&str> = self_editable.split(", ").collect();
        let role = ["user_type", "user_tier", "max_case_status", "active"];
        for &name in &self_editable {
            let f = ProfileField::from_name(name);
            assert_eq!(f.map(ProfileField::is_self_editable), Some(true), "{name}");
        }
        for name in role {
            let f = ProfileField::from_name(name);
            assert_eq!(f.map(ProfileField::is_role_field), Some(true), "{name}");
            assert_eq!(f.map(ProfileField::is_self_editable), Some(false), "{name}");
        }
        assert_eq!(ProfileField::ALL.len(), self_editable.len() + role.len());
        assert_eq!(ProfileField::from_name("last_login_dt"), None);
    }

    #[test]
    fn names_round_trip() {
        for f in ProfileField::ALL.iter().copied() {
            assert_eq!(ProfileField::from_name(f.as_str()), Some(f));
            assert_eq!(f.to_string(), f.as_str());
        }
    }
}
