-- Bug intake and request logs (domain §3.6, §19).

CREATE TABLE bugs (
    bug_id BIGINT NOT NULL AUTO_INCREMENT,
    title VARCHAR(250) NOT NULL,
    description TEXT NULL,
    calling_page VARCHAR(500) NULL,
    bug_date VARCHAR(50) NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'Open',
    priority VARCHAR(10) NOT NULL DEFAULT 'medium',
    reported_by VARCHAR(250) NULL,
    reported_by_user_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    full_json MEDIUMTEXT NOT NULL,
    created_ts DATETIME(6) NOT NULL,
    tracker_task_id VARCHAR(100) NULL,
    sync_state VARCHAR(10) NOT NULL,
    sync_attempts INT NOT NULL DEFAULT 0,
    next_sync_ts DATETIME(6) NULL,
    last_sync_error VARCHAR(500) NULL,
    PRIMARY KEY (bug_id),
    KEY idx_bugs_sync (sync_state, next_sync_ts),
    KEY idx_bugs_reporter (reported_by_user_id, created_ts)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Written only when observability.request_log_table = true. No payload columns: they held PHI.
CREATE TABLE request_logs (
    id BIGINT NOT NULL AUTO_INCREMENT,
    timestamp DATETIME(6) NOT NULL,
    request_id VARCHAR(64) NOT NULL,
    user_id VARCHAR(100) COLLATE utf8mb4_bin NULL,
    endpoint VARCHAR(255) NOT NULL,
    method VARCHAR(10) NOT NULL,
    response_status INT NOT NULL,
    execution_time_ms INT NOT NULL,
    error_message VARCHAR(100) NULL,
    client_ip VARCHAR(45) NOT NULL,
    source VARCHAR(10) NOT NULL,
    PRIMARY KEY (id),
    KEY idx_request_logs_timestamp (timestamp),
    KEY idx_request_logs_endpoint (endpoint)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
