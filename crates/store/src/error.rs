//! Translation of driver and pool errors into the port's [`StoreError`].
//!
//! Messages name keys and constraints, never values: a MySQL duplicate-key message quotes the
//! duplicated value, so only the key name is kept.

use diesel::result::{ConnectionError, DatabaseErrorKind, Error as DieselError};
use surgicase_ports::StoreError;

/// A diesel error as the port sees it.
pub(crate) fn from_diesel(err: DieselError) -> StoreError {
    match err {
        DieselError::DatabaseError(kind, info) => {
            let message = info.message();
            match kind {
                DatabaseErrorKind::UniqueViolation => StoreError::Duplicate(unique_key_name(message)),
                DatabaseErrorKind::ForeignKeyViolation => StoreError::Reference(foreign_key_name(message)),
                DatabaseErrorKind::UnableToSendCommand | DatabaseErrorKind::ClosedConnection => {
                    StoreError::Unavailable(message.to_owned())
                }
                _ if is_unavailable_message(message) => StoreError::Unavailable(message.to_owned()),
                _ => StoreError::Backend(message.to_owned()),
            }
        }
        DieselError::DeserializationError(e) => StoreError::Corrupt(format!("unreadable stored value: {e}")),
        DieselError::BrokenTransactionManager => {
            StoreError::Unavailable("the connection's transaction state is broken".into())
        }
        other => StoreError::Backend(other.to_string()),
    }
}

/// A failure to open a connection.
pub(crate) fn from_connection(err: ConnectionError) -> StoreError {
    match err {
        ConnectionError::InvalidConnectionUrl(e) => StoreError::Backend(format!("invalid database url: {e}")),
        ConnectionError::CouldntSetupConfiguration(e) => from_diesel(e),
        other => StoreError::Unavailable(other.to_string()),
    }
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
            (from_diesel(DieselError::DeserializationError("bad".into())), "Corrupt"),
            (from_connection(ConnectionError::BadConnection("refused".into())), "Unavailable"),
        ];
        for (err, variant) in table {
            assert!(format!("{err:?}").starts_with(variant), "{err:?} should be {variant}");
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
