//! The animated QR code: `bankid.{qrStartToken}.{seconds}.{qrAuthCode}` where
//! `qrAuthCode` is `hex(HMAC-SHA256(key = qrStartSecret, message = seconds))`
//! and `seconds` is the number of whole seconds since the order started,
//! written in decimal. The server makes a new one every second; the secret
//! never leaves the server. [`svg`] renders the code so that the browser needs
//! no QR library.

use hmac::{Hmac, Mac};
use qrcode::QrCode;
use qrcode::render::svg;
use sha2::Sha256;

/// The QR data for `seconds` since the order started.
pub fn qr_data(qr_start_token: &str, qr_start_secret: &str, seconds: u64) -> String {
    format!("bankid.{qr_start_token}.{seconds}.{}", auth_code(qr_start_secret, seconds))
}

/// `hex(HMAC-SHA256(qrStartSecret, seconds as decimal))`.
pub fn auth_code(qr_start_secret: &str, seconds: u64) -> String {
    hex::encode(mac(qr_start_secret, seconds).finalize().into_bytes())
}

fn mac(qr_start_secret: &str, seconds: u64) -> Hmac<Sha256> {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(qr_start_secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(seconds.to_string().as_bytes());
    mac
}

/// A parsed QR code, as the BankID app reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedQr {
    /// The order's `qrStartToken`.
    pub qr_start_token: String,
    /// Seconds since the order started, as claimed by the code.
    pub seconds: u64,
    auth_code: String,
}

/// Parses `bankid.{token}.{seconds}.{code}`.
pub fn parse(data: &str) -> Option<ScannedQr> {
    let rest = data.strip_prefix("bankid.")?;
    let mut parts = rest.split('.');
    let (token, seconds, code) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || token.is_empty() || code.len() != 64 {
        return None;
    }
    Some(ScannedQr { qr_start_token: token.to_string(), seconds: seconds.parse().ok()?, auth_code: code.to_string() })
}

impl ScannedQr {
    /// True when the code was made with `qr_start_secret` (constant-time comparison).
    pub fn verifies_with(&self, qr_start_secret: &str) -> bool {
        match hex::decode(&self.auth_code) {
            Ok(bytes) => mac(qr_start_secret, self.seconds).verify_slice(&bytes).is_ok(),
            Err(_) => false,
        }
    }
}

/// The QR code as a standalone SVG element (no XML declaration), black on
/// white with the quiet zone, scaled by the page.
pub fn svg(data: &str) -> Option<String> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    let image = code.render::<svg::Color>().min_dimensions(200, 200).build();
    let start = image.find("<svg")?;
    Some(image[start..].replacen("<svg ", "<svg role=\"img\" aria-label=\"QR-kod för BankID\" ", 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_auth_code_matches_the_example_in_the_bankid_documentation() {
        // The worked example of the RP guidelines.
        assert_eq!(
            auth_code("d28db9a7-4cde-429e-a983-359be676944c", 0),
            "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"
        );
        assert_eq!(
            qr_data("67df3917-fa0d-44e5-b327-edcc928297f8", "d28db9a7-4cde-429e-a983-359be676944c", 1),
            "bankid.67df3917-fa0d-44e5-b327-edcc928297f8.1.949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2"
        );
    }

    #[test]
    fn the_code_changes_every_second_and_each_one_verifies_with_the_secret() {
        let (token, secret) = ("67df3917-fa0d-44e5-b327-edcc928297f8", "d28db9a7-4cde-429e-a983-359be676944c");
        let codes: Vec<String> = (0..5).map(|s| qr_data(token, secret, s)).collect();
        for (s, code) in codes.iter().enumerate() {
            assert!(code.starts_with(&format!("bankid.{token}.{s}.")), "{code}");
            let scanned = parse(code).unwrap();
            assert_eq!(scanned.seconds, s as u64);
            assert!(scanned.verifies_with(secret));
            assert!(!scanned.verifies_with("another-secret"));
        }
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), codes.len());
    }

    #[test]
    fn a_code_with_a_changed_second_does_not_verify() {
        let code = qr_data("token", "secret", 7);
        let forged = code.replacen(".7.", ".8.", 1);
        assert!(!parse(&forged).unwrap().verifies_with("secret"));
        assert!(parse("bankid.token.x.00").is_none());
        assert!(parse("not-bankid").is_none());
    }

    #[test]
    fn the_svg_is_an_accessible_svg_element_without_the_secret() {
        let data = qr_data("67df3917-fa0d-44e5-b327-edcc928297f8", "d28db9a7-4cde-429e-a983-359be676944c", 3);
        let svg = svg(&data).unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label="), "{}", &svg[..60]);
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("d28db9a7"));
    }
}
