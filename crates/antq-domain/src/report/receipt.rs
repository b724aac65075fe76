//! The citizen's receipt: a public code (the reference of the report) and a secret shown
//! once. Both are written in Crockford base 32 (no I, L, O, U), grouped for reading aloud;
//! typing them back is forgiving (case, spaces, dashes, O for 0 and I or L for 1).

/// Crockford base-32 digits.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Prefix of every code ("tố giác").
const PREFIX: &str = "TG";
/// Characters of the code after its prefix: 50 random bits.
const CODE_CHARS: usize = 10;
/// Characters of the secret: 125 random bits.
const SECRET_CHARS: usize = 25;

fn encode(mut bits: u128, n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    for c in out.iter_mut().rev() {
        *c = ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    out
}

fn group(chars: &[u8], size: usize) -> String {
    chars.chunks(size).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// A code from random bits: `TG-XXXXX-XXXXX`.
pub fn code_from(random: u64) -> String {
    format!("{PREFIX}-{}", group(&encode(u128::from(random), CODE_CHARS), 5))
}

/// A secret from random bytes: five groups of five characters.
pub fn secret_from(random: [u8; 16]) -> String {
    group(&encode(u128::from_be_bytes(random), SECRET_CHARS), 5)
}

/// The characters as typed, upper-cased, without separators, with look-alikes mapped.
fn canonical_chars(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '_' | '.' | '\t' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c as u8);
    }
    Some(out)
}

/// A typed code in its stored form, or `None` when it cannot be one.
pub fn parse_code(s: &str) -> Option<String> {
    let t = s.trim();
    let rest = t.get(..2).filter(|p| p.eq_ignore_ascii_case(PREFIX)).map(|_| &t[2..])?;
    let chars = canonical_chars(rest)?;
    (chars.len() == CODE_CHARS).then(|| format!("{PREFIX}-{}", group(&chars, 5)))
}

/// A typed secret in its canonical form, or `None` when it cannot be one.
pub fn parse_secret(s: &str) -> Option<String> {
    let chars = canonical_chars(s)?;
    (chars.len() == SECRET_CHARS).then(|| group(&chars, 5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_secrets_round_trip_as_typed() {
        let code = code_from(0x3_FFFF_FFFF_FFFF);
        assert_eq!(code.len(), 14);
        assert!(code.starts_with("TG-"));
        assert_eq!(parse_code(&code.to_lowercase().replace('-', " ")), Some(code.clone()));
        let secret = secret_from([0xA5; 16]);
        assert_eq!(secret.len(), 29);
        assert_eq!(parse_secret(&secret.to_lowercase()), Some(secret.clone()));
        assert_eq!(parse_code("tg-0o1il-23456"), Some("TG-00111-23456".into()), "look-alikes");
        assert_eq!(parse_code("XX-12345-67890"), None);
        assert_eq!(parse_code("TG-1234"), None);
        assert_eq!(parse_secret("ABCDE-UUUUU-ABCDE-ABCDE-ABCDE"), None, "U is not a digit");
        assert_eq!(parse_secret("Ư"), None);
        assert_ne!(secret_from([1; 16]), secret_from([2; 16]));
    }
}
