DROP INDEX idx_cases_active_date;
