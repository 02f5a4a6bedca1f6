//! A file's type from its first bytes (magic numbers), never from its name
//! or the type the client claims. Knows the types the platform accepts for
//! case documents; anything else (executables, archives, unknown binary)
//! is [`FileType::Unknown`].

/// How many leading bytes [`sniff`] looks at.
pub const HEAD_BYTES: usize = 64 * 1024;

/// A recognised file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// PDF.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// GIF image.
    Gif,
    /// WebP image.
    Webp,
    /// Word document (Office Open XML).
    Docx,
    /// Excel workbook (Office Open XML).
    Xlsx,
    /// OpenDocument text.
    Odt,
    /// OpenDocument spreadsheet.
    Ods,
    /// Another ZIP archive (not accepted: it may hold anything).
    Zip,
    /// UTF-8 text without control characters.
    Text,
    /// Anything else: executables, other binaries, an empty file.
    Unknown,
}

impl FileType {
    /// The media type stored and served.
    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Gif => "image/gif",
            FileType::Webp => "image/webp",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileType::Zip => "application/zip",
            FileType::Text => "text/plain; charset=utf-8",
            FileType::Unknown => "application/octet-stream",
        }
    }
}

/// The type of a file whose first bytes are `head`; `complete` says that
/// `head` is the whole file (else a UTF-8 sequence cut at its end is fine).
pub fn sniff(head: &[u8], complete: bool) -> FileType {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if head.is_empty() {
        FileType::Unknown
    } else if starts(b"%PDF-") {
        FileType::Pdf
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        FileType::Png
    } else if starts(b"\xff\xd8\xff") {
        FileType::Jpeg
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        FileType::Gif
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        FileType::Webp
    } else if starts(b"PK\x03\x04") {
        zip_type(head)
    } else if is_text(head, complete) {
        FileType::Text
    } else {
        FileType::Unknown
    }
}

/// An OpenDocument file starts with an uncompressed `mimetype` entry naming
/// its type; an Office Open XML file has entries under `word/` or `xl/`.
/// Entry names are read from the local and central headers within `head`.
fn zip_type(head: &[u8]) -> FileType {
    if head.get(30..38) == Some(b"mimetype") {
        let rest = head.get(38..).unwrap_or_default();
        // `…opendocument.text`, not `…opendocument.text-template` and the like.
        let is = |media_type: &[u8]| rest.strip_prefix(media_type).is_some_and(|after| !after.starts_with(b"-"));
        if is(b"application/vnd.oasis.opendocument.text") {
            return FileType::Odt;
        }
        if is(b"application/vnd.oasis.opendocument.spreadsheet") {
            return FileType::Ods;
        }
    }
    let names = entry_names(head, b"PK\x03\x04", 26, 30).chain(entry_names(head, b"PK\x01\x02", 28, 46));
    let mut found = FileType::Zip;
    for name in names {
        if name.starts_with(b"word/") {
            found = FileType::Docx;
            break;
        }
        if name.starts_with(b"xl/") {
            found = FileType::Xlsx;
            break;
        }
    }
    found
}

/// The names of the ZIP headers with signature `sig` found in `head`: the
/// name's length is a little-endian u16 at `len_at`, the name starts at `name_at`.
fn entry_names<'a>(
    head: &'a [u8],
    sig: &'static [u8],
    len_at: usize,
    name_at: usize,
) -> impl Iterator<Item = &'a [u8]> + 'a {
    head.windows(sig.len()).enumerate().filter(move |(_, w)| *w == sig).filter_map(move |(i, _)| {
        let len = head.get(i + len_at..i + len_at + 2)?;
        let len = usize::from(u16::from_le_bytes([len[0], len[1]]));
        head.get(i + name_at..i + name_at + len)
    })
}

/// UTF-8 (a BOM is fine) without control characters other than tab, line
/// feed, form feed and carriage return.
fn is_text(head: &[u8], complete: bool) -> bool {
    let bytes = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        // A multi-byte character cut by the end of the head is fine (at most 3 bytes of it).
        Err(e) if !complete && e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4 => {
            match std::str::from_utf8(&bytes[..e.valid_up_to()]) {
                Ok(t) => t,
                Err(_) => return false,
            }
        }
        Err(_) => return false,
    };
    !text.is_empty() && !text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for name in names {
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&[0; 12]);
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
        }
        out
    }

    #[test]
    fn magic_numbers_decide_not_names() {
        assert_eq!(sniff(b"%PDF-1.7\n...", true), FileType::Pdf);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", true), FileType::Png);
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF", true), FileType::Jpeg);
        assert_eq!(sniff(b"GIF89a\x01\0", true), FileType::Gif);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 ", true), FileType::Webp);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0", true), FileType::Unknown);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0", true), FileType::Unknown);
        assert_eq!(sniff(b"", true), FileType::Unknown);
    }

    #[test]
    fn zip_based_office_files_are_told_apart_from_other_archives() {
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]), true),
            FileType::Docx
        );
        assert_eq!(sniff(&zip_with(&["[Content_Types].xml", "xl/workbook.xml"]), true), FileType::Xlsx);
        assert_eq!(sniff(&zip_with(&["setup.exe"]), true), FileType::Zip);
        let mut odt = zip_with(&["mimetype"]);
        odt.extend_from_slice(b"application/vnd.oasis.opendocument.textPK\x03\x04");
        assert_eq!(sniff(&odt, true), FileType::Odt);
        let mut template = zip_with(&["mimetype"]);
        template.extend_from_slice(b"application/vnd.oasis.opendocument.text-templatePK");
        assert_eq!(sniff(&template, true), FileType::Zip);
    }

    #[test]
    fn text_is_utf8_without_control_characters() {
        assert_eq!(sniff("Beslut om bygglov\r\n\tÅke Öst\n".as_bytes(), true), FileType::Text);
        assert_eq!(sniff(b"\xef\xbb\xbfhej", true), FileType::Text);
        assert_eq!(sniff(b"abc\0def", true), FileType::Unknown);
        assert_eq!(sniff(b"\xff\xfeh\0", true), FileType::Unknown);
        let cut = &"åäö".as_bytes()[..5];
        assert_eq!(sniff(cut, false), FileType::Text);
        assert_eq!(sniff(cut, true), FileType::Unknown);
    }
}
