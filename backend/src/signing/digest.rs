//! What a signature covers: a SHA-256 digest of the exact answers, in a
//! canonical JSON form, bound to the service and form version; and the check
//! that a BankID signature's signed data carries that digest.
//!
//! The digest is sent to BankID as `userNonVisibleData` (the 64 hex digits,
//! as bytes), so it is inside the signed data of the signature BankID returns
//! (`bankIdSignedData/usrNonVisibleData`, base64).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;
use sha2::{Digest, Sha256};
use shared::Answers;

/// Canonical JSON: object keys sorted (byte order), no whitespace, numbers and
/// strings as serde_json writes them.
pub fn canonical_json(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical_json(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// SHA-256 (64 lowercase hex digits) of the answers to version `form_version`
/// of the service `service_slug`, in canonical JSON
/// (`{"answers":…,"form_version":…,"service":…}`).
pub fn answers_digest(service_slug: &str, form_version: u32, answers: &Answers) -> String {
    let mut object = serde_json::Map::new();
    object.insert("answers".into(), Value::Object(answers.iter().map(|(k, v)| (k.clone(), v.clone())).collect()));
    object.insert("form_version".into(), Value::from(form_version));
    object.insert("service".into(), Value::String(service_slug.to_string()));
    let mut text = String::new();
    canonical_json(&Value::Object(object), &mut text);
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// True when BankID's `signature` (base64 of the XML) carries `digest` as its
/// signed, not shown data (`usrNonVisibleData`).
pub fn signature_carries_digest(signature_b64: &str, digest: &str) -> bool {
    signed_element(signature_b64, "usrNonVisibleData").is_some_and(|signed| signed == digest.as_bytes())
}

/// True when BankID's `signature` carries `digest` (`usrNonVisibleData`) and
/// `summary` as the text the signer was shown (`usrVisibleData`): what was
/// signed is what is stored.
pub fn signature_carries(signature_b64: &str, digest: &str, summary: &str) -> bool {
    signature_carries_digest(signature_b64, digest)
        && signed_element(signature_b64, "usrVisibleData").is_some_and(|shown| shown == summary.as_bytes())
}

/// The decoded content of `<{name}>` (base64) in the signature's XML.
fn signed_element(signature_b64: &str, name: &str) -> Option<Vec<u8>> {
    let xml = BASE64.decode(signature_b64.trim()).ok()?;
    let xml = String::from_utf8_lossy(&xml);
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))?;
    BASE64.decode(xml[start..start + end].trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(v: Value) -> Answers {
        serde_json::from_value(v).expect("answers")
    }

    #[test]
    fn the_digest_does_not_depend_on_the_order_of_keys() {
        let a = answers(serde_json::json!({"b": {"y": 1, "x": [1, "två"]}, "a": "ett"}));
        let b = answers(serde_json::json!({"a": "ett", "b": {"x": [1, "två"], "y": 1}}));
        assert_eq!(answers_digest("s", 1, &a), answers_digest("s", 1, &b));
        assert_eq!(answers_digest("s", 1, &a).len(), 64);
    }

    #[test]
    fn any_change_of_an_answer_the_version_or_the_service_changes_the_digest() {
        let a = answers(serde_json::json!({"a": "ett", "n": 2}));
        let d = answers_digest("s", 1, &a);
        assert_ne!(d, answers_digest("s", 1, &answers(serde_json::json!({"a": "ett", "n": 3}))));
        assert_ne!(d, answers_digest("s", 1, &answers(serde_json::json!({"a": "ett ", "n": 2}))));
        assert_ne!(d, answers_digest("s", 2, &a));
        assert_ne!(d, answers_digest("t", 1, &a));
    }

    #[test]
    fn canonical_json_escapes_strings_and_sorts_keys() {
        let mut out = String::new();
        canonical_json(&serde_json::json!({"b": "\"x\"\n", "a": [true, null, 1.5]}), &mut out);
        assert_eq!(out, r#"{"a":[true,null,1.5],"b":"\"x\"\n"}"#);
    }

    #[test]
    fn a_signature_carries_the_digest_only_when_its_signed_data_holds_exactly_it() {
        let digest = "ab".repeat(32);
        let xml = |data: &str| {
            BASE64.encode(format!(
                "<Signature><Object><bankIdSignedData><usrVisibleData>eA==</usrVisibleData><usrNonVisibleData>{}</usrNonVisibleData></bankIdSignedData></Object></Signature>",
                BASE64.encode(data)
            ))
        };
        assert!(signature_carries_digest(&xml(&digest), &digest));
        assert!(!signature_carries_digest(&xml(&"cd".repeat(32)), &digest));
        assert!(!signature_carries_digest("not base64!", &digest));
        assert!(!signature_carries_digest(&BASE64.encode("<Signature/>"), &digest));
    }

    #[test]
    fn a_signature_carries_what_is_stored_only_when_the_shown_text_is_the_stored_summary_too() {
        let digest = "ab".repeat(32);
        let sig = BASE64.encode(format!(
            "<Signature><usrVisibleData>{}</usrVisibleData><usrNonVisibleData>{}</usrNonVisibleData></Signature>",
            BASE64.encode("Ansökan om skolbyte"),
            BASE64.encode(&digest)
        ));
        assert!(signature_carries(&sig, &digest, "Ansökan om skolbyte"));
        assert!(!signature_carries(&sig, &digest, "Ansökan om skolbyte, ändrad"));
        assert!(!signature_carries(&sig, &"cd".repeat(32), "Ansökan om skolbyte"));
    }
}
