-- `/cases_by_status` orders every owner's active cases by case date (newest first), then the
-- owner's first and last name, then case id (newest first). The owner's names live in
-- user_profile, so the page had to join and sort every case of the page's dates before taking
-- 50 of them. A copy of the names on the case lets one index walk give the page in order,
-- reading only the index entries up to its end. The store's INSERT of a case writes the copy (in
-- the same statement, so the row is written once); the triggers below keep it when a case
-- changes owner or a user is renamed.
ALTER TABLE cases
    ADD COLUMN owner_sort_first VARCHAR(250) NULL,
    ADD COLUMN owner_sort_last VARCHAR(250) NULL;

UPDATE cases c JOIN user_profile u ON u.user_id = c.user_id
SET c.owner_sort_first = u.first_name, c.owner_sort_last = u.last_name;

-- case_status last: the status filter is read from the index too.
CREATE INDEX idx_cases_date_owner
    ON cases (active, case_date DESC, owner_sort_first, owner_sort_last, case_id DESC, case_status);

CREATE TRIGGER cases_owner_sort_moved BEFORE UPDATE ON cases FOR EACH ROW
SET NEW.owner_sort_first = IF(NEW.user_id <=> OLD.user_id, NEW.owner_sort_first,
        (SELECT first_name FROM user_profile WHERE user_id = NEW.user_id)),
    NEW.owner_sort_last = IF(NEW.user_id <=> OLD.user_id, NEW.owner_sort_last,
        (SELECT last_name FROM user_profile WHERE user_id = NEW.user_id));

CREATE TRIGGER user_profile_owner_sort AFTER UPDATE ON user_profile FOR EACH ROW
UPDATE cases SET owner_sort_first = NEW.first_name, owner_sort_last = NEW.last_name
WHERE user_id = NEW.user_id
  AND NOT (NEW.first_name <=> OLD.first_name AND NEW.last_name <=> OLD.last_name);
