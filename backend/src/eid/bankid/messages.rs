//! The user messages BankID recommends ("RFA" texts from the relying-party
//! guidelines), in Swedish and English, and which one to show for each
//! collect answer and each error.
//!
//! The mapping follows the guidelines: the A variants of RFA15 and RFA17 are
//! for the flow where the user scans a QR code shown on another device, the B
//! variants (and RFA13) for BankID started on the same device. Hint codes this
//! code does not know yet are tolerated: an unknown pending hint shows RFA21,
//! an unknown failure RFA22. RFA5 is the guidelines' message for
//! `internalError`, `maintenance` and `requestTimeout`.

use serde::Serialize;

use super::client::{CollectStatus, ErrorCode};

/// One recommended user message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rfa {
    /// "Starta BankID-appen."
    Rfa1,
    /// "Åtgärden avbruten. Försök igen."
    Rfa3,
    /// An order for this personal number is already in progress.
    Rfa4,
    /// "Internt tekniskt fel. Försök igen."
    Rfa5,
    /// "Åtgärden avbruten."
    Rfa6,
    /// The BankID app is not responding (the order expired).
    Rfa8,
    /// Enter the security code.
    Rfa9,
    /// "Försöker starta BankID-appen."
    Rfa13,
    /// Searching for BankID; the user scanned a QR code on this computer's screen.
    Rfa15A,
    /// Searching for BankID; BankID started on this device.
    Rfa15B,
    /// The BankID is revoked or too old.
    Rfa16,
    /// The BankID app could not be started on this device.
    Rfa17A,
    /// The QR code could not be scanned.
    Rfa17B,
    /// "Identifiering eller underskrift pågår."
    Rfa21,
    /// "Okänt fel. Försök igen."
    Rfa22,
}

/// Swedish and English text of a message, with its RFA code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserMessage {
    /// `RFA1` … `RFA22` (`RFA15A`, `RFA17B`, … for the variants).
    pub rfa: &'static str,
    /// Swedish.
    pub sv: &'static str,
    /// English.
    pub en: &'static str,
}

impl Rfa {
    /// Every message, for tests and documentation.
    pub const ALL: [Rfa; 15] = [
        Rfa::Rfa1,
        Rfa::Rfa3,
        Rfa::Rfa4,
        Rfa::Rfa5,
        Rfa::Rfa6,
        Rfa::Rfa8,
        Rfa::Rfa9,
        Rfa::Rfa13,
        Rfa::Rfa15A,
        Rfa::Rfa15B,
        Rfa::Rfa16,
        Rfa::Rfa17A,
        Rfa::Rfa17B,
        Rfa::Rfa21,
        Rfa::Rfa22,
    ];

