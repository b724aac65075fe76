//! What a report is, where it came from, and where it is in its handling (legal-rules §9.3 and
//! §9.4 E): types, channels, categories, the states and the steps between them.

use crate::labelled_enum;

labelled_enum!(
    /// The type of a crime information source (BLTTHS 2015 Điều 144, and the duty-desk types).
    ReportKind {
        ToGiac = "to_giac", "Tố giác về tội phạm";
        TinBao = "tin_bao", "Tin báo về tội phạm";
        KienNghiKhoiTo = "kien_nghi_khoi_to", "Kiến nghị khởi tố";
        TuThu = "tu_thu", "Tự thú";
        DauThu = "dau_thu", "Đầu thú";
        PhamToiQuaTang = "pham_toi_qua_tang", "Bắt người phạm tội quả tang";
        PhanAnhAntt = "phan_anh_antt", "Phản ánh về ANTT (không có dấu hiệu tội phạm)";
    }
);

impl ReportKind {
    /// The types a citizen may choose on the public form.
    pub const PUBLIC: &'static [ReportKind] = &[ReportKind::ToGiac, ReportKind::TinBao, ReportKind::PhanAnhAntt];
}

labelled_enum!(
    /// How a report reached the police.
    Channel {
        CongKhai = "cong_khai", "Biểu mẫu trực tuyến (antq)";
        TrucTiep = "truc_tiep", "Trực tiếp (bằng lời hoặc văn bản)";
        VanBan = "van_ban", "Văn bản, bưu chính";
        DienThoai = "dien_thoai", "Điện thoại (113, đường dây nóng)";
        Vneid = "vneid", "Ứng dụng VNeID";
        ThuDienTu = "thu_dien_tu", "Cổng thông tin, thư điện tử";
        HomThu = "hom_thu", "Hòm thư tố giác";
        BaoChi = "bao_chi", "Báo chí, phương tiện thông tin đại chúng";
        ToBaoVe = "to_bao_ve", "Tổ bảo vệ ANTT chuyển đến";
        CoQuanKhac = "co_quan_khac", "Cơ quan khác chuyển đến";
        TaiHoatDong = "tai_hoat_dong", "Tại hội nghị, buổi tuyên truyền, hoạt động phong trào";
    }
);

impl Channel {
    /// The channels an officer records at intake (the web form is the citizens' own).
    pub const OFFICER: &'static [Channel] = &[
        Channel::TrucTiep,
        Channel::VanBan,
        Channel::DienThoai,
        Channel::Vneid,
        Channel::ThuDienTu,
        Channel::HomThu,
        Channel::BaoChi,
        Channel::ToBaoVe,
        Channel::CoQuanKhac,
        Channel::TaiHoatDong,
    ];
}

labelled_enum!(
    /// What the report is about, as a citizen would put it.
    Category {
        MaTuy = "ma_tuy", "Ma túy";
        TromCuop = "trom_cuop", "Trộm cắp, cướp, cưỡng đoạt tài sản";
        LuaDao = "lua_dao", "Lừa đảo, chiếm đoạt tài sản (kể cả qua mạng)";
        CoBac = "co_bac", "Cờ bạc, cá độ";
        VuKhi = "vu_khi", "Vũ khí, vật liệu nổ, pháo";
        TinhMang = "tinh_mang", "Giết người, cố ý gây thương tích";
        TreEm = "tre_em", "Xâm hại trẻ em, bạo lực gia đình";
        MuaBanNguoi = "mua_ban_nguoi", "Mua bán người";
        BuonLau = "buon_lau", "Buôn lậu, hàng cấm, hàng giả";
        MoiTruong = "moi_truong", "Môi trường, tài nguyên";
        ThamNhung = "tham_nhung", "Tham nhũng, chức vụ";
        TratTu = "trat_tu", "Gây rối trật tự công cộng";
        Khac = "khac", "Khác";
    }
);

labelled_enum!(
    /// Where a report is in its handling (legal-rules §9.4 E).
    ReportState {
        DaTiepNhan = "da_tiep_nhan", "Đã tiếp nhận";
        XacMinhSoBo = "xac_minh_so_bo", "Đang kiểm tra, xác minh sơ bộ";
        DangGiaiQuyet = "dang_giai_quyet", "Đang giải quyết";
        TamDinhChi = "tam_dinh_chi", "Tạm đình chỉ giải quyết";
        KhoiTo = "khoi_to", "Đã quyết định khởi tố vụ án hình sự";
        KhongKhoiTo = "khong_khoi_to", "Đã quyết định không khởi tố vụ án hình sự";
        ChuyenThamQuyen = "chuyen_tham_quyen", "Đã chuyển cơ quan có thẩm quyền";
        KhongPhaiNguonTin = "khong_phai_nguon_tin", "Không phải nguồn tin về tội phạm";
    }
);

