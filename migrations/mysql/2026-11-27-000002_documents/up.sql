-- Document uploads (domain §3.5, §14.3) and the queue of object moves decided in a
-- transaction and carried out after it (replaced and removed documents, §13).

CREATE TABLE document_uploads (
    upload_id CHAR(36) COLLATE utf8mb4_bin NOT NULL,
    owner_kind VARCHAR(4) NOT NULL,
    case_id VARCHAR(100) COLLATE utf8mb4_bin NULL,
    user_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    document_type VARCHAR(200) NOT NULL,
    file_name VARCHAR(250) NOT NULL,
    object_key VARCHAR(1024) COLLATE utf8mb4_bin NOT NULL,
    declared_size BIGINT NOT NULL,
    declared_content_type VARCHAR(100) NOT NULL,
    created_by VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    created_ts DATETIME(6) NOT NULL,
    expires_ts DATETIME(6) NOT NULL,
    state VARCHAR(10) NOT NULL,
    PRIMARY KEY (upload_id),
    KEY idx_document_uploads_state (state, expires_ts)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE document_moves (
    id BIGINT NOT NULL AUTO_INCREMENT,
    source_key VARCHAR(1024) COLLATE utf8mb4_bin NOT NULL,
    target_key VARCHAR(1024) COLLATE utf8mb4_bin NOT NULL,
    created_ts DATETIME(6) NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The archive step looks for unfinished case moves.
CREATE INDEX idx_cases_archive_state ON cases (archive_state);
