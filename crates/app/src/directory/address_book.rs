//! Each user's own surgeons and facilities (domain §3.3, §13): one body of use cases for both
//! lists, told apart by [`Book`].

use surgicase_directory::{FacilityInput, NewFacility, NewSurgeon, SurgeonInput};
use surgicase_kernel::{FacilityId, Npi, SurgeonId, UserId};
use surgicase_permissions::{
    Access, Actor, may_delete_facility, may_delete_surgeon, may_use_address_book_of,
};
use surgicase_ports::records::{
    BookEntry, BookKind, Facilities, FacilityRecord, NewBookEntry, PersonName, PostalAddress, SurgeonRecord,
    Surgeons,
};
use surgicase_ports::{BookRepo, Conn};

use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::cases::lock_active_owner;
use crate::context::Ctx;
use crate::error::{AppError, Conflict, Missing};

#[derive(Debug, Clone, PartialEq)]
pub struct SurgeonCreated {
    pub surgeon: SurgeonRecord,
    pub touched: Touched,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FacilityCreated {
    pub facility: FacilityRecord,
    pub touched: Touched,
}

/// What the use cases need of one list beyond the shared operations: its port, its audit
/// names, its answers and its delete rule.
trait Book: BookKind {
    const RESOURCE: &'static str;
    const CREATED: &'static str;
    const DELETED: &'static str;
    const MISSING: Missing;
    fn repo(conn: &mut dyn Conn) -> &mut dyn BookRepo<Self>;
    fn id(raw: i64) -> Option<Self::Id>;
    fn exists(existing: Self::Id) -> Conflict;
    fn in_use(case_count: i64) -> Conflict;
    fn may_delete(actor: &Actor, owner: &UserId) -> Access;
}

impl Book for Surgeons {
    const RESOURCE: &'static str = "surgeon";
    const CREATED: &'static str = "surgeon.create";
    const DELETED: &'static str = "surgeon.delete";
    const MISSING: Missing = Missing::Surgeon;
    fn repo(conn: &mut dyn Conn) -> &mut dyn BookRepo<Self> {
        conn.surgeons()
    }
    fn id(raw: i64) -> Option<SurgeonId> {
        SurgeonId::new(raw).ok()
    }
    fn exists(existing: SurgeonId) -> Conflict {
        Conflict::SurgeonExists { existing_surgeon_id: existing.get() }
    }
    fn in_use(case_count: i64) -> Conflict {
        Conflict::SurgeonInUse { case_count }
    }
    fn may_delete(actor: &Actor, owner: &UserId) -> Access {
        may_delete_surgeon(actor, owner)
    }
}

impl Book for Facilities {
    const RESOURCE: &'static str = "facility";
    const CREATED: &'static str = "facility.create";
    const DELETED: &'static str = "facility.delete";
    const MISSING: Missing = Missing::Facility;
    fn repo(conn: &mut dyn Conn) -> &mut dyn BookRepo<Self> {
        conn.facilities()
    }
    fn id(raw: i64) -> Option<FacilityId> {
        FacilityId::new(raw).ok()
    }
    fn exists(existing: FacilityId) -> Conflict {
        Conflict::FacilityExists { existing_facility_id: existing.get() }
    }
    fn in_use(case_count: i64) -> Conflict {
        Conflict::FacilityInUse { case_count }
    }
    fn may_delete(actor: &Actor, owner: &UserId) -> Access {
        may_delete_facility(actor, owner)
    }
}

/// A validated entry before its owner is decided.
struct Entry<K: BookKind> {
    owner: Option<UserId>,
    name: K::Name,
    npi: Option<Npi>,
    address: PostalAddress,
}

impl App {
    pub async fn create_surgeon(&self, ctx: &Ctx, input: &SurgeonInput) -> Result<SurgeonCreated, AppError> {
        let new = NewSurgeon::validate(input)?;
        let entry = Entry::<Surgeons> {
            owner: new.owner,
            name: PersonName { first_name: new.first_name, last_name: new.last_name },
            npi: new.npi,
            address: PostalAddress { addr: new.addr, city: new.city, state: new.state, zip: new.zip },
        };
        let (surgeon, touched) = self.add_entry(ctx, entry).await?;
        Ok(SurgeonCreated { surgeon, touched })
    }

