-- no-transaction
-- Crime reports and tips received at a movement activity (issue 13): the channel "tại hội nghị,
-- buổi tuyên truyền" and the activity they came from. SQLite cannot change a CHECK constraint:
-- the table is rebuilt as its documentation prescribes (foreign keys off, one transaction,
-- same name, indexes recreated). Keep both trees in step.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE reports_new (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE,
    secret_hash          TEXT,
    kind                 TEXT NOT NULL CHECK (kind IN ('to_giac', 'tin_bao', 'kien_nghi_khoi_to', 'tu_thu', 'dau_thu', 'pham_toi_qua_tang', 'phan_anh_antt')),
    channel              TEXT NOT NULL CHECK (channel IN ('cong_khai', 'truc_tiep', 'van_ban', 'dien_thoai', 'vneid', 'thu_dien_tu', 'hom_thu', 'bao_chi', 'to_bao_ve', 'co_quan_khac', 'tai_hoat_dong')),
    category             TEXT NOT NULL CHECK (category IN ('ma_tuy', 'trom_cuop', 'lua_dao', 'co_bac', 'vu_khi', 'tinh_mang', 'tre_em', 'mua_ban_nguoi', 'buon_lau', 'moi_truong', 'tham_nhung', 'trat_tu', 'khac')),
    summary              TEXT NOT NULL,
    search_key           TEXT NOT NULL,
    source               TEXT,
    occurred_on          TEXT,
    occurred_time        TEXT,
    place_province_code  TEXT NOT NULL REFERENCES units(code),
    place_commune_code   TEXT REFERENCES units(code),
    place_address        TEXT,
    place_unknown        BOOLEAN NOT NULL,
    province_code        TEXT NOT NULL REFERENCES units(code),
    commune_code         TEXT REFERENCES units(code),
    state                TEXT NOT NULL CHECK (state IN ('da_tiep_nhan', 'xac_minh_so_bo', 'dang_giai_quyet', 'tam_dinh_chi', 'khoi_to', 'khong_khoi_to', 'chuyen_tham_quyen', 'khong_phai_nguon_tin')),
    is_open              BOOLEAN NOT NULL,
    received_at          TEXT NOT NULL,
    received_on          TEXT NOT NULL,
    received_month       TEXT NOT NULL,
    unit_received_at     TEXT NOT NULL,
    transfer_due_at      TEXT,
    clock_start_on       TEXT,
    resolve_due_on       TEXT,
    procuracy_extended   BOOLEAN NOT NULL,
    due_at               TEXT,
    remote               BOOLEAN NOT NULL,
    anonymous            BOOLEAN NOT NULL,
    confidential         BOOLEAN NOT NULL,
    urgent               BOOLEAN NOT NULL,
    valuable             BOOLEAN NOT NULL,
    citizen_unread       BOOLEAN NOT NULL,
    minutes_no           TEXT,
    received_by          TEXT NOT NULL,
    decision_no          TEXT,
    decided_on           TEXT,
    outcome_note         TEXT,
    closed_at            TEXT,
    closed_on_time       BOOLEAN,
    transfer_on_time     BOOLEAN,
    first_transfer_secs  INTEGER,
    resolve_secs         INTEGER,
    reporter_notified_at TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    activity_id          INTEGER REFERENCES activities(id)
);
INSERT INTO reports_new (id, code, secret_hash, kind, channel, category, summary, search_key, source, occurred_on, occurred_time, place_province_code, place_commune_code, place_address, place_unknown, province_code, commune_code, state, is_open, received_at, received_on, received_month, unit_received_at, transfer_due_at, clock_start_on, resolve_due_on, procuracy_extended, due_at, remote, anonymous, confidential, urgent, valuable, citizen_unread, minutes_no, received_by, decision_no, decided_on, outcome_note, closed_at, closed_on_time, transfer_on_time, first_transfer_secs, resolve_secs, reporter_notified_at, created_at, updated_at)
SELECT id, code, secret_hash, kind, channel, category, summary, search_key, source, occurred_on, occurred_time, place_province_code, place_commune_code, place_address, place_unknown, province_code, commune_code, state, is_open, received_at, received_on, received_month, unit_received_at, transfer_due_at, clock_start_on, resolve_due_on, procuracy_extended, due_at, remote, anonymous, confidential, urgent, valuable, citizen_unread, minutes_no, received_by, decision_no, decided_on, outcome_note, closed_at, closed_on_time, transfer_on_time, first_transfer_secs, resolve_secs, reporter_notified_at, created_at, updated_at FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_open ON reports(province_code, is_open, commune_code, due_at);
CREATE INDEX reports_unit ON reports(province_code, commune_code, received_at);
CREATE INDEX reports_place ON reports(place_province_code, place_commune_code, received_on);
CREATE INDEX reports_received ON reports(received_on);
CREATE INDEX reports_activity ON reports(activity_id) WHERE activity_id IS NOT NULL;
COMMIT;
PRAGMA foreign_keys = ON;
