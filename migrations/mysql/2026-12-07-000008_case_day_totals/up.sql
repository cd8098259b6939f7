-- The active cases and their pay per case date, stored status and pay category: the back
-- office's totals (dashboards, the count of `/cases_by_status`) read a few rows per day instead
-- of every case. pay_category '' stands for none (a key column cannot be NULL).
--
-- Writes never touch the totals rows: the triggers append signed changes to case_day_deltas
-- (insert-only, so concurrent writers share no row and cannot deadlock on it), readers add
-- the totals and the pending deltas, and a background fold (DashboardRepo::fold_case_totals)
-- moves the deltas into the totals. On SQLite, with one writer at a time, the triggers update
-- the totals directly and the deltas table stays empty.
CREATE TABLE case_day_totals (
    case_date DATE NOT NULL,
    case_status SMALLINT NOT NULL,
    pay_category VARCHAR(50) NOT NULL,
    cases BIGINT NOT NULL,
    pay_amount_cents BIGINT NOT NULL,
    PRIMARY KEY (case_date, case_status, pay_category)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE case_day_deltas (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_date DATE NOT NULL,
    case_status SMALLINT NOT NULL,
    pay_category VARCHAR(50) NOT NULL,
    cases BIGINT NOT NULL,
    pay_amount_cents BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO case_day_totals (case_date, case_status, pay_category, cases, pay_amount_cents)
SELECT case_date, case_status, COALESCE(pay_category, ''), COUNT(*), SUM(pay_amount_cents)
FROM cases WHERE active = 1
GROUP BY case_date, case_status, COALESCE(pay_category, '');

CREATE TRIGGER case_day_totals_insert AFTER INSERT ON cases FOR EACH ROW
INSERT INTO case_day_deltas (case_date, case_status, pay_category, cases, pay_amount_cents)
SELECT NEW.case_date, NEW.case_status, COALESCE(NEW.pay_category, ''), 1, NEW.pay_amount_cents
FROM DUAL WHERE NEW.active = 1;

CREATE TRIGGER case_day_totals_update_old AFTER UPDATE ON cases FOR EACH ROW
INSERT INTO case_day_deltas (case_date, case_status, pay_category, cases, pay_amount_cents)
SELECT OLD.case_date, OLD.case_status, COALESCE(OLD.pay_category, ''), -1, -OLD.pay_amount_cents
FROM DUAL
WHERE OLD.active = 1
  AND NOT (OLD.active <=> NEW.active AND OLD.case_date <=> NEW.case_date AND OLD.case_status <=> NEW.case_status
           AND OLD.pay_category <=> NEW.pay_category AND OLD.pay_amount_cents <=> NEW.pay_amount_cents);

CREATE TRIGGER case_day_totals_update_new AFTER UPDATE ON cases FOR EACH ROW FOLLOWS case_day_totals_update_old
INSERT INTO case_day_deltas (case_date, case_status, pay_category, cases, pay_amount_cents)
SELECT NEW.case_date, NEW.case_status, COALESCE(NEW.pay_category, ''), 1, NEW.pay_amount_cents
FROM DUAL
WHERE NEW.active = 1
  AND NOT (OLD.active <=> NEW.active AND OLD.case_date <=> NEW.case_date AND OLD.case_status <=> NEW.case_status
           AND OLD.pay_category <=> NEW.pay_category AND OLD.pay_amount_cents <=> NEW.pay_amount_cents);

CREATE TRIGGER case_day_totals_delete AFTER DELETE ON cases FOR EACH ROW
INSERT INTO case_day_deltas (case_date, case_status, pay_category, cases, pay_amount_cents)
SELECT OLD.case_date, OLD.case_status, COALESCE(OLD.pay_category, ''), -1, -OLD.pay_amount_cents
FROM DUAL WHERE OLD.active = 1;
