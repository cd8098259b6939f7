//! NPI registry adapters: the CMS NPPES API and the local search tables.
