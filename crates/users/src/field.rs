//! The `user_profile` fields a request may set (POST and PATCH /user).

/// A field of `user_profile` that a request may set, named as in the API body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProfileField {
    UserEmail,
    FirstName,
    LastName,
    Addr1,
    Addr2,
    City,
    State,
    Zipcode,
    Telephone,
    UserNpi,
    ReferredByUser,
    MessagePref,
    StatesLicensed,
    Timezone,
    Credentials,
    InsExpDate,
    DefaultPaginationCases,
    Documents,
    UserType,
    UserTier,
    MaxCaseStatus,
    Active,
}

impl ProfileField {
    /// Every field, in API order.
    pub const ALL: [ProfileField; 22] = [
        Self::UserEmail,
        Self::FirstName,
        Self::LastName,
        Self::Addr1,
        Self::Addr2,
        Self::City,
        Self::State,
        Self::Zipcode,
        Self::Telephone,
        Self::UserNpi,
        Self::ReferredByUser,
        Self::MessagePref,
        Self::StatesLicensed,
        Self::Timezone,
        Self::Credentials,
        Self::InsExpDate,
        Self::DefaultPaginationCases,
        Self::Documents,
        Self::UserType,
        Self::UserTier,
        Self::MaxCaseStatus,
        Self::Active,
    ];

    /// The body field name (also the column name, except `documents`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserEmail => "user_email",
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Addr1 => "addr1",
            Self::Addr2 => "addr2",
            Self::City => "city",
            Self::State => "state",
            Self::Zipcode => "zipcode",
            Self::Telephone => "telephone",
            Self::UserNpi => "user_npi",
            Self::ReferredByUser => "referred_by_user",
            Self::MessagePref => "message_pref",
            Self::StatesLicensed => "states_licensed",
            Self::Timezone => "timezone",
            Self::Credentials => "credentials",
            Self::InsExpDate => "ins_exp_date",
            Self::DefaultPaginationCases => "default_pagination_cases",
            Self::Documents => "documents",
            Self::UserType => "user_type",
            Self::UserTier => "user_tier",
            Self::MaxCaseStatus => "max_case_status",
            Self::Active => "active",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The role fields (domain §4.2.1): only a user admin changes them, and never their own.
    pub fn is_role_field(self) -> bool {
        matches!(self, Self::UserType | Self::UserTier | Self::MaxCaseStatus | Self::Active)
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
        let self_editable = [
            "user_email",
            "first_name",
            "last_name",
            "addr1",
            "addr2",
            "city",
            "state",
            "zipcode",
            "telephone",
            "user_npi",
            "referred_by_user",
            "message_pref",
            "states_licensed",
            "timezone",
            "credentials",
            "ins_exp_date",
            "default_pagination_cases",
            "documents",
        ];
        let role = ["user_type", "user_tier", "max_case_status", "active"];
        for name in self_editable {
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
        for f in ProfileField::ALL {
            assert_eq!(ProfileField::from_name(f.as_str()), Some(f));
            assert_eq!(f.to_string(), f.as_str());
        }
    }
}
