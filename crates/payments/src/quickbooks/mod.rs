//! QuickBooks exports of the report population (§18.1, §18.2). They are alternatives: the CSV
//! for QuickBooks Online vendor import with opening balances, the IIF for QuickBooks Desktop
//! bills.

mod iif;
mod vendors;

#[cfg(test)]
mod iif_properties;

pub use iif::{IifAccounts, IifExport, IifOptions, clean_iif_value, transactions_iif};
pub use vendors::{VENDORS_CSV_HEADER, VendorsCsv, vendors_csv};
