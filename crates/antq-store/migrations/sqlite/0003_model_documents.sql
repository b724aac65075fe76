-- Documents of a model (plans, decisions, reports), optionally with the file itself.
CREATE TABLE model_documents (
    id            INTEGER PRIMARY KEY,
    model_id      INTEGER NOT NULL REFERENCES models(id),
    province_code TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT REFERENCES units(code),
    title         TEXT NOT NULL,
    doc_no        TEXT,
    issued_on     TEXT,
    file_name     TEXT,
    content_type  TEXT,
    size          INTEGER NOT NULL DEFAULT 0,
    content       BLOB,
    created_at    TEXT NOT NULL
);
CREATE INDEX model_documents_model ON model_documents(model_id);
