//! Case references. A new one is `PREFIX-YEAR-XXXX-XXXC`, e.g.
//! `HBG-2026-7KQ4-MX9C`: seven random characters (35 bits, so that nobody can
//! guess or walk through other people's references) and a check character,
//! in Crockford's base 32 (digits and capital letters without I, L, O and U,
//! which are easily misread), in two groups of four to read out on the phone.
//! The check character (Luhn mod 32) catches every mistyped character and
//! every swap of two neighbours but one (`0` and `Z`, as Luhn's 0 and 9).
//! References of the older, numbered form (`HBG-2026-000123`) stay valid:
//! they are looked up as they are.

/// Crockford's base-32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new reference from seven random bytes (each picks one character).
pub fn from_random(prefix: &str, year: i32, random: [u8; 7]) -> String {
    let mut code: Vec<u8> = random.iter().map(|b| ALPHABET[usize::from(b % 32)]).collect();
    code.push(check_character(&code));
    let code = String::from_utf8_lossy(&code).into_owned();
    format!("{prefix}-{year}-{}-{}", &code[..4], &code[4..])
}

/// Whether `reference` is of the new form with a right check character
/// (letters in any case; `-` between the groups may be left out).
pub fn has_valid_check(reference: &str) -> bool {
    let Some((_, code)) = reference.split_once('-').and_then(|(_, rest)| rest.split_once('-')) else {
        return false;
    };
    let code: Vec<u8> = code.bytes().filter(|b| *b != b'-').map(|b| b.to_ascii_uppercase()).collect();
    code.len() == 8 && code.iter().all(|b| ALPHABET.contains(b)) && check_character(&code[..7]) == code[7]
}

/// The Luhn mod 32 check character of `code`.
fn check_character(code: &[u8]) -> u8 {
    let value = |c: &u8| ALPHABET.iter().position(|a| a == c).unwrap_or(0);
    let mut sum = 0;
    for (i, c) in code.iter().rev().enumerate() {
        let addend = value(c) * if i % 2 == 0 { 2 } else { 1 };
        sum += addend / 32 + addend % 32;
    }
    ALPHABET[(32 - sum % 32) % 32]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_new_reference_is_short_grouped_and_checks_out() {
        let r = from_random("HBG", 2026, [1, 2, 3, 40, 50, 60, 255]);
        assert_eq!(r.len(), "HBG-2026-7KQ4-MX9C".len());
        assert!(r.starts_with("HBG-2026-"));
        assert!(has_valid_check(&r), "{r}");
        assert!(has_valid_check(&r.to_lowercase()), "letters in any case");
        assert!(!has_valid_check("HBG-2026-000123"), "the numbered form has no check character");
    }

    #[test]
    fn every_single_mistyped_character_and_every_swap_of_neighbours_but_0_and_z_is_caught() {
        for random in [[9, 200, 31, 77, 140, 3, 18], [0, 31, 1, 30, 2, 29, 16], [5, 5, 6, 250, 123, 64, 97]] {
            let r = from_random("HBG", 2026, random);
            let code: Vec<u8> = r[9..].bytes().filter(|b| *b != b'-').collect();
            for i in 0..8 {
                for &c in ALPHABET {
                    if c != code[i] {
                        let mut typo = code.clone();
                        typo[i] = c;
                        let typo = String::from_utf8(typo).unwrap();
                        assert!(!has_valid_check(&format!("HBG-2026-{typo}")), "{typo}");
                    }
                }
            }
            for i in 0..7 {
                let pair = [code[i], code[i + 1]];
                if code[i] != code[i + 1] && pair != *b"0Z" && pair != *b"Z0" {
                    let mut swapped = code.clone();
                    swapped.swap(i, i + 1);
                    let swapped = String::from_utf8(swapped).unwrap();
                    assert!(!has_valid_check(&format!("HBG-2026-{swapped}")), "{swapped}");
                }
            }
        }
    }
}
