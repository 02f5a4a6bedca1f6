//! A text of a service or its form written in Swedish, and in English where it has been
//! translated: Swedish is required, English falls back to Swedish.

use serde::{Deserialize, Serialize};

use crate::validate::Localized;

/// A text in Swedish and, where written, English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Text {
    /// Swedish (required).
    pub sv: String,
    /// English, if translated; Swedish is shown where it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    /// The text in both languages, English falling back to Swedish.
    pub fn localized(&self) -> Localized {
        Localized { sv: self.sv.clone(), en: self.en.clone().unwrap_or_else(|| self.sv.clone()) }
    }

    /// Whether the Swedish text is missing (empty or only white space).
    pub fn is_blank(&self) -> bool {
        self.sv.trim().is_empty()
    }
}
