DROP TRIGGER case_day_totals_delete;
DROP TRIGGER case_day_totals_update_new;
DROP TRIGGER case_day_totals_update_old;
DROP TRIGGER case_day_totals_insert;
DROP TABLE case_day_deltas;
DROP TABLE case_day_totals;
