-- What the targets' progress reads per province and year (issue 14): the reports received in a
-- year with their outcome, from the index alone. Keep both trees in step.
CREATE INDEX reports_outcome ON reports(place_province_code, received_on, place_commune_code, closed_on_time);
