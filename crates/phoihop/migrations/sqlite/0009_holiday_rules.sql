-- 0009 holiday rules as data (issue 10): the days off by law are rows an administrator
-- can add to and end, not Rust code. Same columns as postgres/0009_holiday_rules.sql.
--
-- A rule gives `days` consecutive days off each year it applies, starting `days_before`
-- days before its date (`month`/`day` of the solar or the lunar calendar): Tết is lunar
-- 1/1 with one day before, five days in all (the last day of the lunar year, which is
-- 29 or 30/12, and 1/1–4/1); National Day is 2/9 with the day before, two days. The
-- years are those of the rule's own calendar (a lunar rule's year is the lunar year).
-- `compensatory` = 1: a day that falls on Saturday or Sunday is given back on the next
-- working day (Labour Code 2019, art. 111(3)). Nothing is deleted: a rule that no longer
-- holds is ended by setting its last year (`to_year`, with `ended_at`/`ended_by`); a
-- last year just before the first means it never applied (a rule added by mistake).
-- `created_by` is NULL for the rules shipped here.
CREATE TABLE holiday_rules (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    name_en      TEXT NOT NULL DEFAULT '',
    calendar     TEXT NOT NULL CHECK (calendar IN ('solar', 'lunar')),
    month        INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day          INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    days_before  INTEGER NOT NULL DEFAULT 0 CHECK (days_before >= 0),
    days         INTEGER NOT NULL CHECK (days BETWEEN 1 AND 10),
    from_year    INTEGER NOT NULL,
    to_year      INTEGER,
    compensatory INTEGER NOT NULL CHECK (compensatory IN (0, 1)),
    basis        TEXT NOT NULL,
    created_by   INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    created_at   BIGINT NOT NULL,
    ended_by     INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    ended_at     BIGINT,
    CHECK (days_before < days),
    CHECK (to_year IS NULL OR to_year >= from_year - 1)
);

-- The days of the Labour Code 2019, art. 112(1), as the calendar computed them before
-- this migration (for every year it covers, so no deadline moves), then 24/11, Ngày Văn
-- hóa Việt Nam, added to art. 112 from 01/7/2026 (so from 24/11/2026). Order matters
-- only when two rules fall on one day: the lower id names it.
INSERT INTO holiday_rules
    (name, name_en, calendar, month, day, days_before, days, from_year, to_year, compensatory, basis, created_at)
VALUES
    ('Tết Dương lịch', 'New Year''s Day', 'solar', 1, 1, 0, 1, 1900, NULL, 1,
     'Bộ luật Lao động 2019, Điều 112', CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    ('Tết Nguyên đán', 'Lunar New Year (Tết)', 'lunar', 1, 1, 1, 5, 1900, NULL, 1,
     'Bộ luật Lao động 2019, Điều 112', CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    ('Giỗ Tổ Hùng Vương', 'Hùng Kings'' Commemoration Day', 'lunar', 3, 10, 0, 1, 1900, NULL, 1,
     'Bộ luật Lao động 2019, Điều 112', CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    ('Ngày Chiến thắng', 'Victory Day', 'solar', 4, 30, 0, 1, 1900, NULL, 1,
     'Bộ luật Lao động 2019, Điều 112', CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    ('Ngày Quốc tế Lao động', 'International Labour Day', 'solar', 5, 1, 0, 1, 1900, NULL, 1,
     'Bộ luật Lao động 2019, Điều 112', CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    ('Quốc khánh', 'National Day', 'solar', 9, 2, 1, 2, 1900, NULL, 1,
     'Bộ luật Lao động 2019, Điều 112 (2/9 và một ngày liền kề)', CAST(unixepoch('subsec') * 1000 AS INTEGER)),
    ('Ngày Văn hóa Việt Nam', 'Vietnam Culture Day', 'solar', 11, 24, 0, 1, 2026, NULL, 1,
     'Nghị quyết 80-NQ/TW ngày 07/01/2026; Điều 112 Bộ luật Lao động sửa đổi, hiệu lực từ 01/7/2026',
     CAST(unixepoch('subsec') * 1000 AS INTEGER));

-- Each node keeps the working-day calendar (these rules, the administrator's entries in
-- calendar_days and the holidays computed per year) in memory under this number, as it
-- keeps the organisation tree under org_version (0007): every change to either table
-- changes it in the same transaction, by triggers, so another node's change shows up
-- as a new number. Random start: two databases never share one. Derived state: not in
-- backups.
CREATE TABLE calendar_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  BIGINT NOT NULL
);
INSERT INTO calendar_version (id, v) VALUES (1, abs(random() / 4));
CREATE TRIGGER holiday_rules_version_insert AFTER INSERT ON holiday_rules
BEGIN
    UPDATE calendar_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER holiday_rules_version_update AFTER UPDATE ON holiday_rules
BEGIN
    UPDATE calendar_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER holiday_rules_version_delete AFTER DELETE ON holiday_rules
BEGIN
    UPDATE calendar_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER calendar_days_version_insert AFTER INSERT ON calendar_days
BEGIN
    UPDATE calendar_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER calendar_days_version_update AFTER UPDATE ON calendar_days
BEGIN
    UPDATE calendar_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER calendar_days_version_delete AFTER DELETE ON calendar_days
BEGIN
    UPDATE calendar_version SET v = v + 1 WHERE id = 1;
END;
