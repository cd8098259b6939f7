//! The HTTP shell (actix-web) and the surgicase-api command line.