labelled_enum!(
    /// A step an officer takes on a report.
    ReportAction {
        Verify = "verify", "Kiểm tra, xác minh sơ bộ";
        Accept = "accept", "Thụ lý giải quyết";
        Transfer = "transfer", "Chuyển đơn vị";
        Extend = "extend", "Gia hạn thời hạn giải quyết";
        ExtendProcuracy = "extend_procuracy", "Viện kiểm sát gia hạn";
        Suspend = "suspend", "Tạm đình chỉ giải quyết";
        Resume = "resume", "Phục hồi giải quyết";
        Prosecute = "prosecute", "Quyết định khởi tố vụ án hình sự";
        Decline = "decline", "Quyết định không khởi tố vụ án hình sự";
        Refer = "refer", "Chuyển cơ quan có thẩm quyền khác";
        NotCrime = "not_crime", "Kết luận không phải nguồn tin về tội phạm";
        NotifyReporter = "notify_reporter", "Thông báo kết quả cho người báo tin";
    }
);

labelled_enum!(
    /// Why the resolution is suspended (BLTTHS 2015 Điều 148 khoản 1).
    SuspendGround {
        GiamDinh = "giam_dinh", "Đã trưng cầu giám định, yêu cầu định giá tài sản hoặc tương trợ tư pháp nhưng chưa có kết quả";
        TaiLieu = "tai_lieu", "Đã yêu cầu cung cấp tài liệu, đồ vật quan trọng nhưng chưa có kết quả";
        Khac = "khac", "Căn cứ khác theo Điều 148 (ghi rõ)";
    }
);

labelled_enum!(
    /// What the citizen sees of the state: plain words, no internal detail.
    PublicStatus {
        DaTiepNhan = "da_tiep_nhan", "Đã tiếp nhận, đang được kiểm tra";
        DangGiaiQuyet = "dang_giai_quyet", "Đang được xác minh, giải quyết";
        TamDung = "tam_dung", "Tạm dừng giải quyết (chờ kết quả giám định hoặc tài liệu cần thiết)";
        CoKetQua = "co_ket_qua", "Đã có kết quả giải quyết";
        DaChuyen = "da_chuyen", "Đã chuyển đến cơ quan có thẩm quyền giải quyết";
        KhongPhaiToiPham = "khong_phai_toi_pham", "Đã xem xét: không có dấu hiệu tội phạm, được xử lý theo quy định khác";
    }
);

labelled_enum!(
    /// Who wrote a message of the citizen dialogue.
    MessageAuthor {
        Citizen = "citizen", "Người báo tin";
        Officer = "officer", "Cơ quan Công an";
        System = "system", "Thông báo tự động";
    }
);

impl ReportState {
    /// Still being handled (in a unit's queue).
    pub fn is_open(self) -> bool {
        !self.is_closed()
    }

    /// Handling has ended with an outcome.
    pub fn is_closed(self) -> bool {
        use ReportState::*;
        matches!(self, KhoiTo | KhongKhoiTo | ChuyenThamQuyen | KhongPhaiNguonTin)
    }

    /// Waiting for the unit to transfer or take it on (the 24 h / 48 h clock at a commune).
    pub fn is_intake(self) -> bool {
        matches!(self, ReportState::DaTiepNhan | ReportState::XacMinhSoBo)
    }

    /// The words the citizen sees.
    pub fn public_status(self) -> PublicStatus {
        use ReportState::*;
        match self {
            DaTiepNhan | XacMinhSoBo => PublicStatus::DaTiepNhan,
            DangGiaiQuyet => PublicStatus::DangGiaiQuyet,
            TamDinhChi => PublicStatus::TamDung,
            KhoiTo | KhongKhoiTo => PublicStatus::CoKetQua,
            ChuyenThamQuyen => PublicStatus::DaChuyen,
            KhongPhaiNguonTin => PublicStatus::KhongPhaiToiPham,
        }
    }

