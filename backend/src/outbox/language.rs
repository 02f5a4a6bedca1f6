//! The language of an applicant's mail: stored as `sv`/`en`, and chosen from
//! a request's `Accept-Language` (an extractor).

/// The language of an applicant's mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Swedish (the default).
    #[default]
    Sv,
    /// English.
    En,
}

impl Language {
    /// From a stored `sv`/`en` (Swedish for anything else).
    pub fn parse(s: Option<&str>) -> Self {
        if s == Some("en") { Self::En } else { Self::Sv }
    }

    /// `sv` or `en`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    /// The language a request's `Accept-Language` header prefers.
    fn of_request(req: &actix_web::HttpRequest) -> Self {
        Self::from_accept_language(
            req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()),
        )
    }

    /// From an `Accept-Language` header: English when it is preferred over Swedish.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let Some(h) = header else { return Self::Sv };
        let mut best: Option<(f32, Self)> = None;
        for part in h.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("sv") => Self::Sv,
                Some("en") => Self::En,
                _ => continue,
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Self::Sv)
    }
}

/// The language of the request's mails, from `Accept-Language`: an extractor.
impl actix_web::FromRequest for Language {
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Self::of_request(req)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_chosen_only_when_the_client_prefers_it_to_swedish() {
        assert_eq!(Language::from_accept_language(None), Language::Sv);
        assert_eq!(Language::from_accept_language(Some("en")), Language::En);
        assert_eq!(Language::from_accept_language(Some("en-GB,en;q=0.9")), Language::En);
        assert_eq!(Language::from_accept_language(Some("sv-SE,sv;q=0.9,en;q=0.8")), Language::Sv);
        assert_eq!(Language::from_accept_language(Some("sv;q=0.5,en;q=0.8")), Language::En);
        assert_eq!(Language::from_accept_language(Some("de,fr")), Language::Sv);
    }
}
