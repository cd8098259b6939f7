//! Translation of driver and pool errors into the port's [`StoreError`].
//!
//! Messages name keys and constraints, never values: a MySQL duplicate-key message quotes the
//! duplicated value, so only the key name is kept.

use diesel::result::{ConnectionError, DatabaseErrorKind, Error as DieselError};
use surgicase_ports::StoreError;

/// A diesel error as the port sees it. The diesel error stays the source of every variant but
/// `Duplicate` and `Reference`, whose driver text quotes the duplicated or missing value.
pub(crate) fn from_diesel(err: DieselError) -> StoreError {
    let classified = match &err {
        DieselError::DatabaseError(kind, info) => {
            let message = info.message();
            match kind {
                DatabaseErrorKind::UniqueViolation => return StoreError::Duplicate(unique_key_name(message)),
                DatabaseErrorKind::ForeignKeyViolation => {
                    return StoreError::Reference(foreign_key_name(message));
                }
                DatabaseErrorKind::UnableToSendCommand | DatabaseErrorKind::ClosedConnection => {
                    StoreError::unavailable("the connection was lost")
                }
                _ if is_conflict_message(message) => {
                    StoreError::Deadlock { message: "deadlock or write conflict".into(), source: None }
                }
                _ if is_unavailable_message(message) => {
                    StoreError::unavailable("the database is busy or unreachable")
                }
                _ => StoreError::backend("the statement was refused"),
            }
        }
        DieselError::DeserializationError(_) => StoreError::corrupt("unreadable stored value"),
        DieselError::BrokenTransactionManager => {
            StoreError::unavailable("the connection's transaction state is broken")
        }
        _ => StoreError::backend("the query failed"),
    };
    classified.caused_by(err)
}

/// A failure to open a connection.
pub(crate) fn from_connection(err: ConnectionError) -> StoreError {
    match err {
        ConnectionError::InvalidConnectionUrl(_) => {
            StoreError::backend("invalid database url").caused_by(err)
        }
        ConnectionError::CouldntSetupConfiguration(e) => from_diesel(e),
        other => StoreError::unavailable("cannot connect").caused_by(other),
    }
}

/// A deadlock victim (MySQL/MariaDB error 1213) or a transaction Galera aborted because another
/// node's write certified first: the whole transaction may be run again.
fn is_conflict_message(message: &str) -> bool {
    const SIGNS: [&str; 2] = ["Deadlock found when trying to get lock", "WSREP detected deadlock/conflict"];
    SIGNS.iter().any(|s| message.contains(s))
}

/// Busy or locked database, lock waits and lost connections: the request may succeed later.
fn is_unavailable_message(message: &str) -> bool {
    const SIGNS: [&str; 6] = [
        "database is locked",
        "database table is locked",
        "Lock wait timeout exceeded",
        "Input/output error",
        "Connection reset",
        "Broken pipe",
    ];
    SIGNS.iter().any(|s| message.contains(s))
}

/// The key of a unique violation: MySQL `Duplicate entry '…' for key 'cases.case_id'` →
/// `case_id`; SQLite `UNIQUE constraint failed: cases.case_id` → `cases.case_id`.
fn unique_key_name(message: &str) -> String {
    if let Some(rest) = message.split("for key '").nth(1) {
        let key = rest.split('\'').next().unwrap_or(rest);
        return key.to_owned();
    }
    if let Some(rest) = message.strip_prefix("UNIQUE constraint failed: ") {
        return rest.to_owned();
    }
    "unique key".to_owned()
}

