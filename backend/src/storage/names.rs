//! File names as the platform keeps and offers them: cleaned of what could
//! disguise or break them, and written into a safe `Content-Disposition`.

/// Longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// A file name that is safe to store, show and offer for saving: no path
/// separators, control or invisible formatting characters (such as the
/// right-to-left override that disguises `fdp.exe` as `exe.pdf`) or quotes;
/// no leading dots or surrounding white space. `None` when nothing is left.
pub fn safe_file_name(name: &str) -> Option<String> {
    let cleaned: String = name
        .chars()
        .filter(|&c| {
            !(c.is_control()
                || matches!(c, '/' | '\\' | '"')
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}'))
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim_start();
    let cleaned: String = cleaned.chars().take(MAX_NAME_CHARS).collect();
    (!cleaned.is_empty()).then_some(cleaned)
}

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`
/// (RFC 6266), from a name made safe first.
pub fn content_disposition(name: &str) -> String {
    let name = safe_file_name(name).unwrap_or_else(|| "file".into());
    let ascii: String = name
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'Å' | 'Ä' | 'Á' | 'À' => 'A',
            'ö' | 'ó' | 'ø' => 'o',
            'Ö' | 'Ó' | 'Ø' => 'O',
            'é' | 'è' | 'ë' => 'e',
            'É' | 'È' | 'Ë' => 'E',
            'ü' | 'ú' => 'u',
            'Ü' | 'Ú' => 'U',
            c if (c.is_ascii_graphic() || c == ' ') && !matches!(c, '%' | ';' | '\\' | '"') => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        // RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_separators_controls_quotes_and_invisible_overrides() {
        assert_eq!(safe_file_name("../../etc/passwd").as_deref(), Some("etcpasswd"));
        assert_eq!(safe_file_name("a\\b\"c\r\nd\0.pdf").as_deref(), Some("abcd.pdf"));
        assert_eq!(safe_file_name("faktura\u{202e}fdp.exe").as_deref(), Some("fakturafdp.exe"));
        assert_eq!(safe_file_name(" .hidden ").as_deref(), Some("hidden"));
        assert_eq!(safe_file_name("/\\\"\u{0007}"), None);
        assert_eq!(safe_file_name(&"x".repeat(300)).map(|n| n.len()), Some(MAX_NAME_CHARS));
    }

    #[test]
    fn the_disposition_has_an_ascii_fallback_and_the_utf8_name() {
        assert_eq!(
            content_disposition("Beslut åäö \"x\";.pdf"),
            "attachment; filename=\"Beslut aao x_.pdf\"; filename*=UTF-8''Beslut%20%C3%A5%C3%A4%C3%B6%20x%3B.pdf"
        );
        assert_eq!(
            content_disposition("日本.pdf"),
            "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf"
        );
    }
}
