//! The three outcomes of one field of a PATCH body: see [`surgicase_kernel::Patch`].

pub use surgicase_kernel::Patch;
