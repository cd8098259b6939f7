-- `/cases_by_status` and the dashboards read every user's active cases by case date: with this
-- index a page's first and last case dates come from an index walk, and the dashboards' counts
-- and sums by status and by pay category within a date range are read from the index alone.
CREATE INDEX idx_cases_active_date ON cases (active, case_date, case_status, pay_category, pay_amount_cents);
