-- The crime-report counts of the dashboard and the official report (issue 15) from the index
-- alone: by day for the country, by month for the country's chart of months, by province and
-- day for a province, each with the outcome and the value. They replace the narrower indexes
-- of the same names. Keep both trees in step.
DROP INDEX reports_received;
DROP INDEX reports_outcome;
CREATE INDEX reports_received ON reports(received_on, place_province_code, closed_on_time, valuable);
CREATE INDEX reports_month ON reports(received_month, place_province_code, received_on, closed_on_time, valuable);
CREATE INDEX reports_outcome ON reports(place_province_code, received_on, place_commune_code, received_month, closed_on_time, valuable);
