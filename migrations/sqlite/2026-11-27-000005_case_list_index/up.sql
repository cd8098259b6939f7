-- `/case_filter` lists one owner's active cases newest first: this index serves the filter and
-- the order together (without it the planner walks every active case in creation order).
CREATE INDEX idx_owner_created ON cases (user_id, active, case_create_ts);
