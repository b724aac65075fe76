-- Security cameras and their monitoring centres (C3; issue 14). Keep both trees in step.
-- No video and no stream address is stored: a centre is a name and a place.

CREATE TABLE camera_centres (
    id            INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    name          TEXT NOT NULL,
    address       TEXT,
    operator      TEXT,
    note          TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX camera_centres_name ON camera_centres(province_code, COALESCE(commune_code, ''), name);

-- One camera point; status and status_since are the last of its status changes.
CREATE TABLE cameras (
    id               INTEGER PRIMARY KEY,
    province_code    TEXT NOT NULL REFERENCES units(code),
    commune_code     TEXT NOT NULL REFERENCES units(code),
    area_id          INTEGER REFERENCES areas(id),
    establishment_id INTEGER REFERENCES establishments(id),
    name             TEXT NOT NULL,
    search_key       TEXT NOT NULL,
    address          TEXT,
    latitude         REAL,
    longitude        REAL,
    model_id         INTEGER REFERENCES models(id),
    installed_on     TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('co_dinh', 'ptz', 'ai')),
    watches          TEXT NOT NULL CHECK (watches IN ('duong_giao_thong', 'khu_dan_cu', 'cho', 'cong_truong', 'co_so_ton_giao', 'ben_xe', 'co_quan', 'diem_du_lich', 'khac')),
    funding          TEXT NOT NULL CHECK (funding IN ('ngan_sach', 'xa_hoi_hoa', 'doanh_nghiep', 'ho_gia_dinh')),
    cost_vnd         INTEGER NOT NULL CHECK (cost_vnd >= 0),
    keeper           TEXT,
    centre_id        INTEGER REFERENCES camera_centres(id),
    status           TEXT NOT NULL CHECK (status IN ('hoat_dong', 'hong', 'da_thao')),
    status_since     TEXT NOT NULL,
    note             TEXT,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX cameras_place ON cameras(province_code, commune_code, id);
CREATE INDEX cameras_status ON cameras(province_code, status, status_since);
CREATE INDEX cameras_installed ON cameras(province_code, installed_on, commune_code);
CREATE INDEX cameras_model ON cameras(model_id) WHERE model_id IS NOT NULL;
CREATE INDEX cameras_centre ON cameras(centre_id) WHERE centre_id IS NOT NULL;

CREATE TABLE camera_status_changes (
    id            INTEGER PRIMARY KEY,
    camera_id     INTEGER NOT NULL REFERENCES cameras(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT NOT NULL REFERENCES units(code),
    status        TEXT NOT NULL CHECK (status IN ('hoat_dong', 'hong', 'da_thao')),
    changed_on    TEXT NOT NULL,
    note          TEXT,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX camera_status_changes_camera ON camera_status_changes(camera_id, id);

-- Kept totals per commune, status and funding source, changed with every camera change, so
-- national coverage reads a few thousand rows.
CREATE TABLE camera_totals (
    province_code TEXT NOT NULL,
    commune_code  TEXT NOT NULL,
    status        TEXT NOT NULL,
    funding       TEXT NOT NULL,
    cameras       INTEGER NOT NULL,
    cost_vnd      INTEGER NOT NULL,
    PRIMARY KEY (province_code, commune_code, status, funding)
);

INSERT INTO rule_values (code, province_code, value, legal_basis, valid_from, valid_to, note, created_by, created_at) VALUES
 ('camera_broken_days', NULL, '7', 'Giá trị mặc định của antq (không có văn bản quy định); tỉnh đặt theo quy chế quản lý camera của mình', '2026-01-01', NULL, 'Camera hỏng quá số ngày này được đưa vào danh sách cần sửa chữa trên trang thống kê.', 'seed', '2026-01-01T00:00:00Z');