    /// The code, e.g. `RFA17B`.
    pub fn code(self) -> &'static str {
        self.message().rfa
    }

    /// The texts.
    pub fn message(self) -> UserMessage {
        let (rfa, sv, en) = match self {
            Rfa::Rfa1 => ("RFA1", "Starta BankID-appen.", "Start your BankID app."),
            Rfa::Rfa3 => ("RFA3", "Åtgärden avbruten. Försök igen.", "Action cancelled. Please try again."),
            Rfa::Rfa4 => (
                "RFA4",
                "En identifiering eller underskrift för det här personnumret är redan påbörjad. Försök igen.",
                "An identification or signing for this personal number is already started. Please try again.",
            ),
            Rfa::Rfa5 => ("RFA5", "Internt tekniskt fel. Försök igen.", "Internal error. Please try again."),
            Rfa::Rfa6 => ("RFA6", "Åtgärden avbruten.", "Action cancelled."),
            Rfa::Rfa8 => (
                "RFA8",
                "BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning. \
                 Om du inte har något giltigt BankID kan du skaffa ett hos din bank. Försök sedan igen.",
                "The BankID app is not responding. Please check that it's started and that you have internet \
                 access. If you don't have a valid BankID you can get one from your bank. Try again.",
            ),
            Rfa::Rfa9 => (
                "RFA9",
                "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under.",
                "Enter your security code in the BankID app and select Identify or Sign.",
            ),
            Rfa::Rfa13 => ("RFA13", "Försöker starta BankID-appen.", "Trying to start your BankID app."),
            Rfa::Rfa15A => (
                "RFA15A",
                "Söker efter BankID, det kan ta en liten stund… Om det har gått några sekunder och inget BankID \
                 har hittats har du sannolikt inget BankID som går att använda för den aktuella \
                 identifieringen/underskriften i den här datorn. Om du har ett BankID-kort, sätt in det i \
                 kortläsaren. Om du inte har något BankID kan du skaffa ett hos din bank.",
                "Searching for BankID:s, it may take a little while… If a few seconds have passed and still no \
                 BankID has been found, you probably don't have a BankID which can be used for this \
                 identification/signing on this computer. If you have a BankID card, please insert it into your \
                 card reader. If you don't have a BankID you can get one from your bank.",
            ),
            Rfa::Rfa15B => (
                "RFA15B",
                "Söker efter BankID, det kan ta en liten stund… Om det har gått några sekunder och inget BankID \
                 har hittats har du sannolikt inget BankID som går att använda för den aktuella \
                 identifieringen/underskriften i den här enheten. Om du inte har något BankID kan du skaffa ett \
                 hos din bank.",
                "Searching for BankID:s, it may take a little while… If a few seconds have passed and still no \
                 BankID has been found, you probably don't have a BankID which can be used for this \
                 identification/signing on this device. If you don't have a BankID you can get one from your \
                 bank.",
            ),
            Rfa::Rfa16 => (
                "RFA16",
                "Det BankID du försöker använda är för gammalt eller spärrat. Använd ett annat BankID eller \
                 skaffa ett nytt hos din bank.",
                "The BankID you are trying to use is blocked or too old. Please use another BankID or get a new \
                 one from your bank.",
            ),
            Rfa::Rfa17A => (
                "RFA17A",
                "BankID-appen verkar inte finnas i din dator eller telefon. Installera den och skaffa ett BankID \
                 hos din bank. Installera appen från din appbutik eller https://install.bankid.com.",
                "The BankID app couldn't be found on your computer or mobile device. Please install it and get a \
                 BankID from your bank. Install the app from your app store or https://install.bankid.com.",
            ),
            Rfa::Rfa17B => (
                "RFA17B",
                "Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden. Kontrollera att \
                 BankID-appen är uppdaterad. Om du inte har BankID-appen måste du installera den och skaffa ett \
                 BankID hos din bank. Installera appen från din appbutik eller https://install.bankid.com.",
                "Failed to scan the QR code. Start the BankID app and scan the QR code. Check that the BankID app \
                 is up to date. If you don't have the BankID app, you need to install it and get a BankID from \
                 your bank. Install the app from your app store or https://install.bankid.com.",
            ),
            Rfa::Rfa21 => ("RFA21", "Identifiering eller underskrift pågår.", "Identification or signing in progress."),
            Rfa::Rfa22 => ("RFA22", "Okänt fel. Försök igen.", "Unknown error. Please try again."),
        };
        UserMessage { rfa, sv, en }
    }
}

impl From<Rfa> for shared::api::BankIdMessage {
    fn from(rfa: Rfa) -> Self {
        let m = rfa.message();
        Self { rfa: m.rfa.into(), sv: m.sv.into(), en: m.en.into() }
    }
}

/// How the user started BankID: it decides between the A and B variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// The user scans an animated QR code with BankID on another device.
    QrCode,
    /// BankID is started on the same device with the autostart token.
    SameDevice,
}

/// The message for a collect answer (`status` and `hintCode`).
pub fn for_collect(status: CollectStatus, hint_code: Option<&str>, flow: Flow) -> Option<Rfa> {
    match status {
        CollectStatus::Complete => None,
        CollectStatus::Pending => Some(for_pending(hint_code, flow)),
        CollectStatus::Failed => Some(for_failed(hint_code, flow)),
    }
}

/// The message while an order is pending.
pub fn for_pending(hint_code: Option<&str>, flow: Flow) -> Rfa {
    match (hint_code, flow) {
        (Some("outstandingTransaction"), Flow::SameDevice) => Rfa::Rfa13,
        (Some("outstandingTransaction" | "noClient"), _) => Rfa::Rfa1,
        (Some("started"), Flow::QrCode) => Rfa::Rfa15A,
        (Some("started"), Flow::SameDevice) => Rfa::Rfa15B,
        (Some("userSign"), _) => Rfa::Rfa9,
        // userMrtd, userCallConfirm (phone orders), and codes added after this was written.
        _ => Rfa::Rfa21,
    }
}

/// The message when an order failed.
pub fn for_failed(hint_code: Option<&str>, flow: Flow) -> Rfa {
    match (hint_code, flow) {
        (Some("userCancel"), _) => Rfa::Rfa6,
        (Some("cancelled"), _) => Rfa::Rfa3,
        (Some("expiredTransaction"), _) => Rfa::Rfa8,
        (Some("certificateErr"), _) => Rfa::Rfa16,
        (Some("startFailed"), Flow::SameDevice) => Rfa::Rfa17A,
        (Some("startFailed"), Flow::QrCode) => Rfa::Rfa17B,
        _ => Rfa::Rfa22,
    }
}

