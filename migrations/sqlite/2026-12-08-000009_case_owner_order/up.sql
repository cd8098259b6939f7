-- `/cases_by_status` orders every owner's active cases by case date (newest first), then the
-- owner's first and last name, then case id (newest first). The owner's names live in
-- user_profile, so the page had to join and sort every case of the page's dates before taking
-- 50 of them. A copy of the names on the case lets one index walk give the page in order,
-- reading only the index entries up to its end. The store's INSERT of a case writes the copy (in
-- the same statement, so the row is written once); the triggers below keep it when a case
-- changes owner or a user is renamed.
ALTER TABLE cases ADD COLUMN owner_sort_first TEXT NULL;
ALTER TABLE cases ADD COLUMN owner_sort_last TEXT NULL;

UPDATE cases
SET owner_sort_first = (SELECT u.first_name FROM user_profile u WHERE u.user_id = cases.user_id),
    owner_sort_last = (SELECT u.last_name FROM user_profile u WHERE u.user_id = cases.user_id);

-- case_status last: the status filter is read from the index too. NOCASE: the order compares
-- names without case, as the MySQL collation does.
CREATE INDEX idx_cases_date_owner ON cases (active, case_date DESC, owner_sort_first COLLATE NOCASE,
    owner_sort_last COLLATE NOCASE, case_id DESC, case_status);

CREATE TRIGGER cases_owner_sort_moved AFTER UPDATE OF user_id ON cases WHEN NEW.user_id IS NOT OLD.user_id
BEGIN
    UPDATE cases
    SET owner_sort_first = (SELECT first_name FROM user_profile WHERE user_id = NEW.user_id),
        owner_sort_last = (SELECT last_name FROM user_profile WHERE user_id = NEW.user_id)
    WHERE human_case_id = NEW.human_case_id;
END;

CREATE TRIGGER user_profile_owner_sort AFTER UPDATE OF first_name, last_name ON user_profile
WHEN NEW.first_name IS NOT OLD.first_name OR NEW.last_name IS NOT OLD.last_name
BEGIN
    UPDATE cases SET owner_sort_first = NEW.first_name, owner_sort_last = NEW.last_name
    WHERE user_id = NEW.user_id;
END;
