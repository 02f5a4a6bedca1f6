//! A small, namespace-agnostic element tree over quick-xml, enough for SOAP
//! envelopes: elements are matched by local name (prefixes differ between
//! Skatteverket's answers and our simulator), text is unescaped, and size and
//! depth are bounded. No DTDs: a document type declaration is refused, so no
//! entity can be defined or expanded.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, Event};
use quick_xml::reader::Reader;

/// Deepest nesting accepted (a Navet answer is about ten levels deep).
const MAX_DEPTH: usize = 48;
/// Most elements accepted in one document.
const MAX_ELEMENTS: usize = 20_000;

/// One element: its local name, its child elements and its own text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Element {
    /// The local name (without prefix).
    pub name: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// The element's own character data (not its children's), unescaped.
    pub text: String,
}

/// Why a document could not be read; the message names no content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct XmlError(pub String);

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element at a path of local names below this one.
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |e, name| e.child(name))
    }

    /// The trimmed, non-empty text of the element at `path`.
    pub fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path).map(|e| e.text.trim()).filter(|t| !t.is_empty())
    }

    /// Every element with this local name at any depth below this one, in document order.
    pub fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.descendants(name, out);
        }
    }

    /// The first element with this local name at any depth below this one.
    pub fn find(&self, name: &str) -> Option<&Element> {
        let mut found = Vec::new();
        self.descendants(name, &mut found);
        found.first().copied()
    }
}

fn local(qualified: &str) -> &str {
    qualified.rsplit(':').next().unwrap_or(qualified)
}

fn resolve_reference(r: &BytesRef<'_>) -> Result<char, XmlError> {
    if r.is_char_ref() {
        return r
            .resolve_char_ref()
            .map_err(|e| XmlError(format!("bad character reference: {e}")))?
            .ok_or_else(|| XmlError("bad character reference".into()));
    }
    match &**r {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        _ => Err(XmlError("undefined entity reference".into())),
    }
}

/// Parses a whole document into its root element.
pub(crate) fn parse(xml: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    let open = |stack: &mut Vec<Element>, name: &str, count: &mut usize| -> Result<(), XmlError> {
        *count += 1;
        if stack.len() >= MAX_DEPTH || *count > MAX_ELEMENTS {
            return Err(XmlError("document too large or too deep".into()));
        }
        stack.push(Element { name: local(name).to_string(), ..Element::default() });
        Ok(())
    };
    loop {
        let event = reader.read_event().map_err(|e| XmlError(format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(s) => {
                if root.is_some() {
                    return Err(XmlError("content after the root element".into()));
                }
                open(&mut stack, s.name().as_ref(), &mut count)?;
            }
            Event::Empty(s) => {
                if root.is_some() {
                    return Err(XmlError("content after the root element".into()));
                }
                open(&mut stack, s.name().as_ref(), &mut count)?;
                close(&mut stack, &mut root);
            }
            Event::End(_) => close(&mut stack, &mut root),
            Event::Text(t) => {
                let content = t.xml_content(XmlVersion::Implicit1_0);
                match stack.last_mut() {
                    Some(e) => e.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => return Err(XmlError("text outside the root element".into())),
                }
            }
            Event::CData(t) => match stack.last_mut() {
                Some(e) => e.text.push_str(&t),
                None => return Err(XmlError("text outside the root element".into())),
            },
            Event::GeneralRef(r) => {
                let c = resolve_reference(&r)?;
                match stack.last_mut() {
                    Some(e) => e.text.push(c),
                    None => return Err(XmlError("text outside the root element".into())),
                }
            }
            Event::DocType(_) => return Err(XmlError("document type declarations are not accepted".into())),
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError("not well-formed XML: unclosed element".into()));
    }
    root.ok_or_else(|| XmlError("no root element".into()))
}

fn close(stack: &mut Vec<Element>, root: &mut Option<Element>) {
    if let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => *root = Some(done),
        }
    }
}

/// Escapes text for element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_matched_by_local_name_whatever_their_prefix() {
        let root = parse(r#"<a:Envelope xmlns:a="x"><a:Body><b:Thing xmlns:b="y"><Inner>hej</Inner></b:Thing></a:Body></a:Envelope>"#)
            .unwrap();
        assert_eq!(root.name, "Envelope");
        assert_eq!(root.text_at(&["Body", "Thing", "Inner"]), Some("hej"));
    }

    #[test]
    fn entities_character_references_and_cdata_are_unescaped() {
        let root = parse("<a>Ann &amp; Bo &#229;&#x00E4; <![CDATA[<ö>]]></a>").unwrap();
        assert_eq!(root.text, "Ann & Bo åä <ö>");
    }

    #[test]
    fn a_document_type_declaration_is_refused() {
        let err = parse(r#"<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>"#).unwrap_err();
        assert!(err.0.contains("document type"), "{err}");
    }

    #[test]
    fn undefined_entities_and_mismatched_tags_are_errors() {
        assert!(parse("<a>&nope;</a>").is_err());
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a>").is_err());
        assert!(parse("").is_err());
        assert!(parse("just text").is_err());
        assert!(parse("<a/><b/>").is_err());
    }

    #[test]
    fn very_deep_documents_are_refused() {
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH + 1), "</a>".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).is_err());
    }
}
