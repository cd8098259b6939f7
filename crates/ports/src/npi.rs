//! The NPI registry port: does an NPI exist, and whose is it?

use async_trait::async_trait;
use surgicase_kernel::Npi;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpiKind {
    /// NPI-1: an individual provider.
    Individual,
    /// NPI-2: an organisation.
    Organization,
}

/// What the registry says about one NPI (names as published; display normalisation is done
/// by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    pub npi: Npi,
    pub kind: NpiKind,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organization_name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The registry could not be reached or answered nonsense.
    #[error("NPI registry unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait NpiRegistry: Send + Sync {
    /// `Ok(None)` when the registry does not know the number.
    async fn lookup(&self, npi: Npi) -> Result<Option<RegistryEntry>, RegistryError>;
    /// A cheap reachability check (health).
    async fn ping(&self) -> Result<(), RegistryError>;
}
