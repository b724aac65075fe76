//! Attachments sent by citizens: the type is read from the content, never from the name, and
//! images lose every metadata block (EXIF with its GPS position and camera serial, XMP,
//! IPTC, comments, text chunks, appended thumbnails) before anything is stored. The pixels
//! are copied byte for byte; nothing is decoded.

/// What an attachment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    /// PDF document.
    Pdf,
    /// JPEG image.
    Jpeg,
    /// PNG image.
    Png,
    /// WebP image.
    Webp,
}

impl Media {
    /// The type of `bytes`, by their first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Media> {
        match bytes {
            [b'%', b'P', b'D', b'F', b'-', ..] => Some(Media::Pdf),
            [0xFF, 0xD8, 0xFF, ..] => Some(Media::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Media::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(Media::Webp),
            _ => None,
        }
    }

    /// The content type.
    pub fn content_type(self) -> &'static str {
        match self {
            Media::Pdf => "application/pdf",
            Media::Jpeg => "image/jpeg",
            Media::Png => "image/png",
            Media::Webp => "image/webp",
        }
    }
}

const BROKEN: &str = "Ảnh bị hỏng hoặc không đúng định dạng.";

/// The file without its metadata (PDFs are returned as they are).
pub fn strip_metadata(media: Media, bytes: &[u8]) -> Result<Vec<u8>, String> {
    match media {
        Media::Pdf => Ok(bytes.to_vec()),
        Media::Jpeg => strip_jpeg(bytes).ok_or_else(|| BROKEN.to_string()),
        Media::Png => strip_png(bytes).ok_or_else(|| BROKEN.to_string()),
        Media::Webp => strip_webp(bytes).ok_or_else(|| BROKEN.to_string()),
    }
}

/// JPEG segments that carry pixels or colour (kept): APP0 (JFIF), APP2 only as an ICC
/// profile, APP14 (Adobe colour transform) and every non-APP marker except COM.
fn keep_jpeg_segment(marker: u8, data: &[u8]) -> bool {
    match marker {
        0xE0 | 0xEE => true,
        0xE2 => data.starts_with(b"ICC_PROFILE\0"),
        0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
        _ => true,
    }
}

fn strip_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..2]);
    let mut i = 2;
    let mut in_scan = false;
    loop {
        if in_scan {
            // Entropy-coded data: copy up to the next marker (0xFF not followed by a stuffed 0
            // or a restart marker).
            let start = i;
            let mut j = i;
            loop {
                let at = j + b.get(j..)?.iter().position(|&x| x == 0xFF)?;
                let next = *b.get(at + 1)?;
                if next == 0x00 || (0xD0..=0xD7).contains(&next) {
                    j = at + 2;
                    continue;
                }
                out.extend_from_slice(&b[start..at]);
                i = at;
                break;
            }
        }
        if *b.get(i)? != 0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        match marker {
            0xFF => {
                i += 1;
                continue;
            }
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                // Anything after the end of the image (appended thumbnails, depth maps) goes.
                return Some(out);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&b[i..i + 2]);
                i += 2;
                continue;
            }
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
        if len < 2 {
            return None;
        }
        let end = i + 2 + len;
        let data = b.get(i + 4..end)?;
        if keep_jpeg_segment(marker, data) {
            out.extend_from_slice(&b[i..end]);
        }
        in_scan = marker == 0xDA;
        i = end;
    }
}

fn strip_png(b: &[u8]) -> Option<Vec<u8>> {
    let mut out = b.get(..8)?.to_vec();
    let mut i = 8;
    loop {
        let len = u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind = b.get(i + 4..i + 8)?;
        let end = i.checked_add(12)?.checked_add(len)?;
        let chunk = b.get(i..end)?;
        let metadata = matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME");
        if !metadata {
            out.extend_from_slice(chunk);
        }
        if kind == b"IEND" {
            return Some(out);
        }
        i = end;
    }
}

