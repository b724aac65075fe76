-- Where a record was as recorded, in the map that ended on 30 June 2025 (issue 16): its
-- former province, district and commune, kept beside the current place the record carries
-- (province_code, commune_code: restated through the succession). NULL: recorded in the
-- current map. Every register a pivot reads has them; a crime report has them for its place.
-- Keep both trees in step.
ALTER TABLE models ADD COLUMN former_province_code TEXT;
ALTER TABLE models ADD COLUMN former_district_code TEXT;
ALTER TABLE models ADD COLUMN former_commune_code TEXT;
ALTER TABLE model_ratings ADD COLUMN former_province_code TEXT;
ALTER TABLE model_ratings ADD COLUMN former_district_code TEXT;
ALTER TABLE model_ratings ADD COLUMN former_commune_code TEXT;
ALTER TABLE antt_records ADD COLUMN former_province_code TEXT;
ALTER TABLE antt_records ADD COLUMN former_district_code TEXT;
ALTER TABLE antt_records ADD COLUMN former_commune_code TEXT;
ALTER TABLE force_teams ADD COLUMN former_province_code TEXT;
ALTER TABLE force_teams ADD COLUMN former_district_code TEXT;
ALTER TABLE force_teams ADD COLUMN former_commune_code TEXT;
ALTER TABLE force_members ADD COLUMN former_province_code TEXT;
ALTER TABLE force_members ADD COLUMN former_district_code TEXT;
ALTER TABLE force_members ADD COLUMN former_commune_code TEXT;
ALTER TABLE activities ADD COLUMN former_province_code TEXT;
ALTER TABLE activities ADD COLUMN former_district_code TEXT;
ALTER TABLE activities ADD COLUMN former_commune_code TEXT;
ALTER TABLE commendations ADD COLUMN former_province_code TEXT;
ALTER TABLE commendations ADD COLUMN former_district_code TEXT;
ALTER TABLE commendations ADD COLUMN former_commune_code TEXT;
ALTER TABLE cameras ADD COLUMN former_province_code TEXT;
ALTER TABLE cameras ADD COLUMN former_district_code TEXT;
ALTER TABLE cameras ADD COLUMN former_commune_code TEXT;
ALTER TABLE reports ADD COLUMN place_former_province_code TEXT;
ALTER TABLE reports ADD COLUMN place_former_district_code TEXT;
ALTER TABLE reports ADD COLUMN place_former_commune_code TEXT;
-- "Ratings of 2022 by district as they were" from the index alone.
CREATE INDEX model_ratings_former ON model_ratings(year, approved, former_province_code, former_district_code, former_commune_code, rating);
CREATE INDEX models_former ON models(former_province_code, former_district_code, former_commune_code);
