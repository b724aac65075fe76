-- Audit trail, new roles, token scopes and expiry, two-step login (SQLite).
-- Keep in step with ../postgres/0004_audit_access.sql.

-- SQLite cannot change a CHECK constraint in place: rebuild users and the two tables that
-- reference it. Children are rebuilt against users_new first, so no foreign key is ever broken;
-- renaming users_new to users rewrites their REFERENCES clauses.
CREATE TABLE users_new (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'province_officer', 'commune_officer', 'viewer',
                                                 'commune_government', 'mass_organisation', 'auditor')),
    unit_code      TEXT NOT NULL REFERENCES units(code),
    province_code  TEXT NOT NULL REFERENCES units(code),
    commune_code   TEXT REFERENCES units(code),
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TEXT NOT NULL,
    updated_at     TEXT,
    totp_secret    TEXT,
    totp_recovery  TEXT
);
INSERT INTO users_new (id, username, display_name, password_hash, role, unit_code, province_code, commune_code, active, created_at)
    SELECT id, username, display_name, password_hash, role, unit_code, province_code, commune_code, active, created_at FROM users;

CREATE TABLE sessions_new (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users_new(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
INSERT INTO sessions_new SELECT token_hash, user_id, csrf_token, created_at, last_seen, expires_at FROM sessions;

CREATE TABLE api_tokens_new (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users_new(id),
    token_hash TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used  TEXT,
    read_only  BOOLEAN NOT NULL DEFAULT FALSE,
    expires_at TEXT,
    revoked_at TEXT
);
INSERT INTO api_tokens_new (id, user_id, token_hash, name, created_at, last_used)
    SELECT id, user_id, token_hash, name, created_at, last_used FROM api_tokens;

DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
ALTER TABLE sessions_new RENAME TO sessions;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- The audit trail: append-only, hash-chained. audit_head holds the last number and hash; every
-- writer updates it first, which serialises writers so the chain stays linear.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    user_id       INTEGER,
    username      TEXT NOT NULL,
    unit_code     TEXT NOT NULL,
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL,
    object_id     TEXT,
    province_code TEXT,
    commune_code  TEXT,
    changes       TEXT NOT NULL,
    request_id    TEXT,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX audit_log_place ON audit_log(province_code, commune_code, id);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_user ON audit_log(username, id);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    seq       INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_in_order BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT (SELECT seq FROM audit_head WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'audit_log entries are numbered by audit_head'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END;
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq < OLD.seq
BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END;
