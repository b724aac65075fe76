-- "An toàn về ANTT" recognition (TT 124/2021/TT-BCA, TT 48/2025/TT-BCA): one record per
-- subject and year, its dossier documents, and the seeded criteria sets of each subject type.
-- Keep the SQLite and PostgreSQL trees in step.

CREATE TABLE antt_records (
    id                 INTEGER PRIMARY KEY,
    year               INTEGER NOT NULL,
    subject            TEXT NOT NULL CHECK (subject IN ('khu_dan_cu', 'xa', 'co_quan', 'doanh_nghiep', 'co_so_giao_duc')),
    area_id            INTEGER REFERENCES areas(id),
    establishment_id   INTEGER REFERENCES establishments(id),
    province_code      TEXT NOT NULL REFERENCES units(code),
    commune_code       TEXT NOT NULL REFERENCES units(code),
    subject_name       TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('da_dang_ky', 'da_tu_danh_gia', 'da_nop_ho_so', 'dang_tham_dinh', 'dat', 'chua_dat', 'da_thu_hoi')),
    registered_on      TEXT NOT NULL,
    households_pct     INTEGER,
    registration_note  TEXT,
    evaluated_on       TEXT,
    checklist          TEXT NOT NULL,
    all_met            BOOLEAN NOT NULL DEFAULT FALSE,
    criteria_set_id    INTEGER REFERENCES criteria_sets(id),
    evaluation_note    TEXT,
    submitted_on       TEXT,
    decision_no        TEXT,
    decided_on         TEXT,
    authority          TEXT,
    certificate_no     TEXT,
    override_reason    TEXT,
    revoked_on         TEXT,
    revoke_reason      TEXT,
    revoke_decision_no TEXT,
    created_by         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE UNIQUE INDEX antt_records_subject ON antt_records(year, subject, commune_code, COALESCE(area_id, 0), COALESCE(establishment_id, 0));
CREATE INDEX antt_records_place ON antt_records(year, province_code, commune_code, subject, state);

CREATE TABLE antt_documents (
    id            INTEGER PRIMARY KEY,
    record_id     INTEGER NOT NULL REFERENCES antt_records(id),
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
CREATE INDEX antt_documents_record ON antt_documents(record_id);

INSERT INTO criteria_sets (id, subject, model_type_id, province_code, version, name, legal_basis, valid_from, valid_to, created_by, created_at) VALUES
 (2, 'antt_khu_dan_cu', NULL, NULL, 1, 'Tiêu chuẩn «An toàn về ANTT» — khu dân cư', 'TT 124/2021/TT-BCA Điều 4', '2021-12-30', NULL, 'seed', '2026-01-01T00:00:00Z'),
 (3, 'antt_xa', NULL, NULL, 1, 'Tiêu chuẩn «An toàn về ANTT» — xã, phường, đặc khu', 'TT 124/2021/TT-BCA Điều 5', '2021-12-30', NULL, 'seed', '2026-01-01T00:00:00Z'),
 (4, 'antt_co_quan_doanh_nghiep', NULL, NULL, 1, 'Tiêu chuẩn «An toàn về ANTT» — cơ quan, doanh nghiệp', 'TT 124/2021/TT-BCA Điều 6', '2021-12-30', NULL, 'seed', '2026-01-01T00:00:00Z'),
 (5, 'antt_co_so_giao_duc', NULL, NULL, 1, 'Tiêu chuẩn «An toàn về ANTT» — cơ sở giáo dục', 'TT 124/2021/TT-BCA Điều 7', '2021-12-30', NULL, 'seed', '2026-01-01T00:00:00Z');
INSERT INTO criteria (set_id, code, text, points, position) VALUES
 (2, 'D4.1', 'Quý I: chi bộ ra nghị quyết, khu dân cư đăng ký phấn đấu, 100% hộ gia đình đăng ký tham gia', 1, 1),
 (2, 'D4.2', 'Thực hiện đầy đủ chủ trương của Đảng, chính sách, pháp luật của Nhà nước và quy định của địa phương về ANTT', 1, 2),
 (2, 'D4.3', 'Không xảy ra các vụ việc quy định tại khoản 3 Điều 4 (hoạt động chống Đảng, chính quyền; phá hoại; tôn giáo trái pháp luật; lợi dụng tôn giáo, dân tộc, khiếu kiện gây mất ANTT; ly khai, tự trị; tranh chấp phức tạp kéo dài …)', 1, 3),
 (2, 'D4.4', 'Tội phạm, tệ nạn xã hội và vi phạm pháp luật khác được kiềm chế, giảm; không để hình thành tụ điểm phức tạp', 1, 4),
 (2, 'D4.5', 'Các tổ chức tự quản, mô hình tự phòng, tự quản, tự bảo vệ, tự hòa giải hoạt động hiệu quả', 1, 5),
 (3, 'D5.1', 'Quý I: Đảng ủy ra nghị quyết, UBND có kế hoạch, đăng ký phấn đấu; xây dựng, củng cố, duy trì ít nhất 1 mô hình hiệu quả', 1, 1),
 (3, 'D5.2', 'Đáp ứng các khoản 2, 3, 4 Điều 4', 1, 2),
 (3, 'D5.3', 'Công an xã nắm chắc tình hình, tham mưu hiệu quả; không có cá nhân vi phạm bị xử lý kỷ luật', 1, 3),
 (3, 'D5.4', '100% khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục đăng ký và ít nhất 70% được công nhận', 1, 4),
 (4, 'D6.1', 'Quý I: nghị quyết, kế hoạch, đăng ký; có nội quy bảo vệ cơ quan, bí mật nhà nước, an toàn lao động, PCCC; 100% người lao động được phổ biến; ít nhất 1 mô hình hiệu quả', 1, 1),
 (4, 'D6.2', 'Thực hiện đầy đủ chính sách, pháp luật, quy chế phối hợp với cơ quan chức năng về ANTT', 1, 2),
 (4, 'D6.3', 'Không để xảy ra vụ việc mất an ninh, tội phạm, vi phạm pháp luật nghiêm trọng, cháy, nổ trong cơ quan, doanh nghiệp', 1, 3),
 (5, 'D7.1', 'Quý I: nghị quyết, kế hoạch, đăng ký; có ít nhất 1 mô hình hiệu quả', 1, 1),
 (5, 'D7.2', 'Phối hợp giữa nhà trường và ban đại diện cha mẹ học sinh trong quản lý học sinh', 1, 2),
 (5, 'D7.3', 'Không để xảy ra mất ANTT, kích động, tuyên truyền tôn giáo trái pháp luật', 1, 3),
 (5, 'D7.4', 'Không để xảy ra bạo lực học đường', 1, 4),
 (5, 'D7.5', 'Cán bộ, giáo viên, nhân viên hoàn thành nhiệm vụ được giao', 1, 5),
 (5, 'D7.6', 'Thực hiện đầy đủ quy định về bảo đảm ANTT trong cơ sở giáo dục', 1, 6);
