-- Document uploads (domain §3.5, §14.3) and the queue of object moves decided in a
-- transaction and carried out after it (replaced and removed documents, §13).

CREATE TABLE document_uploads (
    upload_id TEXT NOT NULL PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    case_id TEXT NULL,
    user_id TEXT NOT NULL,
    document_type TEXT NOT NULL,
    file_name TEXT NOT NULL,
    object_key TEXT NOT NULL,
    declared_size INTEGER NOT NULL,
    declared_content_type TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_ts TIMESTAMP NOT NULL,
    expires_ts TIMESTAMP NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX idx_document_uploads_state ON document_uploads (state, expires_ts);

CREATE TABLE document_moves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_key TEXT NOT NULL,
    target_key TEXT NOT NULL,
    created_ts TIMESTAMP NOT NULL
);

-- The archive step looks for unfinished case moves.
CREATE INDEX idx_cases_archive_state ON cases (archive_state);
