-- Yearly targets (chỉ tiêu, C12; issue 14). Keep both trees in step.
-- An indicator is a formula over what antq records (see antq-domain target.rs), never a typed
-- number: the national ones are seeded, a province adds its own (province_code set).

CREATE TABLE target_indicators (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL,
    province_code TEXT REFERENCES units(code),
    name          TEXT NOT NULL,
    formula       TEXT NOT NULL,
    unit          TEXT NOT NULL CHECK (unit IN ('count', 'percent')),
    source        TEXT NOT NULL,
    active        BOOLEAN NOT NULL,
    sort_order    INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX target_indicators_code ON target_indicators(COALESCE(province_code, ''), code);

-- A target of a province (commune_code NULL) or of one of its communes, in thousandths
-- (12 models: 12000; 75,5 %: 75500).
CREATE TABLE targets (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    indicator_id  INTEGER NOT NULL REFERENCES target_indicators(id),
    target_milli  INTEGER NOT NULL CHECK (target_milli >= 0),
    note          TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX targets_unit ON targets(year, province_code, COALESCE(commune_code, ''), indicator_id);
CREATE INDEX targets_indicator ON targets(indicator_id);

-- What the sources read per commune of a province and year.
CREATE INDEX models_registered ON models(province_code, registered_on, commune_code);
CREATE INDEX model_ratings_year ON model_ratings(province_code, year, commune_code, rating);

INSERT INTO target_indicators (code, province_code, name, formula, unit, source, active, sort_order, created_at, updated_at) VALUES
 ('mo_hinh_moi', NULL, 'Số mô hình mới xây dựng trong năm', 'models_new()', 'count', 'Sổ theo dõi mô hình: mô hình có ngày đăng ký, ra mắt trong năm', TRUE, 10, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('mo_hinh_pccc_moi', NULL, 'Số mô hình phòng cháy, chữa cháy mới trong năm', 'models_new(type=phong_chay_chua_chay)', 'count', 'Sổ theo dõi mô hình, loại «Phòng cháy, chữa cháy»', TRUE, 20, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('xa_co_mo_hinh_camera', NULL, 'Tỷ lệ xã có mô hình camera giám sát ANTT', 'communes_with_model(type=camera_giam_sat) / communes()', 'percent', 'Sổ theo dõi mô hình (đang hoạt động) trên danh mục xã hiện hành', TRUE, 30, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('kdc_an_toan', NULL, 'Tỷ lệ khu dân cư được công nhận «An toàn về ANTT»', 'areas_recognised() / areas()', 'percent', 'Hồ sơ công nhận «An toàn về ANTT» của năm (TT 124/2021/TT-BCA) trên danh mục khu dân cư', TRUE, 40, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('mo_hinh_tot_kha', NULL, 'Tỷ lệ mô hình được xếp loại tốt, khá', 'models_rated(rating=tot|kha) / models_rated()', 'percent', 'Kết quả đánh giá, xếp loại mô hình của năm', TRUE, 50, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('tin_bao_dung_han', NULL, 'Tỷ lệ tố giác, tin báo giải quyết đúng hạn luật định', 'reports_on_time() / reports_handled()', 'percent', 'Sổ tiếp nhận tố giác, tin báo: đã giải quyết, tiếp nhận trong năm (BLTTHS 2015 Điều 147)', TRUE, 60, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('kdc_co_to_bao_ve', NULL, 'Tỷ lệ khu dân cư có Tổ bảo vệ ANTT', 'areas_covered_by_team() / areas()', 'percent', 'Tổ bảo vệ ANTT đang hoạt động và địa bàn phụ trách (Luật 30/2023/QH15)', TRUE, 70, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('camera_lap_moi', NULL, 'Số camera giám sát ANTT lắp đặt mới trong năm', 'cameras_installed()', 'count', 'Sổ theo dõi camera: ngày lắp đặt trong năm', TRUE, 80, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('xa_co_camera', NULL, 'Tỷ lệ xã có camera giám sát đang hoạt động', 'communes_with_camera() / communes()', 'percent', 'Sổ theo dõi camera (trạng thái hiện tại) trên danh mục xã hiện hành', TRUE, 90, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('buoi_tuyen_truyen', NULL, 'Số buổi tuyên truyền, họp dân', 'sessions(kind=tuyen_truyen)', 'count', 'Sổ hoạt động phong trào, loại «Tuyên truyền»', TRUE, 100, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
 ('luot_tham_du', NULL, 'Số lượt người tham dự hoạt động phong trào', 'participants()', 'count', 'Sổ hoạt động phong trào: số người tham dự', TRUE, 110, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
