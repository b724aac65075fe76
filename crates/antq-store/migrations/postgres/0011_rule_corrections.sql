-- Corrections of seeded rules (issue 17); applied migrations are never edited. Keep both trees in step.

-- TT 124/2021/TT-BCA was signed on 28/12/2021 and is in force from 10/02/2022.
UPDATE rule_values SET valid_from = '2022-02-10'
 WHERE created_by = 'seed' AND province_code IS NULL AND valid_from = '2021-12-30'
   AND code IN ('antt_registration', 'antt_window_khu_dan_cu', 'antt_window_other', 'antt_households_pct',
                'antt_commune_registered_pct', 'antt_commune_recognised_pct');
UPDATE criteria_sets SET valid_from = '2022-02-10'
 WHERE id IN (2, 3, 4, 5) AND created_by = 'seed' AND valid_from = '2021-12-30';

-- Working days are counted by the calendar (public holidays and the Government's changes).
UPDATE rule_values SET note = 'Ngày làm việc theo lịch của hệ thống: trừ thứ Bảy, Chủ nhật, các ngày nghỉ lễ, Tết theo Điều 112 Bộ luật Lao động 2019 và các ngày nghỉ bù, hoán đổi do Chính phủ thông báo (trang Lịch làm việc).'
 WHERE created_by = 'seed' AND province_code IS NULL AND code = 'force_dissolve_working_days';

-- The deadline of the level above the commune was the district's (QĐ 510 Điều 11 khoản 3). The district
-- level ended on 30/06/2025: no subject is classified at that level any more, so the value closes there and
-- is kept for the record of the years before.
UPDATE rule_values SET valid_to = '2025-06-30',
       note = 'Hạn phân loại của cấp huyện. Cấp huyện chấm dứt hoạt động từ 01/07/2025 nên giá trị hết hiệu lực ngày 30/06/2025; không còn đối tượng nào được phân loại ở cấp này. Giữ lại để tra cứu quy định của các năm trước; khi có hướng dẫn hạn của cấp tỉnh, tỉnh nhập giá trị mới.'
 WHERE created_by = 'seed' AND province_code IS NULL AND code = 'pt_deadline_cap_tinh' AND valid_to IS NULL;

-- The date of Hướng dẫn 01/HD-BCA-V05 has not been confirmed (late 2025 or 2026): its values apply from a default day.
UPDATE rule_values SET note = 'Ngày bắt đầu áp dụng 01/01/2025 là giá trị mặc định: chưa xác định được ngày ban hành của Hướng dẫn 01/HD-BCA-V05 (cuối năm 2025 hoặc năm 2026); tỉnh nhập ngày đúng khi có văn bản.'
 WHERE created_by = 'seed' AND province_code IS NULL AND valid_from = '2025-01-01' AND note IS NULL
   AND code IN ('force_rating_window', 'force_min_months');
UPDATE rule_values SET note = note || ' Ngày bắt đầu áp dụng 01/01/2025 là giá trị mặc định: chưa xác định được ngày ban hành của Hướng dẫn 01/HD-BCA-V05.'
 WHERE created_by = 'seed' AND province_code IS NULL AND valid_from = '2025-01-01' AND code = 'force_excellent_cap_pct';