    pub async fn create_facility(
        &self,
        ctx: &Ctx,
        input: &FacilityInput,
    ) -> Result<FacilityCreated, AppError> {
        let new = NewFacility::validate(input)?;
        let entry = Entry::<Facilities> {
            owner: new.owner,
            name: new.name,
            npi: new.npi,
            address: PostalAddress { addr: new.addr, city: new.city, state: new.state, zip: new.zip },
        };
        let (facility, touched) = self.add_entry(ctx, entry).await?;
        Ok(FacilityCreated { facility, touched })
    }

    pub async fn list_surgeons(
        &self,
        ctx: &Ctx,
        subject: Option<UserId>,
    ) -> Result<(UserId, Vec<SurgeonRecord>), AppError> {
        self.list_entries(ctx, subject).await
    }

    pub async fn list_facilities(
        &self,
        ctx: &Ctx,
        subject: Option<UserId>,
    ) -> Result<(UserId, Vec<FacilityRecord>), AppError> {
        self.list_entries(ctx, subject).await
    }

    pub async fn delete_surgeon(&self, ctx: &Ctx, raw_id: i64) -> Result<Touched, AppError> {
        self.delete_entry::<Surgeons>(ctx, raw_id).await
    }

    pub async fn delete_facility(&self, ctx: &Ctx, raw_id: i64) -> Result<Touched, AppError> {
        self.delete_entry::<Facilities>(ctx, raw_id).await
    }

    async fn add_entry<K: Book>(
        &self,
        ctx: &Ctx,
        entry: Entry<K>,
    ) -> Result<(BookEntry<K>, Touched), AppError> {
        let owner = entry.owner.unwrap_or_else(|| ctx.actor.user_id.clone());
        require(may_use_address_book_of(&ctx.actor, &owner), Missing::User, owner.as_str())?;
        let mut tx = self.store.begin().await?;
        // The owner lock serialises the NPI check with concurrent creations.
        lock_active_owner(&mut *tx, &owner).await?;
        let npi = entry.npi.and_then(|n| i64::try_from(n.get()).ok());
        if let Some(npi) = npi
            && let Some(existing) = K::repo(&mut *tx).find_by_npi(&owner, npi).await?
        {
            return Err(AppError::Conflict(K::exists(existing.id)));
        }
        let new = NewBookEntry {
            user_id: owner.clone(),
            name: entry.name,
            npi,
            address: entry.address,
            created_ts: self.clock.now(),
        };
        let stored = K::repo(&mut *tx).insert(&new).await?;
        tx.commit().await?;
        let touched = Touched::new(K::CREATED, K::RESOURCE, stored.id.to_string()).subject(owner.as_str());
        Ok((stored, touched))
    }

    async fn list_entries<K: Book>(
        &self,
        ctx: &Ctx,
        subject: Option<UserId>,
    ) -> Result<(UserId, Vec<BookEntry<K>>), AppError> {
        let owner = subject.unwrap_or_else(|| ctx.actor.user_id.clone());
        require(may_use_address_book_of(&ctx.actor, &owner), Missing::User, owner.as_str())?;
        let mut conn = self.store.conn().await?;
        let list = K::repo(&mut *conn).list(&owner).await?;
        Ok((owner, list))
    }

    async fn delete_entry<K: Book>(&self, ctx: &Ctx, raw_id: i64) -> Result<Touched, AppError> {
        let missing = || AppError::not_found(K::MISSING, raw_id.to_string());
        let id = K::id(raw_id).ok_or_else(missing)?;
        let mut tx = self.store.begin().await?;
        let entry = K::repo(&mut *tx).get(id).await?.ok_or_else(missing)?;
        require(K::may_delete(&ctx.actor, &entry.user_id), K::MISSING, &raw_id.to_string())?;
        let used = K::repo(&mut *tx).count_cases_with(id).await?;
        if used > 0 {
            return Err(AppError::Conflict(K::in_use(used)));
        }
        K::repo(&mut *tx).delete(id).await?;
        tx.commit().await?;
        Ok(Touched::new(K::DELETED, K::RESOURCE, raw_id.to_string()).subject(entry.user_id.as_str()))
    }
}
