//! Who may read and change a case (api.md §2, §5; domain §4.2, §5.5, §13).

use surgicase_kernel::{CaseStatus, DocumentField, RoleLevel, UserId};

use crate::access::{Access, Denied, EditAccess, FieldAccess};
use crate::actor::Actor;
use crate::level::{Subject, require_level};

/// What access decisions need to know of a stored case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRef<'a> {
    pub owner: &'a UserId,
    pub stored_status: CaseStatus,
    pub active: bool,
}

fn is_case_admin(actor: &Actor) -> bool {
    actor.has_level(RoleLevel::CaseAdmin)
}

/// Owner or case admin, else `NotFound`.
fn owner_or_ca(actor: &Actor, case: CaseRef<'_>) -> Access {
    Access::when(actor.is(case.owner) || is_case_admin(actor), Access::NotFound)
}

/// A change by an actor who may see the case: providers only below 15.
fn unlocked(actor: &Actor, case: CaseRef<'_>) -> EditAccess {
    if is_case_admin(actor) || case.stored_status.is_pre_billing() {
        EditAccess::Allowed
    } else {
        EditAccess::Locked
    }
}

/// The owner an actor's reads of a case by id are limited to: the actor themself below case
/// admin, nobody above. The store applies it inside the one lookup, so a case the actor may not
/// see costs the same as a missing one (ids and timing reveal nothing).
pub fn case_reads_limited_to(actor: &Actor) -> Option<&UserId> {
    (!is_case_admin(actor)).then_some(&actor.user_id)
}

/// GET /case, GET /case/document: owner or CA; a deleted case is not found for everyone.
pub fn may_read_case(actor: &Actor, case: CaseRef<'_>) -> Access {
    Access::when(case.active, Access::NotFound).and_then(|| owner_or_ca(actor, case))
}

/// GET /case/status_history: owner or CA; a deleted case only for CA.
pub fn may_read_case_history(actor: &Actor, case: CaseRef<'_>) -> Access {
    owner_or_ca(actor, case).and_then(|| Access::when(case.active || is_case_admin(actor), Access::NotFound))
}

/// PATCH /case and document changes (upload URL, confirm, DELETE /case/document): the owner
/// while the stored status is below 15 (else `Locked`), or CA at any status. A deleted case is
/// not found.
pub fn may_edit_case(actor: &Actor, case: CaseRef<'_>) -> EditAccess {
    may_read_case(actor, case).and_then_edit(|| unlocked(actor, case))
}

/// DELETE /case: as [`may_edit_case`], except that an already deleted case is visible to its
/// owner and to CA (the "already inactive" answer, which retries pending document moves).
pub fn may_delete_case(actor: &Actor, case: CaseRef<'_>) -> EditAccess {
    owner_or_ca(actor, case)
        .and_then_edit(|| if case.active { unlocked(actor, case) } else { EditAccess::Allowed })
}

/// POST /case/restore: CA (the endpoint level, so `Forbidden` below it).
pub fn may_restore_case(actor: &Actor) -> Access {
    require_level(actor, RoleLevel::CaseAdmin)
}

/// POST /case for `owner` (body `user_id`, default the caller): oneself, or CA for others.
pub fn may_create_case_for(actor: &Actor, owner: &UserId) -> Access {
    Subject::Cases.may_act_for(actor, owner)
}

/// PATCH /case `user_id` (new owner): CA only, unless it names the current owner.
pub fn may_reassign_case(actor: &Actor, current_owner: &UserId, requested_owner: &UserId) -> FieldAccess {
    FieldAccess::when(current_owner == requested_owner || is_case_admin(actor))
}

/// `admin_file` (PATCH /case, document routes): CA only.
pub fn may_set_admin_file(actor: &Actor) -> FieldAccess {
    FieldAccess::when(is_case_admin(actor))
}

