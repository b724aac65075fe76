-- The base-level security force (C8; Luật 30/2023/QH15, TT 14/2024/TT-BCA, HD 01/HD-BCA-V05,
-- TT 20/2025/TT-BCA): teams covering residential areas, memberships with the person's
-- particulars (the citizen id sealed by the application, its last four digits for display and
-- a keyed hash so that one person holds one place), trails, dossier documents, yearly rating
-- sheets, training courses, and the rule values these read.
-- Keep the SQLite and PostgreSQL trees in step.

-- Border, island, mountain, especially difficult or ethnic areas: primary education suffices
-- (Luật 30/2023 Điều 13 khoản 3) and service counts double for the Kỷ niệm chương.
ALTER TABLE areas ADD COLUMN special_zone BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE force_teams (
    id                      INTEGER PRIMARY KEY,
    province_code           TEXT NOT NULL REFERENCES units(code),
    commune_code            TEXT NOT NULL REFERENCES units(code),
    name                    TEXT NOT NULL,
    search_key              TEXT NOT NULL,
    state                   TEXT NOT NULL CHECK (state IN ('du_kien', 'cho_quyet_dinh', 'da_thanh_lap', 'cho_giai_the', 'giai_the')),
    selection_on            TEXT,
    proposed_on             TEXT,
    decision_no             TEXT,
    decided_on              TEXT,
    signer                  TEXT,
    posted_on               TEXT,
    posted_place            TEXT,
    dissolution_proposed_on TEXT,
    dissolution_reason      TEXT,
    dissolution_decision_no TEXT,
    dissolved_on            TEXT,
    dissolution_signer      TEXT,
    note                    TEXT,
    -- Kept by the store on every change of the team's areas or members, so the alerts of a
    -- province read one row per team: households and population of the areas covered, a
    -- special area among them, and the members holding a place by role, and the active ones.
    households              INTEGER,
    population              INTEGER,
    special_zone            BOOLEAN NOT NULL DEFAULT FALSE,
    leaders                 INTEGER NOT NULL DEFAULT 0,
    deputies                INTEGER NOT NULL DEFAULT 0,
    size                    INTEGER NOT NULL DEFAULT 0,
    active                  INTEGER NOT NULL DEFAULT 0,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
-- The composition alerts of a province read this index alone, in commune order.
CREATE INDEX force_teams_place ON force_teams(province_code, commune_code, state, leaders, deputies, size, households, population);
-- Steps waiting for a proposal or decision, by the day their clock started.
CREATE INDEX force_teams_pending ON force_teams(province_code, state, selection_on, proposed_on, dissolution_proposed_on);

CREATE TABLE force_team_areas (
    team_id       INTEGER NOT NULL REFERENCES force_teams(id),
    area_id       INTEGER NOT NULL REFERENCES areas(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT NOT NULL REFERENCES units(code),
    -- The team is not dissolved (kept with the team's state).
    open          BOOLEAN NOT NULL,
    PRIMARY KEY (team_id, area_id)
);
CREATE INDEX force_team_areas_area ON force_team_areas(area_id, open);
CREATE INDEX force_team_areas_place ON force_team_areas(province_code, commune_code);

CREATE TABLE force_members (
    id                       INTEGER PRIMARY KEY,
    team_id                  INTEGER NOT NULL REFERENCES force_teams(id),
    province_code            TEXT NOT NULL REFERENCES units(code),
    commune_code             TEXT NOT NULL REFERENCES units(code),
    full_name                TEXT NOT NULL,
    search_key               TEXT NOT NULL,
    born_on                  TEXT NOT NULL,
    sex                      TEXT NOT NULL CHECK (sex IN ('nam', 'nu')),
    cid_key_id               TEXT NOT NULL,
    cid_sealed               BLOB NOT NULL,
    cid_index                TEXT NOT NULL,
    cid_last4                TEXT NOT NULL,
    address                  TEXT,
    phone                    TEXT,
    education                TEXT NOT NULL CHECK (education IN ('chua_tieu_hoc', 'tieu_hoc', 'thcs', 'thpt', 'trung_cap', 'cao_dang', 'dai_hoc', 'sau_dai_hoc')),
    health_cert_on           TEXT,
    resident_since           TEXT,
    prior_service            TEXT NOT NULL,
    prior_months             INTEGER NOT NULL,
    prior_special_months     INTEGER NOT NULL,
    over_age_decision        TEXT,
    role                     TEXT NOT NULL CHECK (role IN ('to_truong', 'to_pho', 'to_vien')),
    state                    TEXT NOT NULL CHECK (state IN ('ho_so', 'da_xet_tuyen', 'cho_quyet_dinh', 'dang_tham_gia', 'thoi_tham_gia', 'khong_cong_nhan')),
    holds_place              BOOLEAN NOT NULL,
    applied_on               TEXT NOT NULL,
    selection_on             TEXT,
    proposed_on              TEXT,
    decision_no              TEXT,
    decided_on               TEXT,
    signer                   TEXT,
    posted_on                TEXT,
    badge_no                 TEXT,
    certificate_no           TEXT,
    termination_requested_on TEXT,
    termination_ground       TEXT,
    termination_decision_no  TEXT,
    terminated_on            TEXT,
    rejection_reason         TEXT,
    note                     TEXT,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL
);
-- One person holds at most one place (an application, or an active membership).
CREATE UNIQUE INDEX force_members_one_place ON force_members(cid_index) WHERE holds_place;
CREATE INDEX force_members_cid ON force_members(cid_index);
CREATE INDEX force_members_team ON force_members(team_id, holds_place);
CREATE INDEX force_members_place ON force_members(province_code, commune_code, state);
-- The statistics by role, sex, education and age read this index alone.
CREATE INDEX force_members_stats ON force_members(province_code, state, commune_code, role, sex, education, born_on);
CREATE INDEX force_members_age ON force_members(province_code, state, born_on);
CREATE INDEX force_members_pending ON force_members(province_code, state, selection_on, proposed_on);
CREATE INDEX force_members_termination ON force_members(province_code, termination_requested_on);

CREATE TABLE force_events (
    id            INTEGER PRIMARY KEY,
    team_id       INTEGER NOT NULL REFERENCES force_teams(id),
    member_id     INTEGER REFERENCES force_members(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT NOT NULL REFERENCES units(code),
    action        TEXT NOT NULL,
    on_date       TEXT,
    detail        TEXT,
    actor         TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX force_events_team ON force_events(team_id, id);
CREATE INDEX force_events_member ON force_events(member_id, id);

CREATE TABLE force_documents (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES force_members(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT NOT NULL REFERENCES units(code),
    title         TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    content       BLOB NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX force_documents_member ON force_documents(member_id);

CREATE TABLE force_rating_sheets (
    id            INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT NOT NULL REFERENCES units(code),
    year          INTEGER NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('dang_danh_gia', 'da_nop', 'tra_lai', 'da_duyet')),
    comment       TEXT,
    submitted_by  TEXT,
    submitted_at  TEXT,
    reviewed_by   TEXT,
    reviewed_at   TEXT,
    created_at    TEXT NOT NULL,
    UNIQUE (commune_code, year)
);
CREATE INDEX force_rating_sheets_place ON force_rating_sheets(province_code, year);

CREATE TABLE force_ratings (
    id                INTEGER PRIMARY KEY,
    sheet_id          INTEGER NOT NULL REFERENCES force_rating_sheets(id),
    year              INTEGER NOT NULL,
    province_code     TEXT NOT NULL REFERENCES units(code),
    commune_code      TEXT NOT NULL REFERENCES units(code),
    subject           TEXT NOT NULL,
    team_id           INTEGER NOT NULL REFERENCES force_teams(id),
    member_id         INTEGER REFERENCES force_members(id),
    level             TEXT NOT NULL CHECK (level IN ('htxs', 'htt', 'ht', 'kht', 'chua_danh_gia')),
    reason            TEXT,
    newly_transferred BOOLEAN NOT NULL,
    note              TEXT,
    rated_by          TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (sheet_id, subject)
);
CREATE INDEX force_ratings_member ON force_ratings(member_id, year);
CREATE INDEX force_ratings_place ON force_ratings(province_code, year, level);

CREATE TABLE force_courses (
    id            INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    title         TEXT NOT NULL,
    topics        TEXT NOT NULL,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    organiser     TEXT NOT NULL,
    location      TEXT,
    note          TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX force_courses_place ON force_courses(province_code, commune_code, starts_on);

CREATE TABLE force_trainees (
    id             INTEGER PRIMARY KEY,
    course_id      INTEGER NOT NULL REFERENCES force_courses(id),
    member_id      INTEGER NOT NULL REFERENCES force_members(id),
    province_code  TEXT NOT NULL REFERENCES units(code),
    commune_code   TEXT NOT NULL REFERENCES units(code),
    result         TEXT NOT NULL CHECK (result IN ('chua_co', 'dat', 'khong_dat')),
    certificate_no TEXT,
    note           TEXT,
    UNIQUE (course_id, member_id)
);
CREATE INDEX force_trainees_member ON force_trainees(member_id);

INSERT INTO rule_values (code, province_code, value, legal_basis, valid_from, valid_to, note, created_by, created_at) VALUES
 ('force_age_min', NULL, '18', 'Điều 13 khoản 1 Luật 30/2023/QH15', '2024-07-01', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('force_age_max', NULL, '70', 'Điều 13 khoản 1 Luật 30/2023/QH15', '2024-07-01', NULL, 'Trên 70 tuổi, đủ sức khỏe: Chủ tịch UBND xã quyết định theo đề nghị của Công an xã (ghi số quyết định).', 'seed', '2026-01-01T00:00:00Z'),
 ('force_residence_months', NULL, '12', 'Điều 13 khoản 4 Luật 30/2023/QH15', '2024-07-01', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('force_education', NULL, 'thcs', 'Điều 13 khoản 3 Luật 30/2023/QH15', '2024-07-01', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('force_education_special', NULL, 'tieu_hoc', 'Điều 13 khoản 3 Luật 30/2023/QH15', '2024-07-01', NULL, 'Khu dân cư được đánh dấu thuộc vùng biên giới, hải đảo, miền núi, đặc biệt khó khăn, đồng bào dân tộc thiểu số.', 'seed', '2026-01-01T00:00:00Z'),
 ('force_proposal_days', NULL, '5', 'Điều 4 Thông tư 14/2024/TT-BCA', '2024-07-01', NULL, 'Kể từ ngày lập biên bản kết quả lựa chọn, Công an xã báo cáo, đề nghị (Mẫu số 05).', 'seed', '2026-01-01T00:00:00Z'),
 ('force_decision_days', NULL, '5', 'Điều 4 Thông tư 14/2024/TT-BCA', '2024-07-01', NULL, 'Kể từ ngày nhận đề nghị, Chủ tịch UBND xã quyết định (Mẫu số 08) và niêm yết công khai.', 'seed', '2026-01-01T00:00:00Z'),
 ('force_dissolve_working_days', NULL, '5', 'Điều 5 Thông tư 14/2024/TT-BCA', '2024-07-01', NULL, 'Ngày làm việc: hệ thống trừ thứ Bảy, Chủ nhật, không biết ngày lễ.', 'seed', '2026-01-01T00:00:00Z'),
 ('force_terminate_working_days', NULL, '5', 'Điều 5 Thông tư 14/2024/TT-BCA', '2024-07-01', NULL, 'Đọc được với trường hợp có đơn xin thôi; áp dụng chung cho các căn cứ khác cho đến khi có văn bản gốc.', 'seed', '2026-01-01T00:00:00Z'),
 ('force_deputies_max', NULL, '1', 'Điều 16 Luật 30/2023/QH15', '2024-07-01', NULL, 'Luật chỉ nêu tổ gồm tổ trưởng, tổ phó, tổ viên; số tổ phó tối đa là giá trị mặc định, tỉnh điều chỉnh.', 'seed', '2026-01-01T00:00:00Z'),
 ('force_quota', NULL, 'ho:0=1x3', 'Điều 14 Luật 30/2023/QH15 (HĐND tỉnh quy định tiêu chí, UBND tỉnh quyết định số lượng)', '2024-07-01', NULL, 'Một tổ 3 người mỗi thôn, tổ dân phố là mức phổ biến, không phải quy định toàn quốc: tỉnh nhập định mức theo nghị quyết HĐND, quyết định UBND tỉnh.', 'seed', '2026-01-01T00:00:00Z'),
 ('force_rating_window', NULL, '15/11-14/11', 'Hướng dẫn 01/HD-BCA-V05', '2025-01-01', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('force_min_months', NULL, '9', 'Hướng dẫn 01/HD-BCA-V05', '2025-01-01', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('force_excellent_cap_pct', NULL, '20', 'Hướng dẫn 01/HD-BCA-V05', '2025-01-01', NULL, 'Số «Hoàn thành xuất sắc» của xã không quá tỷ lệ này so với số «Hoàn thành tốt», tính riêng cho tổ và cho thành viên; câu chữ của văn bản có thể hiểu khác — tỉnh điều chỉnh.', 'seed', '2026-01-01T00:00:00Z'),
 ('force_medal_years_male', NULL, '15', 'Thông tư 20/2025/TT-BCA', '2025-04-28', NULL, 'Tính cả thời gian tham gia bảo vệ dân phố, Công an xã bán chuyên trách.', 'seed', '2026-01-01T00:00:00Z'),
 ('force_medal_years_female', NULL, '10', 'Thông tư 20/2025/TT-BCA', '2025-04-28', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('force_medal_special_factor', NULL, '2', 'Thông tư 20/2025/TT-BCA', '2025-04-28', NULL, 'Thời gian ở vùng đặc biệt khó khăn, biên giới, hải đảo được tính hệ số này.', 'seed', '2026-01-01T00:00:00Z');
