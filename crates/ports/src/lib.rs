//! Port traits: what the use cases need from the world. No implementations.
