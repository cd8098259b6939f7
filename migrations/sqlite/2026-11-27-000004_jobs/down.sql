-- Rebuilds case_status_history without the key to job_runs, then drops job_runs.
CREATE TABLE case_status_history_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT NOT NULL,
    from_status INTEGER NULL,
    to_status INTEGER NOT NULL,
    changed_ts TIMESTAMP NOT NULL,
    actor_type TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    source TEXT NOT NULL,
    rule_name TEXT NULL,
    rule_set_id INTEGER NULL,
    reason TEXT NULL,
    request_id TEXT NULL,
    job_run_id INTEGER NULL,
    CONSTRAINT fk_history_case FOREIGN KEY (case_id) REFERENCES cases (case_id)
);
INSERT INTO case_status_history_old (id, case_id, from_status, to_status, changed_ts, actor_type, actor_id,
    source, rule_name, rule_set_id, reason, request_id, job_run_id)
SELECT id, case_id, from_status, to_status, changed_ts, actor_type, actor_id, source, rule_name, rule_set_id,
    reason, request_id, job_run_id FROM case_status_history;
DROP TABLE case_status_history;
ALTER TABLE case_status_history_old RENAME TO case_status_history;
CREATE INDEX idx_history_case ON case_status_history (case_id, id);
CREATE INDEX idx_history_changed ON case_status_history (changed_ts);
DROP TABLE job_runs;
