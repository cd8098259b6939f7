//! Each user's own surgeons and facilities (domain §3.3, §13).

use serde_json::json;
use surgicase_directory::{FacilityInput, NewFacility, NewSurgeon, SurgeonInput};
use surgicase_kernel::{FacilityId, UserId};
use surgicase_permissions::{may_delete_facility, may_delete_surgeon, may_use_address_book_of};
use surgicase_ports::records::{FacilityRecord, NewFacilityRecord, NewSurgeonRecord, SurgeonRecord};

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

fn npi_value(npi: Option<surgicase_kernel::Npi>) -> Option<i64> {
    npi.and_then(|n| i64::try_from(n.get()).ok())
}

impl App {
    pub async fn create_surgeon(&self, ctx: &Ctx, input: &SurgeonInput) -> Result<SurgeonCreated, AppError> {
        let new = NewSurgeon::validate(input)?;
        let owner = new.owner.clone().unwrap_or_else(|| ctx.actor.user_id.clone());
        require(may_use_address_book_of(&ctx.actor, &owner), Missing::User, owner.as_str())?;
        let mut tx = self.store.begin().await?;
        // The owner lock serialises the NPI check with concurrent creations.
        lock_active_owner(&mut *tx, &owner).await?;
        let npi = npi_value(new.npi);
        if let Some(npi) = npi
            && let Some(existing) = tx.find_surgeon_by_npi(&owner, npi).await?
        {
            return Err(AppError::Conflict(Conflict::SurgeonExists {
                existing_surgeon_id: existing.surgeon_id.get(),
            }));
        }
        let surgeon = tx
            .insert_surgeon(&NewSurgeonRecord {
                user_id: owner.clone(),
                first_name: new.first_name,
                last_name: new.last_name,
                surgeon_npi: npi,
                surgeon_addr: new.addr,
                surgeon_city: new.city,
                surgeon_state: new.state,
                surgeon_zip: new.zip,
                created_ts: self.clock.now(),
            })
            .await?;
        tx.commit().await?;
        let touched =
            Touched::new("surgeon.create", "surgeon", surgeon.surgeon_id.to_string()).subject(owner.as_str());
        Ok(SurgeonCreated { surgeon, touched })
    }

    pub async fn list_surgeons(
        &self,
        ctx: &Ctx,
        subject: Option<UserId>,
    ) -> Result<(UserId, Vec<SurgeonRecord>), AppError> {
        let owner = subject.unwrap_or_else(|| ctx.actor.user_id.clone());
        require(may_use_address_book_of(&ctx.actor, &owner), Missing::User, owner.as_str())?;
        let mut conn = self.store.conn().await?;
        let list = conn.list_surgeons(&owner).await?;
        Ok((owner, list))
    }

    pub async fn delete_surgeon(&self, ctx: &Ctx, raw_id: i64) -> Result<Touched, AppError> {
        let missing = || AppError::not_found(Missing::Surgeon, raw_id.to_string());
        let id = surgicase_kernel::SurgeonId::new(raw_id).map_err(|_| missing())?;
        let mut tx = self.store.begin().await?;
        let surgeon = tx.get_surgeon(id).await?.ok_or_else(missing)?;
        require(may_delete_surgeon(&ctx.actor, &surgeon.user_id), Missing::Surgeon, &raw_id.to_string())?;
        let used = tx.count_cases_with_surgeon(id).await?;
        if used > 0 {
            return Err(AppError::Conflict(Conflict::SurgeonInUse { case_count: used }));
        }
        tx.delete_surgeon(id).await?;
        tx.commit().await?;
        Ok(Touched::new("surgeon.delete", "surgeon", raw_id.to_string()).subject(surgeon.user_id.as_str()))
    }

    pub async fn create_facility(
        &self,
        ctx: &Ctx,
        input: &FacilityInput,
    ) -> Result<FacilityCreated, AppError> {
        let new = NewFacility::validate(input)?;
        let owner = new.owner.clone().unwrap_or_else(|| ctx.actor.user_id.clone());
        require(may_use_address_book_of(&ctx.actor, &owner), Missing::User, owner.as_str())?;
        let mut tx = self.store.begin().await?;
        lock_active_owner(&mut *tx, &owner).await?;
        let npi = npi_value(new.npi);
        if let Some(npi) = npi
            && let Some(existing) = tx.find_facility_by_npi(&owner, npi).await?
        {
            return Err(AppError::Conflict(Conflict::FacilityExists {
                existing_facility_id: existing.facility_id.get(),
            }));
        }
        let facility = tx
            .insert_facility(&NewFacilityRecord {
                user_id: owner.clone(),
                facility_name: new.name,
                facility_npi: npi,
                facility_addr: new.addr,
                facility_city: new.city,
                facility_state: new.state,
                facility_zip: new.zip,
                created_ts: self.clock.now(),
            })
            .await?;
        tx.commit().await?;
        let touched = Touched::new("facility.create", "facility", facility.facility_id.to_string())
            .subject(owner.as_str())
            .details(json!({}));
        Ok(FacilityCreated { facility, touched })
    }

    pub async fn list_facilities(
        &self,
        ctx: &Ctx,
        subject: Option<UserId>,
    ) -> Result<(UserId, Vec<FacilityRecord>), AppError> {
        let owner = subject.unwrap_or_else(|| ctx.actor.user_id.clone());
        require(may_use_address_book_of(&ctx.actor, &owner), Missing::User, owner.as_str())?;
        let mut conn = self.store.conn().await?;
        let list = conn.list_facilities(&owner).await?;
        Ok((owner, list))
    }

    pub async fn delete_facility(&self, ctx: &Ctx, raw_id: i64) -> Result<Touched, AppError> {
        let missing = || AppError::not_found(Missing::Facility, raw_id.to_string());
        let id = FacilityId::new(raw_id).map_err(|_| missing())?;
        let mut tx = self.store.begin().await?;
        let facility = tx.get_facility(id).await?.ok_or_else(missing)?;
        require(may_delete_facility(&ctx.actor, &facility.user_id), Missing::Facility, &raw_id.to_string())?;
        let used = tx.count_cases_with_facility(id).await?;
        if used > 0 {
            return Err(AppError::Conflict(Conflict::FacilityInUse { case_count: used }));
        }
        tx.delete_facility(id).await?;
        tx.commit().await?;
        Ok(Touched::new("facility.delete", "facility", raw_id.to_string()).subject(facility.user_id.as_str()))
    }
}
