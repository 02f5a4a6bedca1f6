//! A text of a service or its form written in Swedish, and in English where it has been
//! translated: Swedish is required, English falls back to Swedish.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::validate::Localized;

/// A text in Swedish and, where written, English. On the wire it is a string (Swedish only,
/// as every definition before English texts was written) or `{"sv": …, "en": …}`; it is written
/// back in the same two shapes, so a definition without English reads as it always has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    /// Swedish (required).
    pub sv: String,
    /// English, if translated; Swedish is shown where it is not.
    pub en: Option<String>,
}

impl Text {
    /// A text written in both languages.
    pub fn both(sv: &str, en: &str) -> Text {
        Text { sv: sv.to_owned(), en: Some(en.to_owned()) }
    }

    /// The text in both languages, English falling back to Swedish.
    pub fn localized(&self) -> Localized {
        Localized { sv: self.sv.clone(), en: self.in_english().to_owned() }
    }

    /// Whether the Swedish text is missing (empty or only white space).
    pub fn is_blank(&self) -> bool {
        self.sv.trim().is_empty()
    }

    /// Whether an English text is written (not empty).
    pub fn is_translated(&self) -> bool {
        self.en.as_ref().is_some_and(|e| !e.trim().is_empty())
    }

    /// The text in English where it is translated, else in Swedish.
    pub fn in_english(&self) -> &str {
        self.en.as_deref().filter(|e| !e.trim().is_empty()).unwrap_or(&self.sv)
    }
}

impl From<&str> for Text {
    fn from(sv: &str) -> Self {
        Text { sv: sv.to_owned(), en: None }
    }
}

impl From<String> for Text {
    fn from(sv: String) -> Self {
        Text { sv, en: None }
    }
}

impl std::fmt::Display for Text {
    /// The Swedish text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sv)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        match &self.en {
            None => serializer.serialize_str(&self.sv),
            Some(en) => {
                let mut s = serializer.serialize_struct("Text", 2)?;
                s.serialize_field("sv", &self.sv)?;
                s.serialize_field("en", en)?;
                s.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a text, or an object with the Swedish text `sv` and the English `en`")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::from(v))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let (mut sv, mut en) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "sv" => &mut sv,
                "en" => &mut en,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    continue;
                }
            };
            if slot.is_some() {
                return Err(serde::de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            *slot = map.next_value::<Option<String>>()?;
        }
        let sv = sv.ok_or_else(|| serde::de::Error::missing_field("sv"))?;
        Ok(Text { sv, en })
    }
}

#[cfg(feature = "server")]
mod schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
    use utoipa::openapi::{RefOr, schema};

    use super::Text;

    impl utoipa::PartialSchema for Text {
        fn schema() -> RefOr<Schema> {
            let string = || ObjectBuilder::new().schema_type(SchemaType::new(Type::String));
            schema::Schema::OneOf(
                OneOfBuilder::new()
                    .item(string().description(Some("The text in Swedish only.")))
                    .item(
                        ObjectBuilder::new()
                            .schema_type(SchemaType::new(Type::Object))
                            .property("sv", string().description(Some("Swedish (required).")))
                            .property("en", string().description(Some("English; Swedish is shown where it is absent.")))
                            .required("sv"),
                    )
                    .description(Some(
                        "A text in Swedish and, where translated, English: a string (Swedish only) or `{\"sv\", \"en\"}`.",
                    ))
                    .build(),
            )
            .into()
        }
    }

    impl utoipa::ToSchema for Text {}
}

/// A block of a service owner's text written with the platform's few marks (see [`blocks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A line starting `## `.
    Heading(Vec<Inline>),
    /// Lines without a mark; single line breaks are kept.
    Paragraph(Vec<Inline>),
    /// Lines starting `- ` (or `* `), or `1. ` for a numbered list: one item each.
    List {
        /// Numbered (`1. `) rather than bulleted.
        numbered: bool,
        /// The items.
        items: Vec<Vec<Inline>>,
    },
}

/// A piece of a block's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Text as written.
    Text(String),
    /// `[text](address)`, for an `https:`, `http:`, `mailto:` or `tel:` address.
    Link {
        /// What the link says.
        text: String,
        /// Where it goes.
        href: String,
    },
}

