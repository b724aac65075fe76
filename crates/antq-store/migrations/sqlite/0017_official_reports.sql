-- Official movement reports (báo cáo sơ kết, tổng kết; C13, issue 15). Keep both trees in step.
-- A draft holds the parts an officer writes (JSON of antq-domain official::Parts); its
-- figures are read live. Issuing freezes it: the whole document (JSON, numbers included), the
-- PDF and the XLSX made from it, and their SHA-256, so it is re-downloaded unchanged.
-- A national report has no province (unit_code '').
CREATE TABLE official_reports (
    id            INTEGER PRIMARY KEY,
    province_code TEXT REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    unit_code     TEXT NOT NULL,
    period_kind   TEXT NOT NULL CHECK (period_kind IN ('6t', 'nam')),
    period_year   INTEGER NOT NULL,
    period_from   TEXT NOT NULL,
    period_to     TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('du_thao', 'da_ban_hanh')),
    parts         TEXT NOT NULL,
    body          TEXT,
    pdf           BLOB,
    xlsx          BLOB,
    pdf_sha256    TEXT,
    xlsx_sha256   TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    issued_by     TEXT,
    issued_at     TEXT,
    CHECK (state = 'du_thao' OR (body IS NOT NULL AND pdf IS NOT NULL AND xlsx IS NOT NULL))
);
CREATE INDEX official_reports_place ON official_reports(province_code, commune_code, period_year);
