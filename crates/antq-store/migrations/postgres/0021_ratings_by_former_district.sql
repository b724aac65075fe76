-- Approved ratings grouped by former district and year (or rating) in index order: the pivot of
-- "ratings as they were" (issue 16) groups by the raw columns, so this index answers it without
-- a sort. Keep both trees in step.
CREATE INDEX model_ratings_former_district ON model_ratings(approved, former_district_code, year, rating);