fn strip_webp(b: &[u8]) -> Option<Vec<u8>> {
    let size = u32::from_le_bytes(b.get(4..8)?.try_into().ok()?) as usize;
    let body = b.get(12..size.checked_add(8)?)?;
    let mut chunks = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let kind = body.get(i..i + 4)?;
        let len = u32::from_le_bytes(body.get(i + 4..i + 8)?.try_into().ok()?) as usize;
        let end = (i + 8).checked_add(len + len % 2)?.min(body.len());
        let chunk = body.get(i..end)?;
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let mut c = chunk.to_vec();
                // Flags: bit 3 EXIF, bit 2 XMP.
                *c.get_mut(8)? &= !0b0000_1100;
                chunks.extend_from_slice(&c);
            }
            _ => chunks.extend_from_slice(chunk),
        }
        i = end;
    }
    let mut out = Vec::with_capacity(chunks.len() + 12);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&u32::try_from(chunks.len() + 4).ok()?.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&chunks);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(data);
        s
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn jpeg_loses_exif_xmp_comments_and_trailers() {
        let mut j = vec![0xFF, 0xD8];
        j.extend(segment(0xE0, b"JFIF\0\x01\x01"));
        j.extend(segment(0xE1, b"Exif\0\0GPS 21.0285N 105.8542E Canon SN 12345"));
        j.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>author</x:xmpmeta>"));
        j.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01colour"));
        j.extend(segment(0xE2, b"MPF\0secondimage"));
        j.extend(segment(0xFE, b"chup tai nha ong A"));
        j.extend(segment(0xDB, &[0; 65]));
        j.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        j.extend([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        // A second scan (progressive), then the end, then an appended thumbnail with EXIF.
        j.extend(segment(0xC4, &[0; 20]));
        j.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        j.extend([0x78, 0x9A]);
        j.extend([0xFF, 0xD9]);
        j.extend([0xFF, 0xD8]);
        j.extend(segment(0xE1, b"Exif\0\0thumbnail GPS"));
        assert_eq!(Media::sniff(&j), Some(Media::Jpeg));
        let s = strip_metadata(Media::Jpeg, &j).unwrap();
        for gone in [&b"GPS"[..], b"xmpmeta", b"MPF", b"ong A", b"Exif"] {
            assert!(!contains(&s, gone), "{}", String::from_utf8_lossy(gone));
        }
        for kept in
            [&b"JFIF"[..], b"ICC_PROFILE", &[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56], &[0x78, 0x9A, 0xFF, 0xD9]]
        {
            assert!(contains(&s, kept));
        }
        assert!(s.ends_with(&[0xFF, 0xD9]));
        assert!(strip_metadata(Media::Jpeg, &j[..40]).is_err(), "truncated");
    }

    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0, 0, 0, 0]);
        c
    }

    #[test]
    fn png_loses_text_and_exif_chunks() {
        let mut p = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        p.extend(chunk(b"IHDR", &[0; 13]));
        p.extend(chunk(b"tEXt", b"Author\0Nguyen Van A"));
        p.extend(chunk(b"eXIf", b"MM\0*GPS"));
        p.extend(chunk(b"IDAT", b"pixels"));
        p.extend(chunk(b"IEND", b""));
        p.extend(b"trailing");
        let s = strip_metadata(Media::Png, &p).unwrap();
        assert!(!contains(&s, b"Nguyen") && !contains(&s, b"GPS") && !contains(&s, b"trailing"));
        assert!(contains(&s, b"pixels") && s.ends_with(&[b'I', b'E', b'N', b'D', 0, 0, 0, 0]));
        assert!(strip_metadata(Media::Png, &p[..20]).is_err());
    }

    #[test]
    fn webp_loses_exif_and_xmp_and_their_flags() {
        let riff_chunk = |kind: &[u8], data: &[u8]| {
            let mut c = kind.to_vec();
            c.extend_from_slice(&(data.len() as u32).to_le_bytes());
            c.extend_from_slice(data);
            if data.len() % 2 == 1 {
                c.push(0);
            }
            c
        };
        let mut body = b"WEBP".to_vec();
        body.extend(riff_chunk(b"VP8X", &[0b0000_1100, 0, 0, 0, 9, 0, 0, 9, 0, 0]));
        body.extend(riff_chunk(b"VP8 ", b"pixel"));
        body.extend(riff_chunk(b"EXIF", b"GPS here"));
        body.extend(riff_chunk(b"XMP ", b"<xmp/>"));
        let mut w = b"RIFF".to_vec();
        w.extend((body.len() as u32).to_le_bytes());
        w.extend(body);
        assert_eq!(Media::sniff(&w), Some(Media::Webp));
        let s = strip_metadata(Media::Webp, &w).unwrap();
        assert!(!contains(&s, b"GPS") && !contains(&s, b"xmp") && contains(&s, b"pixel"));
        assert_eq!(s[20], 0, "flags cleared");
        assert_eq!(u32::from_le_bytes(s[4..8].try_into().unwrap()) as usize, s.len() - 8);
    }

    #[test]
    fn pdfs_pass_and_others_are_unknown() {
        assert_eq!(Media::sniff(b"%PDF-1.7"), Some(Media::Pdf));
        assert_eq!(strip_metadata(Media::Pdf, b"%PDF-1.7 x").unwrap(), b"%PDF-1.7 x");
        assert_eq!(Media::sniff(b"<html>"), None);
        assert_eq!(Media::sniff(b"GIF89a"), None);
    }
}
