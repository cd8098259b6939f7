//! The repository traits, implemented once for [`Session`](crate::session::Session): the same
//! code serves autocommit connections and transactions on both backends.

mod address_book;
mod bugs;
mod case_rows;
mod cases;
mod dashboards;
mod decode;
mod directory;
mod faqs;
mod history;
mod jobs;
mod reference;
mod scalar;
mod table_row;
mod uploads;
mod users;

type R<T> = Result<T, surgicase_ports::StoreError>;
