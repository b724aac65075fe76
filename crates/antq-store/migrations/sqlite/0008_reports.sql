-- Crime reports and tips (C9; BLTTHS 2015 Điều 144–149, TTLT 01/2017): the report, the
-- reporter's identity (a separate row, sealed by the application with a key that never
-- enters the database), the trail, the dialogue with the citizen and attachments.
-- A report belongs to its unit in charge: province_code, and commune_code (NULL: the
-- province's duty queue and investigating body); place_* is where it happened. Every child
-- row carries the same codes (moved with the report on a transfer).
-- Keep the SQLite and PostgreSQL trees in step.

-- Remote and island communes have 48 h instead of 24 h to transfer a report (TTLT 01/2017).
ALTER TABLE units ADD COLUMN remote BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE units SET remote = TRUE WHERE kind = 'dac_khu';

CREATE TABLE reports (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE,
    secret_hash          TEXT,
    kind                 TEXT NOT NULL CHECK (kind IN ('to_giac', 'tin_bao', 'kien_nghi_khoi_to', 'tu_thu', 'dau_thu', 'pham_toi_qua_tang', 'phan_anh_antt')),
    channel              TEXT NOT NULL CHECK (channel IN ('cong_khai', 'truc_tiep', 'van_ban', 'dien_thoai', 'vneid', 'thu_dien_tu', 'hom_thu', 'bao_chi', 'to_bao_ve', 'co_quan_khac')),
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
    updated_at           TEXT NOT NULL
);
-- A unit's queue: open reports by deadline (one range per province, per unit, and the open
-- and overdue counts per unit); a unit's history by day; the statistics by place and day.
CREATE INDEX reports_open ON reports(province_code, is_open, commune_code, due_at);
CREATE INDEX reports_unit ON reports(province_code, commune_code, received_at);
CREATE INDEX reports_place ON reports(place_province_code, place_commune_code, received_on);
CREATE INDEX reports_received ON reports(received_on);

CREATE TABLE report_identities (
    report_id     INTEGER PRIMARY KEY REFERENCES reports(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    key_id        TEXT NOT NULL,
    sealed        BLOB NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE report_events (
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES reports(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    at            TEXT NOT NULL,
    action        TEXT NOT NULL,
    from_state    TEXT,
    to_state      TEXT NOT NULL,
    from_unit     TEXT,
    to_unit       TEXT,
    on_date       TEXT,
    until_on      TEXT,
    decision_no   TEXT,
    authority     TEXT,
    note          TEXT,
    username      TEXT NOT NULL
);
CREATE INDEX report_events_report ON report_events(report_id, id);

CREATE TABLE report_messages (
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES reports(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    at            TEXT NOT NULL,
    author        TEXT NOT NULL CHECK (author IN ('citizen', 'officer', 'system')),
    username      TEXT,
    body          TEXT NOT NULL
);
CREATE INDEX report_messages_report ON report_messages(report_id, id);

CREATE TABLE report_attachments (
    id            INTEGER PRIMARY KEY,
    report_id     INTEGER NOT NULL REFERENCES reports(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    content       BLOB NOT NULL,
    added_by      TEXT NOT NULL CHECK (added_by IN ('citizen', 'officer')),
    created_at    TEXT NOT NULL
);
CREATE INDEX report_attachments_report ON report_attachments(report_id);

-- The clocks (legal-rules §9.5 NT_TRANSFER, NT_RESOLVE).
INSERT INTO rule_values (code, province_code, value, legal_basis, valid_from, valid_to, note, created_by, created_at) VALUES
 ('report_transfer_hours', NULL, '24', 'TTLT 01/2017/TTLT-BCA-BQP-BTC-BNN&PTNT-VKSNDTC', '2018-03-01', NULL, 'Công an xã, phường lập biên bản, chuyển hồ sơ cho Cơ quan điều tra có thẩm quyền; thời hạn sau TT 129/2021 và Luật 99/2025 cần đối chiếu.', 'seed', '2026-01-01T00:00:00Z'),
 ('report_transfer_hours_remote', NULL, '48', 'TTLT 01/2017/TTLT-BCA-BQP-BTC-BNN&PTNT-VKSNDTC', '2018-03-01', NULL, 'Xã vùng sâu, vùng xa, hải đảo (đánh dấu trên trang xã).', 'seed', '2026-01-01T00:00:00Z'),
 ('report_resolve_days', NULL, '20', 'BLTTHS 2015 Điều 147', '2018-01-01', NULL, 'Kể từ ngày nhận được tố giác, tin báo, kiến nghị khởi tố.', 'seed', '2026-01-01T00:00:00Z'),
 ('report_extension_months', NULL, '2', 'BLTTHS 2015 Điều 147', '2018-01-01', NULL, 'Vụ việc phức tạp hoặc phải xác minh ở nhiều nơi.', 'seed', '2026-01-01T00:00:00Z'),
 ('report_procuracy_months', NULL, '2', 'BLTTHS 2015 Điều 147', '2018-01-01', NULL, 'Viện trưởng Viện kiểm sát gia hạn một lần.', 'seed', '2026-01-01T00:00:00Z'),
 ('report_resume_days', NULL, '20', 'BLTTHS 2015 Điều 149', '2018-01-01', NULL, 'Thời hạn sau quyết định phục hồi chưa đối chiếu văn bản gốc; mặc định bằng thời hạn giải quyết.', 'seed', '2026-01-01T00:00:00Z');
