-- The administrative map's history (issue 16). A map that ended is kept for ever as a
-- generation: its units, and how each went into the next map. A former code that a current
-- unit reuses (3,316 of the 3,321 communes of 1 July 2025 reuse a former ward's code) still
-- names the former unit, because a former unit is keyed by its generation. The current map
-- stays in `units`, which every register references. Keep both trees in step.
CREATE TABLE unit_generations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    valid_from  DATE,
    valid_to    DATE,
    legal_basis TEXT NOT NULL
);

CREATE TABLE former_units (
    generation    TEXT NOT NULL REFERENCES unit_generations(id),
    level         TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    code          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('tinh', 'thanh_pho', 'huyen', 'quan', 'thi_xa', 'thanh_pho_thuoc_tinh', 'xa', 'phuong', 'thi_tran', 'dac_khu')),
    name          TEXT NOT NULL,
    search_key    TEXT NOT NULL,
    province_code TEXT NOT NULL,
    district_code TEXT,
    lat           DOUBLE PRECISION,
    lon           DOUBLE PRECISION,
    PRIMARY KEY (generation, level, code)
);
CREATE INDEX former_units_search ON former_units(search_key);
CREATE INDEX former_units_place ON former_units(generation, province_code, district_code, level);

-- How a unit of a generation went into the next one: the whole of it, a part (with a weight
-- in thousandths, estimated where the resolution gives no figures), a rename, or unchanged.
-- Exactly one successor of a unit is its default (where a record of it is restated when no
-- one chose otherwise).
CREATE TABLE unit_successions (
    generation    TEXT NOT NULL REFERENCES unit_generations(id),
    from_level    TEXT NOT NULL,
    from_code     TEXT NOT NULL,
    to_generation TEXT NOT NULL REFERENCES unit_generations(id),
    to_level      TEXT NOT NULL,
    to_code       TEXT NOT NULL,
    relation      TEXT NOT NULL CHECK (relation IN ('nhap_toan_bo', 'nhap_mot_phan', 'chia_tach', 'doi_ten', 'giu_nguyen')),
    weight_milli  BIGINT NOT NULL CHECK (weight_milli BETWEEN 1 AND 1000),
    is_default    BOOLEAN NOT NULL,
    legal_basis   TEXT NOT NULL,
    effective_on  DATE NOT NULL,
    PRIMARY KEY (generation, from_level, from_code, to_level, to_code),
    FOREIGN KEY (generation, from_level, from_code) REFERENCES former_units(generation, level, code)
);
CREATE INDEX unit_successions_to ON unit_successions(to_generation, to_level, to_code);
