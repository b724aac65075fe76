-- Movement activities and commendations (C10, C11; issue 13). Keep both trees in step.

-- Activity kinds: national (seeded, with a code) and each province's own (code NULL). The shape
-- says which fields an activity of the kind needs.
CREATE TABLE activity_kinds (
    id            INTEGER PRIMARY KEY,
    code          TEXT UNIQUE,
    province_code TEXT REFERENCES units(code),
    name          TEXT NOT NULL,
    shape         TEXT NOT NULL CHECK (shape IN ('chung', 'hoi_nghi', 'cam_ket', 'giao_nop', 'phat_hanh', 'tap_huan')),
    active        BOOLEAN NOT NULL,
    sort_order    INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX activity_kinds_name ON activity_kinds(COALESCE(province_code, ''), name);

INSERT INTO activity_kinds (code, province_code, name, shape, active, sort_order, created_at) VALUES
 ('tuyen_truyen', NULL, 'Tuyên truyền (buổi tuyên truyền, họp dân)', 'chung', TRUE, 10, '2026-01-01T00:00:00Z'),
 ('ra_mat_mo_hinh', NULL, 'Ra mắt mô hình', 'chung', TRUE, 20, '2026-01-01T00:00:00Z'),
 ('ra_mat_luc_luong', NULL, 'Ra mắt lực lượng tham gia bảo vệ ANTT ở cơ sở', 'chung', TRUE, 25, '2026-01-01T00:00:00Z'),
 ('phat_dong', NULL, 'Phát động phong trào', 'chung', TRUE, 30, '2026-01-01T00:00:00Z'),
 ('ngay_hoi', NULL, 'Ngày hội toàn dân bảo vệ an ninh Tổ quốc', 'chung', TRUE, 40, '2026-01-01T00:00:00Z'),
 ('hoi_nghi_lang_nghe', NULL, 'Hội nghị «Công an lắng nghe ý kiến Nhân dân»', 'hoi_nghi', TRUE, 50, '2026-01-01T00:00:00Z'),
 ('ky_cam_ket', NULL, 'Ký cam kết', 'cam_ket', TRUE, 60, '2026-01-01T00:00:00Z'),
 ('giao_nop_vu_khi', NULL, 'Vận động giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ', 'giao_nop', TRUE, 70, '2026-01-01T00:00:00Z'),
 ('phat_hanh', NULL, 'Tin bài, phóng sự, tài liệu phát hành', 'phat_hanh', TRUE, 80, '2026-01-01T00:00:00Z'),
 ('tap_huan', NULL, 'Tập huấn, bồi dưỡng', 'tap_huan', TRUE, 90, '2026-01-01T00:00:00Z'),
 ('dien_tap', NULL, 'Diễn tập', 'chung', TRUE, 100, '2026-01-01T00:00:00Z'),
 ('hoi_thi', NULL, 'Hội thi', 'chung', TRUE, 105, '2026-01-01T00:00:00Z'),
 ('so_tong_ket', NULL, 'Sơ kết, tổng kết', 'chung', TRUE, 110, '2026-01-01T00:00:00Z');

-- One activity; commune_code NULL: the province's own. year and month (of starts_on) and the
-- kind's shape are copied so the statistics and the checks read one row.
CREATE TABLE activities (
    id                 INTEGER PRIMARY KEY,
    province_code      TEXT NOT NULL REFERENCES units(code),
    commune_code       TEXT REFERENCES units(code),
    area_id            INTEGER REFERENCES areas(id),
    establishment_id   INTEGER REFERENCES establishments(id),
    kind_id            INTEGER NOT NULL REFERENCES activity_kinds(id),
    shape              TEXT NOT NULL,
    title              TEXT NOT NULL,
    search_key         TEXT NOT NULL,
    starts_on          TEXT NOT NULL,
    ends_on            TEXT NOT NULL,
    year               INTEGER NOT NULL,
    month              INTEGER NOT NULL,
    location           TEXT,
    organiser_kind     TEXT NOT NULL CHECK (organiser_kind IN ('cong_an', 'chinh_quyen', 'mat_tran_doan_the', 'co_quan', 'mo_hinh', 'to_bao_ve')),
    organiser_name     TEXT,
    organiser_model_id INTEGER REFERENCES models(id),
    organiser_team_id  INTEGER REFERENCES force_teams(id),
    participants       INTEGER NOT NULL CHECK (participants >= 0),
    p_nhan_dan         INTEGER NOT NULL DEFAULT 0,
    p_hoc_sinh         INTEGER NOT NULL DEFAULT 0,
    p_cong_nhan        INTEGER NOT NULL DEFAULT 0,
    p_ton_giao         INTEGER NOT NULL DEFAULT 0,
    p_can_bo           INTEGER NOT NULL DEFAULT 0,
    commitment_topic   TEXT,
    households         INTEGER NOT NULL DEFAULT 0,
    individuals        INTEGER NOT NULL DEFAULT 0,
    establishments     INTEGER NOT NULL DEFAULT 0,
    receiving_unit     TEXT,
    minutes_no         TEXT,
    medium             TEXT,
    publications       INTEGER NOT NULL DEFAULT 0,
    training_topics    TEXT,
    trainees           INTEGER NOT NULL DEFAULT 0,
    trainee_kind       TEXT,
    certificates       INTEGER NOT NULL DEFAULT 0,
    opinions           INTEGER NOT NULL DEFAULT 0,
    answered           INTEGER NOT NULL DEFAULT 0,
    tips               INTEGER NOT NULL DEFAULT 0,
    note               TEXT,
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
-- Lists by place and date (the province's queue, a commune's), by kind; the models' evidence.
CREATE INDEX activities_place ON activities(province_code, commune_code, starts_on);
CREATE INDEX activities_kind ON activities(province_code, kind_id, starts_on);
CREATE INDEX activities_date ON activities(starts_on);

CREATE TABLE activity_models (
    activity_id   INTEGER NOT NULL REFERENCES activities(id),
    model_id      INTEGER NOT NULL REFERENCES models(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    PRIMARY KEY (activity_id, model_id)
);
CREATE INDEX activity_models_model ON activity_models(model_id);

CREATE TABLE activity_weapons (
    id             INTEGER PRIMARY KEY,
    activity_id    INTEGER NOT NULL REFERENCES activities(id),
    province_code  TEXT NOT NULL REFERENCES units(code),
    commune_code   TEXT REFERENCES units(code),
    position       INTEGER NOT NULL,
    category       TEXT NOT NULL CHECK (category IN ('vu_khi_quan_dung', 'sung_san', 'sung_tu_che', 'vu_khi_the_thao', 'vu_khi_tho_so', 'dan', 'vat_lieu_no', 'cong_cu_ho_tro', 'linh_kien', 'phao')),
    unit           TEXT NOT NULL CHECK (unit IN ('khau', 'chiec', 'kg', 'qua', 'vien')),
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    handed_by      TEXT
);
CREATE INDEX activity_weapons_activity ON activity_weapons(activity_id, position);

CREATE TABLE activity_opinions (
    id            INTEGER PRIMARY KEY,
    activity_id   INTEGER NOT NULL REFERENCES activities(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    raised_by     TEXT,
    topic         TEXT NOT NULL,
    content       TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('cho_tra_loi', 'da_tra_loi')),
    answer        TEXT,
    answered_on   TEXT,
    tasked_unit   TEXT,
    due_on        TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX activity_opinions_activity ON activity_opinions(activity_id, id);
-- The waiting opinions of a place by deadline (the overdue list and counts).
CREATE INDEX activity_opinions_waiting ON activity_opinions(province_code, commune_code, due_on) WHERE state = 'cho_tra_loi';

CREATE TABLE activity_documents (
    id            INTEGER PRIMARY KEY,
    activity_id   INTEGER NOT NULL REFERENCES activities(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    title         TEXT NOT NULL,
    file_name     TEXT,
    content_type  TEXT,
    size          INTEGER NOT NULL DEFAULT 0,
    content       BLOB,
    created_at    TEXT NOT NULL
);
CREATE INDEX activity_documents_activity ON activity_documents(activity_id);

-- Totals of the activities by month, kind and place, kept in the transaction of every change:
-- level 'p' rows sum a province (commune_code ''), level 'c' rows a commune ('' for the
-- province's own activities). A year of a country is a few thousand 'p' rows.
CREATE TABLE activity_totals (
    year           INTEGER NOT NULL,
    level          TEXT NOT NULL CHECK (level IN ('p', 'c')),
    province_code  TEXT NOT NULL,
    commune_code   TEXT NOT NULL,
    kind_id        INTEGER NOT NULL,
    month          INTEGER NOT NULL,
    sessions       INTEGER NOT NULL,
    participants   INTEGER NOT NULL,
    opinions       INTEGER NOT NULL,
    answered       INTEGER NOT NULL,
    households     INTEGER NOT NULL,
    individuals    INTEGER NOT NULL,
    establishments INTEGER NOT NULL,
    publications   INTEGER NOT NULL,
    trainees       INTEGER NOT NULL,
    tips           INTEGER NOT NULL,
    PRIMARY KEY (year, level, province_code, commune_code, kind_id, month)
);

CREATE TABLE activity_weapon_totals (
    year           INTEGER NOT NULL,
    level          TEXT NOT NULL CHECK (level IN ('p', 'c')),
    province_code  TEXT NOT NULL,
    commune_code   TEXT NOT NULL,
    category       TEXT NOT NULL,
    unit           TEXT NOT NULL,
    month          INTEGER NOT NULL,
    quantity_milli INTEGER NOT NULL,
    lines          INTEGER NOT NULL,
    PRIMARY KEY (year, level, province_code, commune_code, category, unit, month)
);

-- Commendations. medal_key is the keyed hash of the person's citizen id, set for every
-- Kỷ niệm chương: one per person, whatever its form, unless refused.
CREATE TABLE commendations (
    id                  INTEGER PRIMARY KEY,
    province_code       TEXT NOT NULL REFERENCES units(code),
    commune_code        TEXT REFERENCES units(code),
    form                TEXT NOT NULL CHECK (form IN ('huan_chuong', 'bang_khen_thu_tuong', 'co_thi_dua_bca', 'bang_khen_bo_truong', 'knc_vi_an_ninh_to_quoc', 'knc_bao_ve_an_ninh_to_quoc', 'knc_bao_ve_antt_co_so', 'bang_khen_ubnd_tinh', 'giay_khen_giam_doc_ca_tinh', 'giay_khen_ubnd_xa', 'giay_khen_truong_ca_xa', 'thu_khen', 'khac')),
    level               TEXT NOT NULL CHECK (level IN ('nha_nuoc', 'chinh_phu', 'bo', 'tinh', 'xa')),
    authority           TEXT NOT NULL,
    reason              TEXT NOT NULL,
    movement_year       INTEGER NOT NULL,
    campaign            TEXT,
    recipient_kind      TEXT NOT NULL CHECK (recipient_kind IN ('tap_the', 'co_so', 'mo_hinh', 'to_bao_ve', 'thanh_vien', 'can_bo', 'cong_dan')),
    recipient_name      TEXT NOT NULL,
    search_key          TEXT NOT NULL,
    establishment_id    INTEGER REFERENCES establishments(id),
    model_id            INTEGER REFERENCES models(id),
    team_id             INTEGER REFERENCES force_teams(id),
    member_id           INTEGER REFERENCES force_members(id),
    citizen_last4       TEXT,
    medal_key           TEXT,
    tenure_years        INTEGER,
    prior_commendations INTEGER,
    eligibility         TEXT,
    cash_vnd            INTEGER NOT NULL CHECK (cash_vnd >= 0),
    state               TEXT NOT NULL CHECK (state IN ('de_xuat', 'da_trinh', 'da_quyet_dinh', 'khong_duoc_khen')),
    decision_no         TEXT,
    decided_on          TEXT,
    decided_year        INTEGER,
    proposed_by         TEXT NOT NULL,
    proposed_on         TEXT NOT NULL,
    submitted_by        TEXT,
    submitted_on        TEXT,
    decided_by          TEXT,
    comment             TEXT,
    note                TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX commendations_one_medal ON commendations(medal_key) WHERE medal_key IS NOT NULL AND state <> 'khong_duoc_khen';
CREATE INDEX commendations_place ON commendations(province_code, commune_code, state, proposed_on);
CREATE INDEX commendations_decided ON commendations(decided_year, province_code, form) WHERE state = 'da_quyet_dinh';
CREATE INDEX commendations_member ON commendations(member_id) WHERE member_id IS NOT NULL;
CREATE INDEX commendations_model ON commendations(model_id) WHERE model_id IS NOT NULL;

-- The rules of legal-rules §9.5 still missing (Ngày hội, Kỷ niệm chương, provincial commendation).
INSERT INTO rule_values (code, province_code, value, legal_basis, valid_from, valid_to, note, created_by, created_at) VALUES
 ('ngay_hoi_day', NULL, '19/08', 'Quyết định 521/QĐ-TTg ngày 13/06/2005', '2005-06-13', NULL, 'Ngày 19 tháng 8 hằng năm là Ngày hội toàn dân bảo vệ an ninh Tổ quốc.', 'seed', '2026-01-01T00:00:00Z'),
 ('ngay_hoi_window', NULL, '01/07-19/08', 'Quyết định 521/QĐ-TTg; kế hoạch hằng năm của tỉnh', '2005-06-13', NULL, 'Ngày hội ở khu dân cư, xã tổ chức trong khoảng tỉnh quy định, kết thúc trước hoặc vào ngày 19/8 (ví dụ Bà Rịa – Vũng Tàu 2024: 02/07–10/08). Giá trị mặc định; tỉnh nhập khoảng của mình.', 'seed', '2026-01-01T00:00:00Z'),
 ('knc_request_deadline', NULL, '01/06', 'Thông tư 22/2025/TT-BCA', '2025-05-10', NULL, 'Đề nghị cấp, đổi hiện vật khen thưởng gửi mỗi năm một lần trước ngày 01/6.', 'seed', '2026-01-01T00:00:00Z'),
 ('knc_award_deadline', NULL, '19/08', 'Thông tư 22/2025/TT-BCA', '2025-05-10', NULL, 'Kết quả trả trước ngày 19/8; Kỷ niệm chương trao tại Ngày hội.', 'seed', '2026-01-01T00:00:00Z'),
 ('khen_thuong_tinh', NULL, '01/12-31/12', 'Thủ tục «Xét khen thưởng trong phong trào toàn dân bảo vệ ANTQ tại Công an cấp tỉnh» (TT 12/2019/TT-BCA)', '2019-05-01', NULL, 'Xét, quyết định vào tháng 12 hằng năm.', 'seed', '2026-01-01T00:00:00Z'),
 ('knc_leader_years', NULL, '10', 'Thông tư 20/2025/TT-BCA', '2025-04-28', NULL, 'Người đứng đầu cấp ủy, chính quyền, đoàn thể từ cấp xã, trường công lập, doanh nghiệp: giữ chức vụ từ đủ số năm này (TT 11/2021 trước đây: 5 năm).', 'seed', '2026-01-01T00:00:00Z'),
 ('knc_leader_prior', NULL, '1', 'Thông tư 20/2025/TT-BCA', '2025-04-28', NULL, 'Đã được khen thưởng về công tác bảo vệ an ninh Tổ quốc ít nhất số lần này.', 'seed', '2026-01-01T00:00:00Z');