/// The message for an error answer of the RP API.
pub fn for_error(code: &ErrorCode) -> Rfa {
    match code {
        ErrorCode::AlreadyInProgress => Rfa::Rfa4,
        ErrorCode::InternalError | ErrorCode::Maintenance | ErrorCode::RequestTimeout => Rfa::Rfa5,
        _ => Rfa::Rfa22,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_a_distinct_code_and_swedish_and_english_text() {
        let mut codes = std::collections::HashSet::new();
        for rfa in Rfa::ALL {
            let m = rfa.message();
            assert!(m.rfa.starts_with("RFA") && codes.insert(m.rfa), "{rfa:?}");
            assert!(m.sv.ends_with('.') && m.en.ends_with('.'), "{rfa:?}");
            assert_ne!(m.sv, m.en, "{rfa:?}");
        }
    }

    #[test]
    fn pending_hint_codes_map_to_the_recommended_messages_for_each_flow() {
        use Flow::*;
        assert_eq!(for_pending(Some("outstandingTransaction"), QrCode), Rfa::Rfa1);
        assert_eq!(for_pending(Some("outstandingTransaction"), SameDevice), Rfa::Rfa13);
        assert_eq!(for_pending(Some("noClient"), QrCode), Rfa::Rfa1);
        assert_eq!(for_pending(Some("noClient"), SameDevice), Rfa::Rfa1);
        assert_eq!(for_pending(Some("started"), QrCode), Rfa::Rfa15A);
        assert_eq!(for_pending(Some("started"), SameDevice), Rfa::Rfa15B);
        assert_eq!(for_pending(Some("userSign"), QrCode), Rfa::Rfa9);
        assert_eq!(for_pending(Some("userSign"), SameDevice), Rfa::Rfa9);
    }

    #[test]
    fn failure_hint_codes_map_to_the_recommended_messages_for_each_flow() {
        use Flow::*;
        assert_eq!(for_failed(Some("userCancel"), QrCode), Rfa::Rfa6);
        assert_eq!(for_failed(Some("cancelled"), QrCode), Rfa::Rfa3);
        assert_eq!(for_failed(Some("expiredTransaction"), SameDevice), Rfa::Rfa8);
        assert_eq!(for_failed(Some("certificateErr"), QrCode), Rfa::Rfa16);
        assert_eq!(for_failed(Some("startFailed"), SameDevice), Rfa::Rfa17A);
        assert_eq!(for_failed(Some("startFailed"), QrCode), Rfa::Rfa17B);
    }

    #[test]
    fn unknown_hint_codes_are_tolerated_with_the_generic_messages() {
        assert_eq!(for_pending(Some("somethingNew"), Flow::QrCode), Rfa::Rfa21);
        assert_eq!(for_pending(None, Flow::QrCode), Rfa::Rfa21);
        assert_eq!(for_failed(Some("somethingNew"), Flow::QrCode), Rfa::Rfa22);
        assert_eq!(for_failed(None, Flow::SameDevice), Rfa::Rfa22);
        assert_eq!(for_collect(CollectStatus::Complete, None, Flow::QrCode), None);
        assert_eq!(for_collect(CollectStatus::Pending, Some("userSign"), Flow::QrCode), Some(Rfa::Rfa9));
        assert_eq!(for_collect(CollectStatus::Failed, Some("userCancel"), Flow::QrCode), Some(Rfa::Rfa6));
    }

    #[test]
    fn error_codes_map_to_already_in_progress_or_try_again_messages() {
        assert_eq!(for_error(&ErrorCode::AlreadyInProgress), Rfa::Rfa4);
        assert_eq!(for_error(&ErrorCode::InternalError), Rfa::Rfa5);
        assert_eq!(for_error(&ErrorCode::Maintenance), Rfa::Rfa5);
        assert_eq!(for_error(&ErrorCode::RequestTimeout), Rfa::Rfa5);
        assert_eq!(for_error(&ErrorCode::InvalidParameters), Rfa::Rfa22);
        assert_eq!(for_error(&ErrorCode::Other("teapot".into())), Rfa::Rfa22);
    }

    #[test]
    fn the_texts_are_the_official_wording() {
        assert_eq!(
            Rfa::Rfa9.message().sv,
            "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."
        );
        assert_eq!(Rfa::Rfa6.message().en, "Action cancelled.");
        assert!(Rfa::Rfa8.message().sv.starts_with("BankID-appen svarar inte."));
        assert!(Rfa::Rfa17B.message().sv.starts_with("Misslyckades att läsa av QR-koden."));
    }
}
