-- `/cases_by_status` and the dashboards read every user's active cases by case date (and
-- status): this index gives a page's first and last case dates from an index walk, and the
-- counts by status within a date range without reading the rows.
CREATE INDEX idx_cases_active_date ON cases (active, case_date, case_status);
