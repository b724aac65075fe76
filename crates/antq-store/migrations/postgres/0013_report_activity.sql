-- Crime reports and tips received at a movement activity (issue 13): the channel "tại hội nghị,
-- buổi tuyên truyền" and the activity they came from. Keep both trees in step.
ALTER TABLE reports DROP CONSTRAINT reports_channel_check;
ALTER TABLE reports ADD CONSTRAINT reports_channel_check CHECK (channel IN ('cong_khai', 'truc_tiep', 'van_ban', 'dien_thoai', 'vneid', 'thu_dien_tu', 'hom_thu', 'bao_chi', 'to_bao_ve', 'co_quan_khac', 'tai_hoat_dong'));
ALTER TABLE reports ADD COLUMN activity_id BIGINT REFERENCES activities(id);
CREATE INDEX reports_activity ON reports(activity_id) WHERE activity_id IS NOT NULL;