    /// The state after `action`, or why it is not allowed. The reporter-notification step
    /// keeps the state (it is a record, not a move).
    pub fn apply(self, action: ReportAction) -> Result<ReportState, String> {
        use ReportAction as A;
        use ReportState::*;
        let to = match (self, action) {
            (DaTiepNhan, A::Verify) => Some(XacMinhSoBo),
            (DaTiepNhan | XacMinhSoBo, A::Accept) => Some(DangGiaiQuyet),
            (DaTiepNhan | XacMinhSoBo | DangGiaiQuyet, A::Transfer) => Some(DaTiepNhan),
            (DangGiaiQuyet, A::Extend | A::ExtendProcuracy) => Some(DangGiaiQuyet),
            (DangGiaiQuyet, A::Suspend) => Some(TamDinhChi),
            (TamDinhChi, A::Resume) => Some(DangGiaiQuyet),
            (DangGiaiQuyet, A::Prosecute) => Some(KhoiTo),
            (DangGiaiQuyet, A::Decline) => Some(KhongKhoiTo),
            (DaTiepNhan | XacMinhSoBo | DangGiaiQuyet | TamDinhChi, A::Refer) => Some(ChuyenThamQuyen),
            (DaTiepNhan | XacMinhSoBo | DangGiaiQuyet, A::NotCrime) => Some(KhongPhaiNguonTin),
            (s, A::NotifyReporter) if s.is_closed() || s == TamDinhChi => Some(s),
            _ => None,
        };
        to.ok_or_else(|| {
            format!("Không thể «{}» khi tin đang ở trạng thái «{}».", action.label().to_lowercase(), self.label())
        })
    }

    /// The steps allowed from this state, in display order.
    pub fn allowed_actions(self) -> Vec<ReportAction> {
        ReportAction::ALL.iter().copied().filter(|a| self.apply(*a).is_ok()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReportAction as A;
    use ReportState as S;

    /// The whole table: every (state, step) pair is either listed here with its result or refused.
    #[test]
    fn every_transition_allowed_and_forbidden() {
        let allowed: &[(S, A, S)] = &[
            (S::DaTiepNhan, A::Verify, S::XacMinhSoBo),
            (S::DaTiepNhan, A::Accept, S::DangGiaiQuyet),
            (S::XacMinhSoBo, A::Accept, S::DangGiaiQuyet),
            (S::DaTiepNhan, A::Transfer, S::DaTiepNhan),
            (S::XacMinhSoBo, A::Transfer, S::DaTiepNhan),
            (S::DangGiaiQuyet, A::Transfer, S::DaTiepNhan),
            (S::DangGiaiQuyet, A::Extend, S::DangGiaiQuyet),
            (S::DangGiaiQuyet, A::ExtendProcuracy, S::DangGiaiQuyet),
            (S::DangGiaiQuyet, A::Suspend, S::TamDinhChi),
            (S::TamDinhChi, A::Resume, S::DangGiaiQuyet),
            (S::DangGiaiQuyet, A::Prosecute, S::KhoiTo),
            (S::DangGiaiQuyet, A::Decline, S::KhongKhoiTo),
            (S::DaTiepNhan, A::Refer, S::ChuyenThamQuyen),
            (S::XacMinhSoBo, A::Refer, S::ChuyenThamQuyen),
            (S::DangGiaiQuyet, A::Refer, S::ChuyenThamQuyen),
            (S::TamDinhChi, A::Refer, S::ChuyenThamQuyen),
            (S::DaTiepNhan, A::NotCrime, S::KhongPhaiNguonTin),
            (S::XacMinhSoBo, A::NotCrime, S::KhongPhaiNguonTin),
            (S::DangGiaiQuyet, A::NotCrime, S::KhongPhaiNguonTin),
            (S::TamDinhChi, A::NotifyReporter, S::TamDinhChi),
            (S::KhoiTo, A::NotifyReporter, S::KhoiTo),
            (S::KhongKhoiTo, A::NotifyReporter, S::KhongKhoiTo),
            (S::ChuyenThamQuyen, A::NotifyReporter, S::ChuyenThamQuyen),
            (S::KhongPhaiNguonTin, A::NotifyReporter, S::KhongPhaiNguonTin),
        ];
        let mut checked = 0;
        for from in S::ALL {
            for action in A::ALL {
                let expected = allowed.iter().find(|(f, a, _)| f == from && a == action).map(|(_, _, t)| *t);
                match (from.apply(*action), expected) {
                    (Ok(to), Some(t)) => assert_eq!(to, t, "{from:?} --{action:?}"),
                    (Err(m), None) => {
                        assert!(m.contains(from.label()), "{m}");
                        checked += 1;
                    }
                    (got, want) => panic!("{from:?} --{action:?}: got {got:?}, want {want:?}"),
                }
            }
        }
        assert_eq!(checked + allowed.len(), S::ALL.len() * A::ALL.len());
        // Closed reports only take the notification record.
        for s in S::ALL.iter().filter(|s| s.is_closed()) {
            assert_eq!(s.allowed_actions(), vec![A::NotifyReporter], "{s:?}");
        }
    }

    #[test]
    fn citizens_see_plain_words() {
        assert_eq!(S::XacMinhSoBo.public_status(), PublicStatus::DaTiepNhan);
        assert_eq!(S::KhoiTo.public_status(), S::KhongKhoiTo.public_status());
        assert!(S::ALL.iter().all(|s| s.is_open() != s.is_closed()));
        assert!(S::DaTiepNhan.is_intake() && !S::DangGiaiQuyet.is_intake());
    }
}
