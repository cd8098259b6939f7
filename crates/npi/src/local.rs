//! The registry on the local NPI tables (embedded default).

use std::sync::Arc;

use async_trait::async_trait;
use surgicase_kernel::Npi;
use surgicase_ports::records::{OrganizationSearch, PersonSearch};
use surgicase_ports::{NpiKind, NpiRegistry, RegistryEntry, RegistryError, Store, StoreError};

/// The `NpiRegistry` port on `search_surgeon_all` and `search_facility_all`: people first,
/// then organisations.
pub struct LocalRegistry {
    store: Arc<dyn Store>,
}

impl LocalRegistry {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }
}

impl std::fmt::Debug for LocalRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalRegistry").finish_non_exhaustive()
    }
}

fn unavailable(e: StoreError) -> RegistryError {
    RegistryError::Unavailable(format!("local NPI tables: {e}"))
}

#[async_trait]
impl NpiRegistry for LocalRegistry {
    async fn lookup(&self, npi: Npi) -> Result<Option<RegistryEntry>, RegistryError> {
        // Ten digits always fit; the conversion cannot fail for a valid Npi.
        let number =
            i64::try_from(npi.get()).map_err(|_| RegistryError::Unavailable("NPI out of range".into()))?;
        let mut conn = self.store.conn().await.map_err(unavailable)?;
        let people = conn.search_people(&PersonSearch::ByNpi(number), 1).await.map_err(unavailable)?;
        if let Some(p) = people.into_iter().next() {
            return Ok(Some(RegistryEntry {
                npi,
                kind: NpiKind::Individual,
                first_name: p.first_name,
                last_name: p.last_name,
                organization_name: None,
                address: p.address,
                city: p.city,
                state: p.state,
                zip: p.zip,
            }));
        }
        let orgs =
            conn.search_organizations(&OrganizationSearch::ByNpi(number), 1).await.map_err(unavailable)?;
        Ok(orgs.into_iter().next().map(|o| RegistryEntry {
            npi,
            kind: NpiKind::Organization,
            first_name: None,
            last_name: None,
            organization_name: o.facility_name,
            address: o.address,
            city: o.city,
            state: o.state,
            zip: o.zip,
        }))
    }

    async fn ping(&self) -> Result<(), RegistryError> {
        self.store.ping().await.map_err(unavailable)
    }
}
