-- Movement classification (QĐ 510/QĐ-BCA-V05) and exemplary units (điển hình tiên tiến):
-- one row per subject and year each, and the seeded score sheets per subject type.
-- Keep the SQLite and PostgreSQL trees in step.

CREATE TABLE movement_classifications (
    id               INTEGER PRIMARY KEY,
    year             INTEGER NOT NULL,
    subject          TEXT NOT NULL CHECK (subject IN ('khu_dan_cu', 'xa', 'co_so')),
    area_id          INTEGER REFERENCES areas(id),
    establishment_id INTEGER REFERENCES establishments(id),
    province_code    TEXT NOT NULL REFERENCES units(code),
    commune_code     TEXT NOT NULL REFERENCES units(code),
    subject_name     TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('tu_cham_diem', 'da_de_xuat', 'da_xet', 'da_quyet_dinh')),
    scores           TEXT NOT NULL,
    total            INTEGER NOT NULL,
    max_points       INTEGER NOT NULL,
    criteria_set_id  INTEGER REFERENCES criteria_sets(id),
    proposed_class   TEXT CHECK (proposed_class IN ('xuat_sac', 'kha', 'trung_binh', 'yeu')),
    decided_class    TEXT CHECK (decided_class IN ('xuat_sac', 'kha', 'trung_binh', 'yeu')),
    proposed_on      TEXT,
    comment          TEXT,
    decision_no      TEXT,
    decided_on       TEXT,
    note             TEXT,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX movement_classifications_subject ON movement_classifications(year, subject, commune_code, COALESCE(area_id, 0), COALESCE(establishment_id, 0));
CREATE INDEX movement_classifications_place ON movement_classifications(year, province_code, commune_code, decided_class);

CREATE TABLE exemplars (
    id               INTEGER PRIMARY KEY,
    year             INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('xa', 'phuong', 'co_quan', 'doanh_nghiep', 'co_so_giao_duc', 'cong_an_xa')),
    establishment_id INTEGER REFERENCES establishments(id),
    province_code    TEXT NOT NULL REFERENCES units(code),
    commune_code     TEXT NOT NULL REFERENCES units(code),
    name             TEXT NOT NULL,
    field            TEXT,
    registered_on    TEXT NOT NULL,
    result           TEXT NOT NULL CHECK (result IN ('dang_ky', 'dat', 'khong_dat')),
    decision_no      TEXT,
    decided_on       TEXT,
    note             TEXT,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX exemplars_subject ON exemplars(year, kind, commune_code, COALESCE(establishment_id, 0));
CREATE INDEX exemplars_place ON exemplars(year, province_code, commune_code);

INSERT INTO criteria_sets (id, subject, model_type_id, province_code, version, name, legal_basis, valid_from, valid_to, created_by, created_at) VALUES
 (6, 'pt_khu_dan_cu', NULL, NULL, 1, 'Bảng điểm phân loại phong trào — khu dân cư', 'QĐ 510/QĐ-BCA-V05 (điểm từng mục do tỉnh cụ thể hóa)', '2022-01-20', NULL, 'seed', '2026-01-01T00:00:00Z'),
 (7, 'pt_xa', NULL, NULL, 1, 'Bảng điểm phân loại phong trào — xã, phường, đặc khu', 'QĐ 510/QĐ-BCA-V05 (điểm từng mục do tỉnh cụ thể hóa)', '2022-01-20', NULL, 'seed', '2026-01-01T00:00:00Z'),
 (8, 'pt_co_so', NULL, NULL, 1, 'Bảng điểm phân loại phong trào — cơ quan, doanh nghiệp, cơ sở giáo dục', 'QĐ 510/QĐ-BCA-V05 Điều 7', '2022-01-20', NULL, 'seed', '2026-01-01T00:00:00Z');
INSERT INTO criteria (set_id, code, text, points, position) VALUES
 (6, 'PT.1', 'Nghị quyết, kế hoạch; thực hiện chỉ đạo của cấp trên; sơ kết, tổng kết, chế độ báo cáo', 10, 1),
 (6, 'PT.2', 'Tuyên truyền, phổ biến đến ≥ 90% hộ gia đình, người dân', 10, 2),
 (6, 'PT.3', 'Hưởng ứng, tổ chức Ngày hội toàn dân bảo vệ ANTQ và hoạt động chuyên đề', 15, 3),
 (6, 'PT.4', 'Xây dựng, duy trì mô hình tự phòng, tự quản, tự bảo vệ, tự hòa giải hiệu quả', 20, 4),
 (6, 'PT.5', 'Kết quả phòng ngừa, phát hiện, tố giác tội phạm; hòa giải mâu thuẫn ở cơ sở', 25, 5),
 (6, 'PT.6', 'Kết quả xây dựng khu dân cư «An toàn về ANTT»', 20, 6),
 (7, 'PT.1', 'Nghị quyết của Đảng ủy, kế hoạch của UBND; chỉ đạo, sơ kết, tổng kết, chế độ báo cáo', 10, 1),
 (7, 'PT.2', 'Tuyên truyền, phổ biến đến ≥ 90% người dân', 10, 2),
 (7, 'PT.3', 'Tổ chức Ngày hội toàn dân bảo vệ ANTQ, hội nghị «Công an lắng nghe ý kiến Nhân dân»', 15, 3),
 (7, 'PT.4', 'Xây dựng, nhân rộng mô hình; lực lượng tham gia bảo vệ ANTT ở cơ sở hoạt động hiệu quả', 20, 4),
 (7, 'PT.5', 'Kết quả phòng ngừa, đấu tranh với tội phạm, tệ nạn xã hội; vận động giao nộp vũ khí', 25, 5),
 (7, 'PT.6', 'Tỷ lệ khu dân cư, cơ quan, doanh nghiệp, trường học đạt «An toàn về ANTT»', 20, 6),
 (8, 'PT.1', 'Nghị quyết (nơi có tổ chức Đảng), kế hoạch; thực hiện chỉ đạo; sơ kết, tổng kết, chế độ báo cáo', 3, 1),
 (8, 'PT.2', 'Tuyên truyền đến ≥ 90% đảng viên, cán bộ, người lao động, học sinh', 3, 2),
 (8, 'PT.3', 'Hưởng ứng Ngày hội toàn dân bảo vệ ANTQ, hoạt động chuyên đề', 4, 3),
 (8, 'PT.4', 'Nội quy bảo vệ cơ quan, bí mật nhà nước, PCCC; mô hình tự quản hiệu quả', 5, 4),
 (8, 'PT.5', 'Không để xảy ra vụ việc mất ANTT, tội phạm, cháy nổ trong đơn vị', 5, 5);
