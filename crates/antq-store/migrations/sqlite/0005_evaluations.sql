-- Evaluations (issue 4): rules as data, versioned criteria sets, model rating rounds.
-- Keep the SQLite and PostgreSQL trees in step: same tables, columns, constraints, seeds.

-- Rules as data (legal-rules §9.5): one row per value with its legal basis and validity.
-- A province may hold its own value; otherwise the national one (province_code NULL) applies.
CREATE TABLE rule_values (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL,
    province_code TEXT REFERENCES units(code),
    value         TEXT NOT NULL,
    legal_basis   TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,
    note          TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX rule_values_code ON rule_values(code, province_code, valid_from);

INSERT INTO rule_values (code, province_code, value, legal_basis, valid_from, valid_to, note, created_by, created_at) VALUES
 ('model_min_months', NULL, '6', 'HD 22/HD-BCA-V05', '2022-11-18', NULL, 'Văn bản gốc chưa nêu số tháng («đủ thời gian»); giá trị mặc định, tỉnh điều chỉnh theo hướng dẫn của mình.', 'seed', '2026-01-01T00:00:00Z'),
 ('model_rating_window', NULL, '16/11-15/11', 'HD 22/HD-BCA-V05; TT 124/2021/TT-BCA Điều 8', '2022-11-18', NULL, 'Theo kỳ đánh giá phong trào ở cấp xã; tỉnh có thể quy định khác.', 'seed', '2026-01-01T00:00:00Z'),
 ('model_rating_bands', NULL, 'tot:80;kha:65;trung_binh:50;can_thanh_loai:0', 'HD 22/HD-BCA-V05', '2022-11-18', NULL, 'Ngưỡng chỉ để gợi ý; cán bộ đề xuất mức xếp loại.', 'seed', '2026-01-01T00:00:00Z'),
 ('antt_registration', NULL, '01/01-31/03', 'TT 124/2021/TT-BCA Điều 4–6 (quý I)', '2021-12-30', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('antt_window_khu_dan_cu', NULL, '01/11-31/10', 'TT 124/2021/TT-BCA Điều 8', '2021-12-30', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('antt_window_other', NULL, '16/11-15/11', 'TT 124/2021/TT-BCA Điều 8', '2021-12-30', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('antt_households_pct', NULL, '100', 'TT 124/2021/TT-BCA Điều 4 khoản 1', '2021-12-30', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('antt_commune_registered_pct', NULL, '100', 'TT 124/2021/TT-BCA Điều 5 khoản 4', '2021-12-30', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('antt_commune_recognised_pct', NULL, '70', 'TT 124/2021/TT-BCA Điều 5 khoản 4', '2021-12-30', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('pt_deadline_khu_dan_cu', NULL, '20/11', 'QĐ 510/QĐ-BCA-V05 Điều 11 khoản 3', '2022-01-20', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('pt_deadline_co_so', NULL, '30/11', 'QĐ 510/QĐ-BCA-V05 Điều 11 khoản 3', '2022-01-20', NULL, NULL, 'seed', '2026-01-01T00:00:00Z'),
 ('pt_deadline_cap_tinh', NULL, '15/12', 'QĐ 510/QĐ-BCA-V05 Điều 11 khoản 3 (trước đây cấp huyện)', '2022-01-20', NULL, 'Cấp huyện không còn từ 01/07/2025; hạn cấp trên chờ hướng dẫn mới.', 'seed', '2026-01-01T00:00:00Z'),
 ('pt_bands', NULL, 'xuat_sac:90;kha:70;trung_binh:50;yeu:0', 'QĐ 510/QĐ-BCA-V05', '2022-01-20', NULL, 'Ngưỡng chưa xác nhận trong văn bản gốc; tỉnh điều chỉnh.', 'seed', '2026-01-01T00:00:00Z');

-- Versioned criteria sets. A version is never edited: a new version is added and the
-- previous one gets valid_to.
CREATE TABLE criteria_sets (
    id            INTEGER PRIMARY KEY,
    subject       TEXT NOT NULL,
    model_type_id INTEGER REFERENCES model_types(id),
    province_code TEXT REFERENCES units(code),
    version       INTEGER NOT NULL,
    name          TEXT NOT NULL,
    legal_basis   TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE TABLE criteria (
    id        INTEGER PRIMARY KEY,
    set_id    INTEGER NOT NULL REFERENCES criteria_sets(id),
    code      TEXT NOT NULL,
    text      TEXT NOT NULL,
    points    INTEGER NOT NULL CHECK (points BETWEEN 0 AND 100),
    position  INTEGER NOT NULL,
    UNIQUE (set_id, code)
);

INSERT INTO criteria_sets (id, subject, model_type_id, province_code, version, name, legal_basis, valid_from, valid_to, created_by, created_at)
VALUES (1, 'model', NULL, NULL, 1, 'Tiêu chí chung đánh giá mô hình', 'HD 22/HD-BCA-V05', '2022-11-18', NULL, 'seed', '2026-01-01T00:00:00Z');
INSERT INTO criteria (set_id, code, text, points, position) VALUES
 (1, 'HD22.1', 'Có quyết định hoặc kế hoạch xây dựng, quy chế hoạt động, phân công người phụ trách', 20, 1),
 (1, 'HD22.2', 'Duy trì hoạt động thường xuyên, có sổ sách ghi chép, báo cáo định kỳ', 20, 2),
 (1, 'HD22.3', 'Góp phần kiềm chế, giảm tội phạm, tệ nạn xã hội và vi phạm pháp luật trên địa bàn', 25, 3),
 (1, 'HD22.4', 'Được Nhân dân đồng tình, tham gia; huy động được nguồn lực xã hội', 20, 4),
 (1, 'HD22.5', 'Có sơ kết, tổng kết, rút kinh nghiệm và nhân rộng', 15, 5);

-- A rating round per province and year.
CREATE TABLE rating_rounds (
    id            INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES units(code),
    year          INTEGER NOT NULL,
    window_from   TEXT NOT NULL,
    window_to     TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('open', 'approved')),
    approved_note TEXT,
    approved_by   TEXT,
    approved_at   TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (province_code, year)
);

-- One sheet per unit of a round: each commune, and the province for province-level models
-- (unit_code = province_code, commune_code NULL).
CREATE TABLE rating_sheets (
    round_id      INTEGER NOT NULL REFERENCES rating_rounds(id),
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    state         TEXT NOT NULL CHECK (state IN ('dang_danh_gia', 'da_nop', 'tra_lai', 'da_duyet')),
    comment       TEXT,
    submitted_by  TEXT,
    submitted_at  TEXT,
    reviewed_by   TEXT,
    reviewed_at   TEXT,
    PRIMARY KEY (round_id, unit_code)
);
CREATE INDEX rating_sheets_place ON rating_sheets(province_code, commune_code);

-- A rating of a model (site_id NULL) or of one of its sites, in a round. year, place and
-- type are copied from the round, the sheet and the model at rating time, so the yearly
-- pivots read one covering index.
CREATE TABLE model_ratings (
    id                 INTEGER PRIMARY KEY,
    round_id           INTEGER NOT NULL REFERENCES rating_rounds(id),
    year               INTEGER NOT NULL,
    unit_code          TEXT NOT NULL REFERENCES units(code),
    province_code      TEXT NOT NULL REFERENCES units(code),
    commune_code       TEXT REFERENCES units(code),
    model_id           INTEGER NOT NULL REFERENCES models(id),
    site_id            INTEGER REFERENCES model_sites(id),
    type_id            INTEGER NOT NULL REFERENCES model_types(id),
    rating             TEXT NOT NULL CHECK (rating IN ('tot', 'kha', 'trung_binh', 'can_thanh_loai', 'chua_danh_gia')),
    checklist          TEXT NOT NULL,
    score              INTEGER NOT NULL,
    criteria_set_id    INTEGER REFERENCES criteria_sets(id),
    note               TEXT,
    approved           BOOLEAN NOT NULL DEFAULT FALSE,
    follow_up          TEXT CHECK (follow_up IN ('cung_co', 'thanh_loai')),
    follow_up_on       TEXT,
    follow_up_plan     TEXT,
    follow_up_decision TEXT,
    rated_by           TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE UNIQUE INDEX model_ratings_target ON model_ratings(round_id, model_id, COALESCE(site_id, 0));
CREATE INDEX model_ratings_sheet ON model_ratings(round_id, unit_code);
CREATE INDEX model_ratings_model ON model_ratings(model_id, year);
CREATE INDEX model_ratings_pivot ON model_ratings(year, approved, province_code, unit_code, type_id, rating, site_id);
CREATE INDEX model_ratings_follow_up ON model_ratings(rating, approved, follow_up, province_code, commune_code);
