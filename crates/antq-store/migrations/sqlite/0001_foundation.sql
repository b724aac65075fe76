-- antq foundation: geography, registries, model registry, accounts (SQLite).
-- Keep in step with ../postgres/0001_foundation.sql: same tables, columns, constraints.

CREATE TABLE units (
    code          TEXT PRIMARY KEY,
    parent_code   TEXT REFERENCES units(code),
    level         TEXT NOT NULL CHECK (level IN ('province', 'commune')),
    kind          TEXT NOT NULL CHECK (kind IN ('tinh', 'thanh_pho', 'xa', 'phuong', 'dac_khu')),
    name          TEXT NOT NULL,
    search_key    TEXT NOT NULL,
    lat           REAL,
    lon           REAL,
    province_code TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT
);
CREATE INDEX units_parent ON units(parent_code);
CREATE INDEX units_level ON units(level, search_key);

CREATE TABLE model_types (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    description   TEXT,
    legal_basis   TEXT,
    province_code TEXT REFERENCES units(code),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order    INTEGER NOT NULL DEFAULT 100
);

CREATE TABLE areas (
    id            INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT NOT NULL REFERENCES units(code),
    name          TEXT NOT NULL,
    search_key    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    households    INTEGER,
    population    INTEGER,
    note          TEXT,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX areas_place ON areas(province_code, commune_code);

CREATE TABLE establishments (
    id                   INTEGER PRIMARY KEY,
    province_code        TEXT NOT NULL REFERENCES units(code),
    commune_code         TEXT NOT NULL REFERENCES units(code),
    name                 TEXT NOT NULL,
    search_key           TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('co_quan', 'doanh_nghiep', 'co_so_giao_duc')),
    sub_type             TEXT,
    address              TEXT,
    armed_forces         BOOLEAN NOT NULL DEFAULT FALSE,
    small_enterprise     BOOLEAN NOT NULL DEFAULT FALSE,
    primary_or_preschool BOOLEAN NOT NULL DEFAULT FALSE,
    note                 TEXT,
    valid_from           TEXT NOT NULL,
    valid_to             TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX establishments_place ON establishments(province_code, commune_code);

CREATE TABLE models (
    id                      INTEGER PRIMARY KEY,
    province_code           TEXT NOT NULL REFERENCES units(code),
    commune_code            TEXT REFERENCES units(code),
    type_id                 INTEGER NOT NULL REFERENCES model_types(id),
    name                    TEXT NOT NULL,
    search_key              TEXT NOT NULL,
    level                   TEXT NOT NULL,
    origin_kind             TEXT NOT NULL,
    origin_area_id          INTEGER REFERENCES areas(id),
    origin_establishment_id INTEGER REFERENCES establishments(id),
    origin_note             TEXT,
    host_org                TEXT NOT NULL,
    host_note               TEXT,
    scope                   TEXT NOT NULL,
    field_note              TEXT,
    state                   TEXT NOT NULL,
    state_since             TEXT,
    registered_on           TEXT,
    members                 INTEGER,
    funding_state           INTEGER NOT NULL DEFAULT 0,
    funding_social          INTEGER NOT NULL DEFAULT 0,
    channels                TEXT,
    description             TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
CREATE INDEX models_place ON models(province_code, commune_code);
CREATE INDEX models_type ON models(type_id);
CREATE INDEX models_state ON models(state);

CREATE TABLE model_sites (
    id               INTEGER PRIMARY KEY,
    model_id         INTEGER NOT NULL REFERENCES models(id),
    province_code    TEXT NOT NULL REFERENCES units(code),
    commune_code     TEXT NOT NULL REFERENCES units(code),
    name             TEXT NOT NULL,
    area_id          INTEGER REFERENCES areas(id),
    establishment_id INTEGER REFERENCES establishments(id),
    started_on       TEXT,
    state            TEXT NOT NULL,
    note             TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX model_sites_model ON model_sites(model_id);
CREATE INDEX model_sites_place ON model_sites(province_code, commune_code);

CREATE TABLE model_teams (
    id            INTEGER PRIMARY KEY,
    site_id       INTEGER NOT NULL REFERENCES model_sites(id),
    model_id      INTEGER NOT NULL REFERENCES models(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT NOT NULL REFERENCES units(code),
    name          TEXT NOT NULL,
    members       INTEGER,
    leader        TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX model_teams_site ON model_teams(site_id);
CREATE INDEX model_teams_model ON model_teams(model_id);
CREATE INDEX model_teams_place ON model_teams(province_code, commune_code);

CREATE TABLE model_events (
    id            INTEGER PRIMARY KEY,
    model_id      INTEGER NOT NULL REFERENCES models(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    kind          TEXT NOT NULL,
    on_date       TEXT NOT NULL,
    decision_no   TEXT,
    note          TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX model_events_model ON model_events(model_id);

CREATE TABLE model_history (
    id            INTEGER PRIMARY KEY,
    model_id      INTEGER NOT NULL REFERENCES models(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    at            TEXT NOT NULL,
    user_id       INTEGER,
    username      TEXT NOT NULL,
    action        TEXT NOT NULL,
    summary       TEXT NOT NULL,
    changes       TEXT NOT NULL
);
CREATE INDEX model_history_model ON model_history(model_id, id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'province_officer', 'commune_officer', 'viewer')),
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used  TEXT
);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    used_at    TEXT
);
