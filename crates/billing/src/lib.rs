//! Status rule engine, scheduled transitions and pay amounts.
