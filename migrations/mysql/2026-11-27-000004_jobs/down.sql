ALTER TABLE case_status_history DROP FOREIGN KEY fk_history_job_run;
ALTER TABLE case_status_history DROP KEY idx_history_job_run;
DROP TABLE job_runs;