/// The blocks of a text written with the platform's marks, so that an info text, a service's
/// description or its first page can have headings, lists and links and still read well as
/// plain text (in an e-mail, a PDF): blank lines separate blocks; `## ` starts a heading;
/// `- ` or `* ` a bulleted item and `1. ` a numbered one (a line without a mark after an item
/// continues it); `[text](https://…)` is a link. Anything else, a link to another kind of
/// address included, is text as written. Linear in the text's length.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let text = text.replace("\r\n", "\n");
    for chunk in text.split("\n\n") {
        lines.clear();
        lines.extend(chunk.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()));
        let mut paragraph: Vec<&str> = Vec::new();
        let mut list: Option<(bool, Vec<String>)> = None;
        let flush = |out: &mut Vec<Block>, paragraph: &mut Vec<&str>, list: &mut Option<(bool, Vec<String>)>| {
            if !paragraph.is_empty() {
                out.push(Block::Paragraph(inlines(&paragraph.join("\n"))));
                paragraph.clear();
            }
            if let Some((numbered, items)) = list.take() {
                out.push(Block::List { numbered, items: items.iter().map(|i| inlines(i)).collect() });
            }
        };
        for line in &lines {
            let trimmed = line.trim_start();
            if let Some(heading) = trimmed.strip_prefix("## ") {
                flush(&mut out, &mut paragraph, &mut list);
                out.push(Block::Heading(inlines(heading.trim())));
            } else if let Some((numbered, item)) = list_item(trimmed) {
                if !paragraph.is_empty() || list.as_ref().is_some_and(|(n, _)| *n != numbered) {
                    flush(&mut out, &mut paragraph, &mut list);
                }
                list.get_or_insert_with(|| (numbered, Vec::new())).1.push(item.trim().to_owned());
            } else if let Some((_, items)) = list.as_mut() {
                if let Some(last) = items.last_mut() {
                    last.push('\n');
                    last.push_str(trimmed);
                }
            } else {
                paragraph.push(line.trim());
            }
        }
        flush(&mut out, &mut paragraph, &mut list);
    }
    out
}

/// Plain text's blocks: one paragraph per blank-line separated part (for messages, which have no
/// marks).
pub fn paragraphs(text: &str) -> Vec<Block> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Block::Paragraph(vec![Inline::Text(p.to_owned())]))
        .collect()
}

/// The blocks as HTML for an element's content, every text and address escaped, so that nothing
/// a service or a person wrote becomes markup: headings are `<h3>`, lists `<ul>`/`<ol>`, links
/// `<a href>` (only to the addresses [`blocks`] makes links of).
pub fn to_html(blocks: &[Block]) -> String {
    let mut out = String::new();
    let inline = |out: &mut String, pieces: &[Inline]| {
        for piece in pieces {
            match piece {
                Inline::Text(t) => escape(out, t),
                Inline::Link { text, href } => {
                    out.push_str("<a href=\"");
                    escape(out, href);
                    out.push_str("\">");
                    escape(out, text);
                    out.push_str("</a>");
                }
            }
        }
    };
    for block in blocks {
        match block {
            Block::Heading(i) => {
                out.push_str("<h3>");
                inline(&mut out, i);
                out.push_str("</h3>");
            }
            Block::Paragraph(i) => {
                out.push_str("<p>");
                inline(&mut out, i);
                out.push_str("</p>");
            }
            Block::List { numbered, items } => {
                let tag = if *numbered { "ol" } else { "ul" };
                out.push('<');
                out.push_str(tag);
                out.push('>');
                for item in items {
                    out.push_str("<li>");
                    inline(&mut out, item);
                    out.push_str("</li>");
                }
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
        }
    }
    out
}

/// `s` escaped for HTML element content and quoted attributes (the one HTML escape: the
/// service texts here, the e-mails' HTML part in the backend).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape(&mut out, s);
    out
}

/// Appends `s` with `&`, `<`, `>`, `"` and `'` escaped.
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `- item`, `* item` (bulleted) or `12. item` (numbered).
fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, item));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits).then(|| line[digits..].strip_prefix(". ")).flatten().map(|item| (true, item))
}

/// The text and links of a line: `[text](address)` for the addresses [`Inline::Link`] takes.
fn inlines(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut text = String::new();
    while let Some(open) = rest.find('[') {
        let link = rest[open + 1..].split_once("](").and_then(|(label, after)| {
            let (href, tail) = after.split_once(')')?;
            let safe = ["https://", "http://", "mailto:", "tel:"].iter().any(|p| href.starts_with(p));
            (safe && !label.is_empty() && !label.contains(['[', '\n']) && !href.contains(char::is_whitespace))
                .then_some((label, href, tail))
        });
        match link {
            Some((label, href, tail)) => {
                text.push_str(&rest[..open]);
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                out.push(Inline::Link { text: label.to_owned(), href: href.to_owned() });
                rest = tail;
            }
            None => {
                text.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

/// What stands between a field's label and what is said about it: `": "`, or just a space
/// after a label that ends in a question mark or colon ("Vad gäller det? Fältet måste fyllas i",
/// never "det?: …").
pub fn after_label(label: &str) -> &'static str {
    if label.trim_end().ends_with(['?', ':', '!']) { " " } else { ": " }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
