//! E-mail templates: plain text with `{{placeholder}}`s.
//!
//! A template is parsed when it is saved, so an unknown placeholder or an
//! unclosed `{{` is an error that names it, and a stored template always
//! renders. Rendering makes two parts from one template: the plain-text part
//! (values inserted as they are, control characters removed) and the HTML part
//! (the text and every value HTML-escaped, paragraphs at blank lines, links
//! made clickable). Templates see only the values of a [`Placeholder`] — never
//! a case's answers.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use shared::text::escape_html;

/// A value a template may insert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Placeholder {
    /// The service's name.
    ServiceName,
    /// The case reference, e.g. `HBG-2026-000042`.
    CaseReference,
    /// The date the case was submitted (`2026-11-26`).
    SubmittedDate,
    /// A link to Min sida, where the applicant follows the case.
    MinSidaLink,
    /// The applicant's first name; empty when unknown or protected.
    FirstName,
    /// A link to the case in the handlers' view (staff mail only).
    CaseLink,
}

impl Placeholder {
    /// The name written between `{{` and `}}`.
    pub fn name(self) -> &'static str {
        match self {
            Self::ServiceName => "service_name",
            Self::CaseReference => "case_reference",
            Self::SubmittedDate => "submitted_date",
            Self::MinSidaLink => "min_sida_link",
            Self::FirstName => "first_name",
            Self::CaseLink => "case_link",
        }
    }

    fn is_link(self) -> bool {
        matches!(self, Self::MinSidaLink | Self::CaseLink)
    }
}

/// The placeholders a service owner's applicant template may use.
pub const APPLICANT_PLACEHOLDERS: &[Placeholder] = &[
    Placeholder::ServiceName,
    Placeholder::CaseReference,
    Placeholder::SubmittedDate,
    Placeholder::MinSidaLink,
    Placeholder::FirstName,
];

/// The placeholders a staff notification may use.
pub const STAFF_PLACEHOLDERS: &[Placeholder] =
    &[Placeholder::ServiceName, Placeholder::CaseReference, Placeholder::SubmittedDate, Placeholder::CaseLink];

/// Why a template cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `{{name}}` names no placeholder the template may use.
    #[error("unknown placeholder {{{{{name}}}}}; use one of: {allowed}")]
    Unknown {
        /// The name written.
        name: String,
        /// The names allowed here, comma separated.
        allowed: String,
    },
    /// A `{{` without its `}}`.
    #[error("a placeholder is not closed: '{{{{' at character {at} has no '}}}}'")]
    Unclosed {
        /// Character offset of the `{{`.
        at: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Value(Placeholder),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template(Vec<Piece>);

impl Template {
    /// Parses `source`, allowing only the `allowed` placeholders.
    pub fn parse(source: &str, allowed: &[Placeholder]) -> Result<Self, TemplateError> {
        let mut pieces = Vec::new();
        let mut rest = source;
        let mut offset = 0;
        while let Some(start) = rest.find("{{") {
            if start > 0 {
                pieces.push(Piece::Text(rest[..start].to_string()));
            }
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                return Err(TemplateError::Unclosed { at: source[..offset + start].chars().count() });
            };
            let name = after[..end].trim();
            match allowed.iter().find(|p| p.name() == name) {
                Some(p) => pieces.push(Piece::Value(*p)),
                None => {
                    return Err(TemplateError::Unknown {
                        name: name.to_string(),
                        allowed: allowed.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "),
                    });
                }
            }
            let consumed = start + 2 + end + 2;
            offset += consumed;
            rest = &rest[consumed..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        Ok(Self(pieces))
    }

    /// True when the template inserts `p`.
    pub fn uses(&self, p: Placeholder) -> bool {
        self.0.contains(&Piece::Value(p))
    }

    /// The plain-text rendering: values as they are, without control characters.
    pub fn render_text(&self, values: &Values) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Value(p) => out.push_str(&clean(values.get(*p))),
            }
        }
        out
    }

    /// A one-line rendering for a subject: line breaks and runs of spaces become one space.
    pub fn render_line(&self, values: &Values) -> String {
        self.render_text(values).split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The HTML rendering: everything escaped, a paragraph per blank-line
    /// separated block, `<br>` for single line breaks, links clickable.
    pub fn render_html(&self, values: &Values) -> String {
        // Render to a marked-up string of escaped pieces first, then split paragraphs.
        let mut body = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => body.push_str(&escape_html(t)),
                Piece::Value(p) => {
                    let v = clean(values.get(*p));
                    if p.is_link() && (v.starts_with("https://") || v.starts_with("http://")) {
                        let e = escape_html(&v);
                        let _ = write!(body, "<a href=\"{e}\">{e}</a>");
                    } else {
                        body.push_str(&escape_html(&v));
                    }
                }
            }
        }
        let body = body.replace("\r\n", "\n");
        let mut html = String::from(
            "<!doctype html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"font-family: sans-serif; line-height: 1.5\">\n",
        );
        for para in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            let _ = writeln!(html, "<p>{}</p>", para.replace('\n', "<br>\n"));
        }
        html.push_str("</body></html>\n");
        html
    }
}

