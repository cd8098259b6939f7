//! User profiles: validation, normalisation, tier assignment.