/// A change to one document of a case (upload URL, confirm, DELETE /case/document), checks in
/// this order: a case the actor may not read is `NotFound`; then `admin_file` for anyone below
/// CA is `ForbiddenField("admin_file")`; then the edit lock (`Locked`).
pub fn may_change_case_document(
    actor: &Actor,
    case: CaseRef<'_>,
    field: DocumentField,
) -> Result<(), Denied> {
    may_read_case(actor, case).check()?;
    if field == DocumentField::AdminFile {
        may_set_admin_file(actor).check(field.as_str())?;
    }
    may_edit_case(actor, case).check()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{TYPES, actor, st, uid};

    const A: EditAccess = EditAccess::Allowed;
    const N: EditAccess = EditAccess::NotFound;
    const F: EditAccess = EditAccess::Forbidden;
    const L: EditAccess = EditAccess::Locked;

    /// Stored statuses of the table columns: below 15, 15, 400.
    const STATUSES: [i64; 3] = [5, 15, 400];

    /// One row: actor type, own case?, expected per status (5, 15, 400).
    /// Expected answers are [`EditAccess`]; a read decision's [`Access`] is compared through
    /// `From` (it has no `Locked`).
    type Row = (i64, bool, [EditAccess; 3]);

    fn run(name: &str, table: &[Row], active: bool, decide: fn(&Actor, CaseRef<'_>) -> EditAccess) {
        assert_eq!(table.len(), TYPES.len() * 2, "{name}: every type × own/other");
        let other = uid("u-other");
        for (t, own, expected) in table {
            let a = actor(*t);
            let owner = if *own { &a.user_id } else { &other };
            for (status, want) in STATUSES.iter().zip(expected) {
                let case = CaseRef { owner, stored_status: st(*status), active };
                assert_eq!(
                    decide(&a, case),
                    *want,
                    "{name}: type {t} own {own} status {status} active {active}"
                );
            }
        }
    }

    #[test]
    fn case_reads_by_id_are_limited_to_the_actor_below_case_admin() {
        for t in TYPES {
            let a = actor(t);
            let limited = case_reads_limited_to(&a).map(|u| u.as_str().to_owned());
            let expected = (t < 10).then(|| a.user_id.as_str().to_owned());
            assert_eq!(limited, expected, "type {t}");
            // The limit agrees with the decision: what it lets through, may_read_case allows.
            let other = uid("u-other");
            let case = CaseRef { owner: &other, stored_status: st(5), active: true };
            assert_eq!(limited.is_none(), may_read_case(&a, case) == Access::Allowed, "type {t}");
        }
    }

    #[test]
    fn read_active_case() {
        let table: &[Row] = &[
            (1, true, [A, A, A]),
            (1, false, [N, N, N]),
            (7, true, [A, A, A]),
            (7, false, [N, N, N]),
            (10, true, [A, A, A]),
            (10, false, [A, A, A]),
            (20, true, [A, A, A]),
            (20, false, [A, A, A]),
            (100, true, [A, A, A]),
            (100, false, [A, A, A]),
            (999, true, [A, A, A]),
            (999, false, [A, A, A]),
        ];
        run("read", table, true, |a, c| may_read_case(a, c).into());
    }

    #[test]
    fn read_deleted_case() {
        let table: &[Row] = &[
            (1, true, [N, N, N]),
            (1, false, [N, N, N]),
            (7, true, [N, N, N]),
            (7, false, [N, N, N]),
            (10, true, [N, N, N]),
            (10, false, [N, N, N]),
            (20, true, [N, N, N]),
            (20, false, [N, N, N]),
            (100, true, [N, N, N]),
            (100, false, [N, N, N]),
            (999, true, [N, N, N]),
            (999, false, [N, N, N]),
        ];
        run("read deleted", table, false, |a, c| may_read_case(a, c).into());
    }

    #[test]
    fn history_of_active_and_deleted_cases() {
        let active: &[Row] = &[
            (1, true, [A, A, A]),
            (1, false, [N, N, N]),
            (7, true, [A, A, A]),
            (7, false, [N, N, N]),
            (10, true, [A, A, A]),
            (10, false, [A, A, A]),
            (20, true, [A, A, A]),
            (20, false, [A, A, A]),
            (100, true, [A, A, A]),
            (100, false, [A, A, A]),
            (999, true, [A, A, A]),
            (999, false, [A, A, A]),
        ];
        run("history", active, true, |a, c| may_read_case_history(a, c).into());
        let deleted: &[Row] = &[
            (1, true, [N, N, N]),
            (1, false, [N, N, N]),
            (7, true, [N, N, N]),
            (7, false, [N, N, N]),
            (10, true, [A, A, A]),
            (10, false, [A, A, A]),
            (20, true, [A, A, A]),
            (20, false, [A, A, A]),
            (100, true, [A, A, A]),
            (100, false, [A, A, A]),
            (999, true, [A, A, A]),
            (999, false, [A, A, A]),
        ];
        run("history deleted", deleted, false, |a, c| may_read_case_history(a, c).into());
    }

    #[test]
    fn edit_active_case() {
        let table: &[Row] = &[
            (1, true, [A, L, L]),
            (1, false, [N, N, N]),
            (7, true, [A, L, L]),
            (7, false, [N, N, N]),
            (10, true, [A, A, A]),
            (10, false, [A, A, A]),
            (20, true, [A, A, A]),
            (20, false, [A, A, A]),
            (100, true, [A, A, A]),
            (100, false, [A, A, A]),
            (999, true, [A, A, A]),
            (999, false, [A, A, A]),
        ];
        run("edit", table, true, may_edit_case);
    }

    #[test]
    fn edit_deleted_case() {
        let table: &[Row] = &[
            (1, true, [N, N, N]),
            (1, false, [N, N, N]),
            (7, true, [N, N, N]),
            (7, false, [N, N, N]),
            (10, true, [N, N, N]),
            (10, false, [N, N, N]),
            (20, true, [N, N, N]),
            (20, false, [N, N, N]),
            (100, true, [N, N, N]),
            (100, false, [N, N, N]),
            (999, true, [N, N, N]),
            (999, false, [N, N, N]),
        ];
        run("edit deleted", table, false, may_edit_case);
    }

    #[test]
    fn delete_active_case() {
        let table: &[Row] = &[
            (1, true, [A, L, L]),
            (1, false, [N, N, N]),
            (7, true, [A, L, L]),
            (7, false, [N, N, N]),
            (10, true, [A, A, A]),
            (10, false, [A, A, A]),
            (20, true, [A, A, A]),
            (20, false, [A, A, A]),
            (100, true, [A, A, A]),
            (100, false, [A, A, A]),
            (999, true, [A, A, A]),
            (999, false, [A, A, A]),
        ];
        run("delete", table, true, may_delete_case);
    }

    #[test]
    fn delete_deleted_case_answers_already_inactive() {
        let table: &[Row] = &[
            (1, true, [A, A, A]),
            (1, false, [N, N, N]),
            (7, true, [A, A, A]),
            (7, false, [N, N, N]),
            (10, true, [A, A, A]),
            (10, false, [A, A, A]),
            (20, true, [A, A, A]),
            (20, false, [A, A, A]),
            (100, true, [A, A, A]),
            (100, false, [A, A, A]),
            (999, true, [A, A, A]),
            (999, false, [A, A, A]),
        ];
        run("delete deleted", table, false, may_delete_case);
    }

    #[test]
    fn restore_create_reassign_admin_file() {
        // (type, restore, create for self, create for other, reassign to same, reassign to
        // other, admin_file)
        type Row = (i64, EditAccess, EditAccess, EditAccess, FieldAccess, FieldAccess, FieldAccess);
        const FA: FieldAccess = FieldAccess::Allowed;
        const FF: FieldAccess = FieldAccess::ForbiddenField;
        let table: &[Row] = &[
            (1, F, A, N, FA, FF, FF),
            (7, F, A, N, FA, FF, FF),
            (10, A, A, A, FA, FA, FA),
            (20, A, A, A, FA, FA, FA),
            (100, A, A, A, FA, FA, FA),
            (999, A, A, A, FA, FA, FA),
        ];
        assert_eq!(table.len(), TYPES.len());
        let other = uid("u-other");
        for (t, restore, create_own, create_other, same, moved, admin_file) in table {
            let a = actor(*t);
            assert_eq!(EditAccess::from(may_restore_case(&a)), *restore, "restore {t}");
            assert_eq!(EditAccess::from(may_create_case_for(&a, &a.user_id)), *create_own, "create own {t}");
            assert_eq!(EditAccess::from(may_create_case_for(&a, &other)), *create_other, "create other {t}");
            assert_eq!(may_reassign_case(&a, &a.user_id, &a.user_id), *same, "reassign same {t}");
            assert_eq!(may_reassign_case(&a, &a.user_id, &other), *moved, "reassign {t}");
            assert_eq!(may_set_admin_file(&a), *admin_file, "admin_file {t}");
        }
    }

    #[test]
    fn lock_boundary_is_15() {
        let a = actor(1);
        for (status, want) in [(0, A), (10, A), (14, A), (15, L), (20, L), (399, L), (400, L), (500, L)] {
            let case = CaseRef { owner: &a.user_id, stored_status: st(status), active: true };
            assert_eq!(may_edit_case(&a, case), want, "{status}");
        }
    }

    #[test]
    fn change_case_document() {
        type R = Result<(), Denied>;
        const OK: R = Ok(());
        const NF: R = Err(Denied::NotFound);
        const LK: R = Err(Denied::Locked);
        const FF: R = Err(Denied::ForbiddenField("admin_file"));
        // (actor type, own case?, active?, expected per status 5, 15, 400) for a non-admin
        // field and for admin_file.
        type Row = (i64, bool, bool, [R; 3], [R; 3]);
        let table: &[Row] = &[
            (1, true, true, [OK, LK, LK], [FF, FF, FF]),
            (1, false, true, [NF, NF, NF], [NF, NF, NF]),
            (7, true, true, [OK, LK, LK], [FF, FF, FF]),
            (7, false, true, [NF, NF, NF], [NF, NF, NF]),
            (10, true, true, [OK, OK, OK], [OK, OK, OK]),
            (10, false, true, [OK, OK, OK], [OK, OK, OK]),
            (20, true, true, [OK, OK, OK], [OK, OK, OK]),
            (20, false, true, [OK, OK, OK], [OK, OK, OK]),
            (100, true, true, [OK, OK, OK], [OK, OK, OK]),
            (100, false, true, [OK, OK, OK], [OK, OK, OK]),
            (999, true, true, [OK, OK, OK], [OK, OK, OK]),
            (999, false, true, [OK, OK, OK], [OK, OK, OK]),
            (1, true, false, [NF, NF, NF], [NF, NF, NF]),
            (1, false, false, [NF, NF, NF], [NF, NF, NF]),
            (7, true, false, [NF, NF, NF], [NF, NF, NF]),
            (7, false, false, [NF, NF, NF], [NF, NF, NF]),
            (10, true, false, [NF, NF, NF], [NF, NF, NF]),
            (10, false, false, [NF, NF, NF], [NF, NF, NF]),
            (20, true, false, [NF, NF, NF], [NF, NF, NF]),
            (20, false, false, [NF, NF, NF], [NF, NF, NF]),
            (100, true, false, [NF, NF, NF], [NF, NF, NF]),
            (100, false, false, [NF, NF, NF], [NF, NF, NF]),
            (999, true, false, [NF, NF, NF], [NF, NF, NF]),
            (999, false, false, [NF, NF, NF], [NF, NF, NF]),
        ];
        assert_eq!(table.len(), TYPES.len() * 4, "every type × own/other × active/deleted");
        let other = uid("u-other");
        for (t, own, active, plain, admin) in table {
            let a = actor(*t);
            let owner = if *own { &a.user_id } else { &other };
            for (i, status) in STATUSES.iter().enumerate() {
                let case = CaseRef { owner, stored_status: st(*status), active: *active };
                for field in [DocumentField::DemoFile, DocumentField::NoteFile, DocumentField::MiscFile] {
                    assert_eq!(
                        may_change_case_document(&a, case, field),
                        plain[i],
                        "type {t} own {own} active {active} status {status} {field:?}"
                    );
                }
                assert_eq!(
                    may_change_case_document(&a, case, DocumentField::AdminFile),
                    admin[i],
                    "type {t} own {own} active {active} status {status} admin_file"
                );
            }
        }
    }
}
