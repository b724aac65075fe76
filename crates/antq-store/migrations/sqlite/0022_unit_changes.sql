-- A later change of the administrative map (issue 16, docs/next-map-change.md): the table of a
-- resolution, loaded by a national administrator, checked, and applied on its day. Applying
-- ends the current generation, keeps the units it touched in `former_units`, writes the steps
-- into `unit_successions`, and re-keys every register to the successors; each re-keyed row of
-- a pivot register keeps its place of the ending map in `record_places`. Keep both trees in step.
CREATE TABLE unit_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    generation    TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    legal_basis   TEXT NOT NULL,
    effective_on  TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('cho_ap_dung', 'da_ap_dung', 'da_huy')),
    from_generation TEXT,
    file_name     TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    decided_by    TEXT,
    decided_at    TEXT,
    moved_rows    INTEGER
);
CREATE INDEX unit_changes_state ON unit_changes(state, effective_on);

CREATE TABLE unit_change_steps (
    change_id    INTEGER NOT NULL REFERENCES unit_changes(id),
    row_no       INTEGER NOT NULL,
    level        TEXT NOT NULL CHECK (level IN ('province', 'commune')),
    from_code    TEXT NOT NULL,
    to_code      TEXT NOT NULL,
    to_name      TEXT,
    to_kind      TEXT,
    to_province  TEXT,
    relation     TEXT NOT NULL,
    weight_milli INTEGER NOT NULL,
    is_default   BOOLEAN NOT NULL,
    PRIMARY KEY (change_id, row_no)
);

-- Where the records of each unit go (the default successor), written in the transaction that
-- counts or applies the change.
CREATE TABLE unit_change_moves (
    change_id   INTEGER NOT NULL REFERENCES unit_changes(id),
    level       TEXT NOT NULL,
    from_code   TEXT NOT NULL,
    to_code     TEXT NOT NULL,
    to_province TEXT NOT NULL,
    split       BOOLEAN NOT NULL,
    PRIMARY KEY (change_id, level, from_code)
);

-- A record's place in a map after `truoc_2025` (whose places stay in `former_*_code`).
CREATE TABLE record_places (
    register      TEXT NOT NULL,
    record_id     INTEGER NOT NULL,
    generation    TEXT NOT NULL REFERENCES unit_generations(id),
    province_code TEXT NOT NULL,
    commune_code  TEXT,
    PRIMARY KEY (register, record_id, generation)
);
CREATE INDEX record_places_place ON record_places(generation, register, province_code, commune_code);
