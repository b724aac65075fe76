-- The national model-type taxonomy (PRODUCT.md C2; HD 22/HD-BCA-V05). Provinces add their own.
INSERT INTO model_types (code, name, description, legal_basis, province_code, active, sort_order) VALUES
 ('phong_chong_toi_pham', 'Phòng, chống tội phạm và tệ nạn xã hội', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 10),
 ('phong_chong_ma_tuy', 'Phòng, chống ma túy', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 20),
 ('tai_hoa_nhap_cong_dong', 'Tái hòa nhập cộng đồng', 'Giúp đỡ người chấp hành xong án phạt tù', 'HD 22/HD-BCA-V05', NULL, TRUE, 30),
 ('trat_tu_atgt', 'Trật tự an toàn giao thông', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 40),
 ('tu_quan_dong_ho', 'Tự quản trong dòng họ', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 50),
 ('tu_quan_ton_giao', 'Tự quản trong tôn giáo', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 60),
 ('phong_chay_chua_chay', 'Phòng cháy, chữa cháy', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 70),
 ('camera_giam_sat', 'Camera giám sát ANTT', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 80),
 ('to_an_ninh_nhan_dan', 'Tổ an ninh nhân dân, tổ tự quản', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 90),
 ('hoa_giai_co_so', 'Tổ hòa giải ở cơ sở', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 100),
 ('cum_lien_ket_antt', 'Cụm liên kết ANTT', 'Liên kết bảo đảm ANTT giữa các địa bàn, đơn vị', 'HD 22/HD-BCA-V05', NULL, TRUE, 110),
 ('cau_lac_bo', 'Câu lạc bộ', 'Câu lạc bộ pháp luật, câu lạc bộ ANTT', 'HD 22/HD-BCA-V05', NULL, TRUE, 120),
 ('ho_gia_dinh_1_2', 'Hộ gia đình "1+2", "1+3"', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 130),
 ('gan_phat_trien_kt_vh_xh', 'Gắn với phát triển kinh tế – văn hóa – xã hội', NULL, 'HD 22/HD-BCA-V05', NULL, TRUE, 140);
