-- Bug intake and request logs (domain §3.6, §19), SQLite dialect.

CREATE TABLE bugs (
    bug_id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    description TEXT NULL,
    calling_page TEXT NULL,
    bug_date TEXT NULL,
    status TEXT NOT NULL DEFAULT 'Open',
    priority TEXT NOT NULL DEFAULT 'medium',
    reported_by TEXT NULL,
    reported_by_user_id TEXT NOT NULL,
    full_json TEXT NOT NULL,
    created_ts TIMESTAMP NOT NULL,
    tracker_task_id TEXT NULL,
    sync_state TEXT NOT NULL,
    sync_attempts INTEGER NOT NULL DEFAULT 0,
    next_sync_ts TIMESTAMP NULL,
    last_sync_error TEXT NULL
);
CREATE INDEX idx_bugs_sync ON bugs (sync_state, next_sync_ts);
CREATE INDEX idx_bugs_reporter ON bugs (reported_by_user_id, created_ts);

-- Written only when observability.request_log_table = true. No payload columns: they held PHI.
CREATE TABLE request_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp TIMESTAMP NOT NULL,
    request_id TEXT NOT NULL,
    user_id TEXT NULL,
    endpoint TEXT NOT NULL,
    method TEXT NOT NULL,
    response_status INTEGER NOT NULL,
    execution_time_ms INTEGER NOT NULL,
    error_message TEXT NULL,
    client_ip TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX idx_request_logs_timestamp ON request_logs (timestamp);
CREATE INDEX idx_request_logs_endpoint ON request_logs (endpoint);
