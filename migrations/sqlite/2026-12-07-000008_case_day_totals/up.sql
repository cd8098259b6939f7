-- The active cases and their pay per case date, stored status and pay category: the back
-- office's totals (dashboards, the count of `/cases_by_status`) read a few rows per day instead
-- of every case. pay_category '' stands for none (a key column cannot be NULL).
--
-- SQLite has one writer at a time, so the triggers update the totals directly; the deltas
-- table exists so that both engines answer the same reads (on MySQL/MariaDB the triggers
-- append to it instead, see that migration).
CREATE TABLE case_day_totals (
    case_date TEXT NOT NULL,
    case_status INTEGER NOT NULL,
    pay_category TEXT NOT NULL,
    cases INTEGER NOT NULL,
    pay_amount_cents INTEGER NOT NULL,
    PRIMARY KEY (case_date, case_status, pay_category)
) WITHOUT ROWID;

CREATE TABLE case_day_deltas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_date TEXT NOT NULL,
    case_status INTEGER NOT NULL,
    pay_category TEXT NOT NULL,
    cases INTEGER NOT NULL,
    pay_amount_cents INTEGER NOT NULL
);

INSERT INTO case_day_totals (case_date, case_status, pay_category, cases, pay_amount_cents)
SELECT case_date, case_status, COALESCE(pay_category, ''), COUNT(*), SUM(pay_amount_cents)
FROM cases WHERE active = 1
GROUP BY case_date, case_status, COALESCE(pay_category, '');

CREATE TRIGGER case_day_totals_insert AFTER INSERT ON cases WHEN NEW.active = 1
BEGIN
    INSERT INTO case_day_totals (case_date, case_status, pay_category, cases, pay_amount_cents)
    VALUES (NEW.case_date, NEW.case_status, COALESCE(NEW.pay_category, ''), 1, NEW.pay_amount_cents)
    ON CONFLICT (case_date, case_status, pay_category)
    DO UPDATE SET cases = cases + 1, pay_amount_cents = pay_amount_cents + excluded.pay_amount_cents;
END;

CREATE TRIGGER case_day_totals_update AFTER UPDATE OF active, case_date, case_status, pay_category, pay_amount_cents ON cases
WHEN NOT (OLD.active IS NEW.active AND OLD.case_date IS NEW.case_date AND OLD.case_status IS NEW.case_status
          AND OLD.pay_category IS NEW.pay_category AND OLD.pay_amount_cents IS NEW.pay_amount_cents)
BEGIN
    UPDATE case_day_totals
    SET cases = cases - 1, pay_amount_cents = pay_amount_cents - OLD.pay_amount_cents
    WHERE OLD.active = 1 AND case_date = OLD.case_date AND case_status = OLD.case_status
      AND pay_category = COALESCE(OLD.pay_category, '');
    INSERT INTO case_day_totals (case_date, case_status, pay_category, cases, pay_amount_cents)
    SELECT NEW.case_date, NEW.case_status, COALESCE(NEW.pay_category, ''), 1, NEW.pay_amount_cents
    WHERE NEW.active = 1
    ON CONFLICT (case_date, case_status, pay_category)
    DO UPDATE SET cases = cases + 1, pay_amount_cents = pay_amount_cents + excluded.pay_amount_cents;
END;

CREATE TRIGGER case_day_totals_delete AFTER DELETE ON cases WHEN OLD.active = 1
BEGIN
    UPDATE case_day_totals
    SET cases = cases - 1, pay_amount_cents = pay_amount_cents - OLD.pay_amount_cents
    WHERE case_date = OLD.case_date AND case_status = OLD.case_status
      AND pay_category = COALESCE(OLD.pay_category, '');
END;
