-- Scheduler job runs (domain §3.5, §7.2), SQLite dialect: one row per job occurrence; the
-- row is the claim, so the unique key lets exactly one scheduler replica run each occurrence.

CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_name TEXT NOT NULL,
    scheduled_for TIMESTAMP NOT NULL,
    trigger_kind TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_ts TIMESTAMP NOT NULL,
    lease_expires_ts TIMESTAMP NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 1,
    started_ts TIMESTAMP NULL,
    finished_ts TIMESTAMP NULL,
    outcome TEXT NOT NULL,
    items_processed INTEGER NOT NULL DEFAULT 0,
    items_failed INTEGER NOT NULL DEFAULT 0,
    error_text TEXT NULL,
    details TEXT NULL,
    CONSTRAINT uq_job_runs_occurrence UNIQUE (job_name, scheduled_for)
);
CREATE INDEX idx_job_runs_outcome ON job_runs (job_name, outcome, scheduled_for);

-- SQLite cannot add a foreign key to an existing table: case_status_history is rebuilt with
-- the key to job_runs (nothing refers to the history, so dropping the old table is safe with
-- foreign keys on; explicit ids keep the AUTOINCREMENT sequence).
CREATE TABLE case_status_history_new (
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
    CONSTRAINT fk_history_case FOREIGN KEY (case_id) REFERENCES cases (case_id),
    CONSTRAINT fk_history_job_run FOREIGN KEY (job_run_id) REFERENCES job_runs (id)
);
INSERT INTO case_status_history_new (id, case_id, from_status, to_status, changed_ts, actor_type, actor_id,
    source, rule_name, rule_set_id, reason, request_id, job_run_id)
SELECT id, case_id, from_status, to_status, changed_ts, actor_type, actor_id, source, rule_name, rule_set_id,
    reason, request_id, job_run_id FROM case_status_history;
DROP TABLE case_status_history;
ALTER TABLE case_status_history_new RENAME TO case_status_history;
CREATE INDEX idx_history_case ON case_status_history (case_id, id);
CREATE INDEX idx_history_changed ON case_status_history (changed_ts);
CREATE INDEX idx_history_job_run ON case_status_history (job_run_id);