/// The values to insert.
#[derive(Debug, Clone, Default)]
pub struct Values(BTreeMap<Placeholder, String>);

impl Values {
    /// Sets a value.
    pub fn set(&mut self, p: Placeholder, v: impl Into<String>) -> &mut Self {
        self.0.insert(p, v.into());
        self
    }

    fn get(&self, p: Placeholder) -> &str {
        self.0.get(&p).map(String::as_str).unwrap_or("")
    }
}

/// The value without control characters (line breaks included: a value is one line).
fn clean(v: &str) -> String {
    v.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        let mut v = Values::default();
        v.set(Placeholder::ServiceName, "Plats i förskola")
            .set(Placeholder::CaseReference, "HBG-2026-000042")
            .set(Placeholder::MinSidaLink, "https://etjanster.example.se/mina-sidor")
            .set(Placeholder::FirstName, "Tolvan");
        v
    }

    #[test]
    fn placeholders_are_replaced_with_or_without_spaces_inside_the_braces() {
        let t =
            Template::parse("Hej {{first_name}}! Ärende {{ case_reference }}.", APPLICANT_PLACEHOLDERS).expect("valid");
        assert_eq!(t.render_text(&values()), "Hej Tolvan! Ärende HBG-2026-000042.");
    }

    #[test]
    fn an_unknown_placeholder_is_an_error_that_names_it_and_lists_the_allowed_ones() {
        let e = Template::parse("Hej {{personnummer}}", APPLICANT_PLACEHOLDERS).expect_err("unknown");
        assert_eq!(
            e.to_string(),
            "unknown placeholder {{personnummer}}; use one of: service_name, case_reference, submitted_date, min_sida_link, first_name"
        );
        // A staff-only placeholder is unknown in an applicant template.
        assert!(Template::parse("{{case_link}}", APPLICANT_PLACEHOLDERS).is_err());
    }

    #[test]
    fn an_unclosed_placeholder_is_an_error_with_its_position() {
        let e = Template::parse("Hej å {{first_name", APPLICANT_PLACEHOLDERS).expect_err("unclosed");
        assert_eq!(e, TemplateError::Unclosed { at: 6 });
    }

    #[test]
    fn html_escapes_the_template_text_and_every_value() {
        let t = Template::parse("<b>{{service_name}}</b>", APPLICANT_PLACEHOLDERS).expect("valid");
        let mut v = Values::default();
        v.set(Placeholder::ServiceName, "Bygg & <script>alert(1)</script>");
        let html = t.render_html(&v);
        assert!(html.contains("&lt;b&gt;Bygg &amp; &lt;script&gt;alert(1)&lt;/script&gt;&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn html_makes_paragraphs_line_breaks_and_clickable_links() {
        let t = Template::parse("Hej!\n\nFölj ärendet:\n{{min_sida_link}}", APPLICANT_PLACEHOLDERS).expect("valid");
        let html = t.render_html(&values());
        assert!(html.contains("<p>Hej!</p>"), "{html}");
        assert!(
            html.contains("<p>Följ ärendet:<br>\n<a href=\"https://etjanster.example.se/mina-sidor\">https://etjanster.example.se/mina-sidor</a></p>"),
            "{html}"
        );
    }

    #[test]
    fn a_value_cannot_break_a_subject_line_or_inject_a_header() {
        let t = Template::parse("Ärende {{service_name}}", APPLICANT_PLACEHOLDERS).expect("valid");
        let mut v = Values::default();
        v.set(Placeholder::ServiceName, "X\r\nBcc: attacker@example.org");
        let line = t.render_line(&v);
        assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
    }

    #[test]
    fn uses_tells_which_placeholders_a_template_inserts() {
        let t = Template::parse("Hej {{first_name}}", APPLICANT_PLACEHOLDERS).expect("valid");
        assert!(t.uses(Placeholder::FirstName));
        assert!(!t.uses(Placeholder::CaseReference));
    }
}
