DROP TRIGGER user_profile_owner_sort;
DROP TRIGGER cases_owner_sort_moved;
DROP INDEX idx_cases_date_owner ON cases;
ALTER TABLE cases DROP COLUMN owner_sort_last, DROP COLUMN owner_sort_first;
