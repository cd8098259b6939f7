-- `/case_filter` lists one owner's active cases by `case_create_ts DESC, case_id DESC`: this index
-- serves the filter and the whole order (without it SQLite walked every active case in creation
-- order, and MySQL sorted all of the owner's rows).
CREATE INDEX idx_owner_created ON cases (user_id, active, case_create_ts, case_id);
