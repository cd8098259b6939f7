//! The case aggregate: patient data, procedure-code list rules, duplicate-patient key.