/// The constraint of a foreign-key violation: MySQL names it (`CONSTRAINT `fk_…``); SQLite
/// does not.
fn foreign_key_name(message: &str) -> String {
    if let Some(rest) = message.split("CONSTRAINT `").nth(1) {
        let name = rest.split('`').next().unwrap_or(rest);
        return name.to_owned();
    }
    "foreign key".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Info(&'static str);

    impl diesel::result::DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn db(kind: DatabaseErrorKind, message: &'static str) -> StoreError {
        from_diesel(DieselError::DatabaseError(kind, Box::new(Info(message))))
    }

    #[test]
    fn driver_errors_map_to_port_errors() {
        use DatabaseErrorKind as K;
        let table: Vec<(StoreError, &str)> = vec![
            (db(K::UniqueViolation, "Duplicate entry 'Mary' for key 'cases.uq_cases_case_id'"), "Duplicate"),
            (db(K::UniqueViolation, "UNIQUE constraint failed: cases.case_id"), "Duplicate"),
            (db(K::ForeignKeyViolation, "FOREIGN KEY constraint failed"), "Reference"),
            (db(K::ClosedConnection, "gone"), "Unavailable"),
            (db(K::Unknown, "database is locked"), "Unavailable"),
            (db(K::Unknown, "Lock wait timeout exceeded; try restarting transaction"), "Unavailable"),
            (db(K::Unknown, "You have an error in your SQL syntax"), "Backend"),
            (
                db(K::Unknown, "Deadlock found when trying to get lock; try restarting transaction"),
                "Deadlock",
            ),
            (
                db(
                    K::Unknown,
                    "WSREP detected deadlock/conflict and aborted the transaction. Try restarting the transaction",
                ),
                "Deadlock",
            ),
            (from_diesel(DieselError::DeserializationError("bad".into())), "Corrupt"),
            (from_connection(ConnectionError::BadConnection("refused".into())), "Unavailable"),
        ];
        for (err, variant) in table {
            assert!(format!("{err:?}").starts_with(variant), "{err:?} should be {variant}");
            assert_eq!(err.is_retryable(), variant == "Deadlock", "{err:?}");
        }
    }

    #[test]
    fn the_diesel_error_is_kept_as_the_source() {
        let err = db(DatabaseErrorKind::Unknown, "Unknown column 'case_idd' in 'where clause'");
        assert_eq!(err.to_string(), "database error: the statement was refused");
        let source = std::error::Error::source(&err).expect("a source");
        assert!(source.downcast_ref::<DieselError>().is_some(), "{source:?}");
        assert_eq!(
            surgicase_ports::Chain(&err).to_string(),
            "database error: the statement was refused: Unknown column 'case_idd' in 'where clause'"
        );
        let err = from_diesel(DieselError::DeserializationError("bad date".into()));
        assert_eq!(
            surgicase_ports::Chain(&err).to_string(),
            "stored data is invalid: unreadable stored value: bad date"
        );
    }

    #[test]
    fn key_violations_drop_the_driver_text() {
        for err in [
            db(DatabaseErrorKind::UniqueViolation, "Duplicate entry 'Mary' for key 'cases.uq_cases_case_id'"),
            db(DatabaseErrorKind::ForeignKeyViolation, "a foreign key constraint fails (value 'Mary')"),
        ] {
            assert!(std::error::Error::source(&err).is_none(), "{err:?}");
            assert!(!surgicase_ports::Chain(&err).to_string().contains("Mary"), "{err:?}");
        }
    }

    #[test]
    fn messages_name_keys_not_values() {
        let err =
            db(DatabaseErrorKind::UniqueViolation, "Duplicate entry 'Mary' for key 'cases.uq_cases_case_id'");
        assert_eq!(err.to_string(), "unique key violated: cases.uq_cases_case_id");
        let err = db(
            DatabaseErrorKind::ForeignKeyViolation,
            "Cannot add or update a child row: a foreign key constraint fails (`db`.`cases`, CONSTRAINT \
             `fk_cases_user` FOREIGN KEY (`user_id`) REFERENCES `user_profile` (`user_id`))",
        );
        assert_eq!(err.to_string(), "reference violated: fk_cases_user");
        let err = db(DatabaseErrorKind::UniqueViolation, "UNIQUE constraint failed: cases.case_id");
        assert_eq!(err.to_string(), "unique key violated: cases.case_id");
    }
}
