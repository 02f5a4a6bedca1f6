//! The handlers' view of a case's signatures: who signed, when, with which
//! e-ID, and the stored evidence (BankID's signature and OCSP response) for
//! download and verification. Read only; the signing flow writes the rows.

use chrono::{DateTime, Utc};
use sea_orm::QueryOrder;
use sea_orm::prelude::*;
use shared::signing::{CaseSignatureView, SignatureRole, SignatureState};

use super::Db;
use super::entity::case_signature;

/// One stored signature of a case, with its evidence.
#[derive(Debug, Clone)]
pub struct SignatureRecord {
    /// The signature's id.
    pub id: Uuid,
    /// Applicant or co-signer.
    pub role: SignatureRole,
    /// 0 for the applicant, then the co-signers in order.
    pub position: u32,
    /// The required signer (12 digits).
    pub personnummer: String,
    /// The signer's name.
    pub name: Option<String>,
    /// Where it is.
    pub state: SignatureState,
    /// The text shown in the BankID app.
    pub summary: String,
    /// SHA-256 (hex) of the answers signed.
    pub digest: String,
    /// The e-ID used, e.g. `BankID`.
    pub provider: Option<String>,
    /// BankID's signature (base64 XML).
    pub signature: Option<String>,
    /// BankID's OCSP response (base64).
    pub ocsp_response: Option<String>,
    /// When it was signed.
    pub signed_at: Option<DateTime<Utc>>,
}

impl SignatureRecord {
    /// The handlers' view (without the evidence itself).
    pub fn view(&self) -> CaseSignatureView {
        CaseSignatureView {
            id: self.id,
            role: self.role,
            personnummer: self.personnummer.clone(),
            name: self.name.clone(),
            state: self.state,
            provider: self.provider.clone(),
            signed_at: self.signed_at,
            digest: self.digest.clone(),
        }
    }

    /// True when the signature was given (and so has evidence).
    pub fn is_signed(&self) -> bool {
        self.state == SignatureState::Signed
    }
}

use super::signatures::role_parse as role_of;

fn record(m: case_signature::Model) -> SignatureRecord {
    SignatureRecord {
        id: m.id,
        role: role_of(&m.role),
        position: u32::try_from(m.position).unwrap_or(0),
        personnummer: m.personnummer,
        name: m.name,
        // An unknown state is shown as the one that proves nothing.
        state: SignatureState::parse(&m.state).unwrap_or(SignatureState::Pending),
        summary: m.summary,
        digest: m.digest,
        provider: m.provider,
        signature: m.signature,
        ocsp_response: m.ocsp_response,
        signed_at: m.signed_at,
    }
}

/// A case's signatures, the applicant's first, then the co-signers in order.
pub async fn of_case(db: &Db, case_id: Uuid) -> Result<Vec<SignatureRecord>, DbErr> {
    Ok(case_signature::Entity::find()
        .filter(case_signature::Column::CaseId.eq(case_id))
        .order_by_asc(case_signature::Column::Position)
        .order_by_asc(case_signature::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

/// One signature of a case; `None` when the case has no signature with that id.
pub async fn find(db: &Db, case_id: Uuid, id: Uuid) -> Result<Option<SignatureRecord>, DbErr> {
    Ok(case_signature::Entity::find_by_id(id)
        .filter(case_signature::Column::CaseId.eq(case_id))
        .one(db)
        .await?
        .map(record))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_row_becomes_the_handlers_view_without_its_evidence() {
        let id = Uuid::now_v7();
        let r = record(case_signature::Model {
            id,
            case_id: Uuid::now_v7(),
            role: "co_signer".into(),
            position: 1,
            personnummer: "198206012398".into(),
            name: Some("Vårdnadshavare B".into()),
            email: None,
            state: "signed".into(),
            summary: "Ansökan".into(),
            digest: "ab".repeat(32),
            requested_at: Utc::now(),
            provider: Some("BankID".into()),
            signature: Some("PFNpZ25hdHVyZS8+".into()),
            ocsp_response: Some("b2NzcA==".into()),
            signed_at: Some(Utc::now()),
            decided_at: Some(Utc::now()),
            decline_message: None,
        });
        assert!(r.is_signed());
        assert_eq!((r.role, r.position), (SignatureRole::CoSigner, 1));
        let v = r.view();
        assert_eq!((v.id, v.state, v.provider.as_deref()), (id, SignatureState::Signed, Some("BankID")));
        let json = serde_json::to_string(&v).unwrap_or_default();
        assert!(!json.contains("PFNpZ25hdHVyZS8") && !json.contains("b2NzcA"), "{json}");
    }

    #[test]
    fn the_applicants_role_is_parsed_and_an_unknown_state_proves_nothing() {
        assert_eq!(role_of("applicant"), SignatureRole::Applicant);
        assert_eq!(role_of("co_signer"), SignatureRole::CoSigner);
        assert_eq!(SignatureState::parse("nonsense").unwrap_or(SignatureState::Pending), SignatureState::Pending);
    }
}
