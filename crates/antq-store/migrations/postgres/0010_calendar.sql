-- The working-day calendar: changes to the public holidays the law sets (computed by the
-- application), as the Government's yearly notices record them. Keep both trees in step.
CREATE TABLE calendar_days (
    day         DATE PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('nghi', 'lam_viec')),
    name        TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
