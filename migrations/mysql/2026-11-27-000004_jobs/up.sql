-- Scheduler job runs (domain §3.5, §7.2): one row per job occurrence; the row is the claim,
-- so the unique key lets exactly one scheduler replica run each occurrence.

CREATE TABLE job_runs (
    id BIGINT NOT NULL AUTO_INCREMENT,
    job_name VARCHAR(64) COLLATE utf8mb4_bin NOT NULL,
    scheduled_for DATETIME(6) NOT NULL,
    trigger_kind VARCHAR(10) NOT NULL,
    claimed_by VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    claimed_ts DATETIME(6) NOT NULL,
    lease_expires_ts DATETIME(6) NOT NULL,
    attempt INT NOT NULL DEFAULT 1,
    started_ts DATETIME(6) NULL,
    finished_ts DATETIME(6) NULL,
    outcome VARCHAR(12) NOT NULL,
    items_processed INT NOT NULL DEFAULT 0,
    items_failed INT NOT NULL DEFAULT 0,
    error_text VARCHAR(2000) NULL,
    details TEXT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_job_runs_occurrence (job_name, scheduled_for),
    KEY idx_job_runs_outcome (job_name, outcome, scheduled_for)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- The history's job_run_id (core migration) now refers to job_runs. The index is named so
-- that the down migration can remove exactly what this one added.
ALTER TABLE case_status_history
    ADD KEY idx_history_job_run (job_run_id),
    ADD CONSTRAINT fk_history_job_run FOREIGN KEY (job_run_id) REFERENCES job_runs (id);
