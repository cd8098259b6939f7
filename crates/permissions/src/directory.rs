//! Surgeons and facilities of a user's address book (api.md §4).

use surgicase_kernel::{RoleLevel, UserId};

use crate::access::Access;
use crate::actor::Actor;
use crate::level::Subject;

fn owner_or_ca(actor: &Actor, owner: &UserId) -> Access {
    Access::when(actor.is(owner) || actor.has_level(RoleLevel::CaseAdmin), Access::NotFound)
}

/// DELETE /surgeon: owner or CA, else not found.
pub fn may_delete_surgeon(actor: &Actor, owner: &UserId) -> Access {
    owner_or_ca(actor, owner)
}

/// DELETE /facility: owner or CA, else not found.
pub fn may_delete_facility(actor: &Actor, owner: &UserId) -> Access {
    owner_or_ca(actor, owner)
}

/// POST /surgeon, GET /surgeons, POST /facility, GET /facilities for `subject`: oneself, or
/// CA for another user (else not found, before any lookup).
pub fn may_use_address_book_of(actor: &Actor, subject: &UserId) -> Access {
    Subject::AddressBook.may_act_for(actor, subject)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{TYPES, actor, uid};

    const A: Access = Access::Allowed;
    const N: Access = Access::NotFound;

    #[test]
    fn address_book_table() {
        // (type, own?, delete surgeon, delete facility, list or create)
        let table: &[(i64, bool, Access, Access, Access)] = &[
            (1, true, A, A, A),
            (1, false, N, N, N),
            (7, true, A, A, A),
            (7, false, N, N, N),
            (10, true, A, A, A),
            (10, false, A, A, A),
            (20, true, A, A, A),
            (20, false, A, A, A),
            (100, true, A, A, A),
            (100, false, A, A, A),
            (999, true, A, A, A),
            (999, false, A, A, A),
        ];
        assert_eq!(table.len(), TYPES.len() * 2);
        let other = uid("u-other");
        for (t, own, surgeon, facility, book) in table {
            let a = actor(*t);
            let owner = if *own { a.user_id.clone() } else { other.clone() };
            assert_eq!(may_delete_surgeon(&a, &owner), *surgeon, "surgeon {t} {own}");
            assert_eq!(may_delete_facility(&a, &owner), *facility, "facility {t} {own}");
            assert_eq!(may_use_address_book_of(&a, &owner), *book, "book {t} {own}");
        }
    }
}
