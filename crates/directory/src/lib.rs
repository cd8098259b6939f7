//! Surgeons, facilities and display normalisation of NPI search data.
