//! Blocking signatures bound to a personnummer: [`BankIdService::sign`]
//! starts an order ([`SignOrder`]) and collects it until it completes, fails
//! or [`SIGN_WAIT_LIMIT`] passes.

use std::net::IpAddr;
use std::time::Instant;

use chrono::Utc;
use shared::Personnummer;

use super::{BankIdService, MAX_TEMPORARY_FAILURES, SIGN_WAIT_LIMIT, SignatureEvidence, error_message, identity_of};
use crate::eid::bankid::client::{BankIdError, CollectStatus, QrStartSecret, SignRequest};
use crate::eid::bankid::messages::{self, Flow, Rfa};
use crate::eid::bankid::qr;

/// Why a signature was not made.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// BankID refused to start or could not be reached (`alreadyInProgress` → RFA4).
    #[error(transparent)]
    BankId(#[from] BankIdError),
    /// The order failed (the hint code says why).
    #[error("the signature failed: {}", hint_code.as_deref().unwrap_or("no hint code"))]
    Failed {
        /// BankID's hint code.
        hint_code: Option<String>,
    },
    /// BankID reported a signer other than the required one (never expected).
    #[error("the signature was made by someone other than the required signer")]
    WrongSigner,
    /// The order did not finish in time.
    #[error("the signature was not finished in time")]
    TimedOut,
    /// The answer was unusable.
    #[error("unusable answer from BankID: {0}")]
    Invalid(String),
}

impl SignError {
    /// The message for the user.
    pub fn message(&self, flow: Flow) -> Rfa {
        match self {
            SignError::BankId(e) => error_message(e),
            SignError::Failed { hint_code } => messages::for_failed(hint_code.as_deref(), flow),
            SignError::TimedOut => Rfa::Rfa8,
            SignError::WrongSigner | SignError::Invalid(_) => Rfa::Rfa22,
        }
    }
}

/// A started signature.
pub struct SignOrder {
    order_ref: String,
    auto_start_token: String,
    qr_start_token: String,
    qr_start_secret: QrStartSecret,
    started: Instant,
    required: Personnummer,
}

impl std::fmt::Debug for SignOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignOrder { .. }")
    }
}

impl SignOrder {
    /// For starting the app on the same device.
    pub fn auto_start_token(&self) -> &str {
        &self.auto_start_token
    }

    /// The QR code for this second.
    pub fn qr_data(&self) -> String {
        qr::qr_data(&self.qr_start_token, self.qr_start_secret.expose(), self.started.elapsed().as_secs())
    }
}

impl BankIdService {
    /// Starts a signature of `user_visible_text` (simple Markdown, shown in the
    /// app) and of `digest` (signed but not shown) that only
    /// `personnummer_required` can make.
    pub async fn start_sign(
        &self,
        end_user_ip: IpAddr,
        personnummer_required: &Personnummer,
        user_visible_text: &str,
        digest: &[u8],
    ) -> Result<SignOrder, SignError> {
        let request =
            SignRequest::new(end_user_ip, user_visible_text, Some(digest), Some(personnummer_required.as_digits()));
        let order = self.client.sign(&request).await?;
        Ok(SignOrder {
            order_ref: order.order_ref,
            auto_start_token: order.auto_start_token,
            qr_start_token: order.qr_start_token,
            qr_start_secret: order.qr_start_secret,
            started: Instant::now(),
            required: personnummer_required.clone(),
        })
    }

    /// Collects a started signature until it completes or fails.
    pub async fn wait_for_signature(&self, order: &SignOrder) -> Result<SignatureEvidence, SignError> {
        let mut temporary_failures = 0;
        while order.started.elapsed() < SIGN_WAIT_LIMIT {
            match self.client.collect(&order.order_ref).await {
                Ok(c) if c.status == CollectStatus::Complete => {
                    let (identity, data) = identity_of(&c).map_err(SignError::Invalid)?;
                    if identity.personnummer.as_digits() != order.required.as_digits() {
                        return Err(SignError::WrongSigner);
                    }
                    return Ok(SignatureEvidence {
                        signature: data.signature,
                        ocsp_response: data.ocsp_response,
                        personnummer: identity.personnummer,
                        name: identity.name,
                        signed_at: Utc::now(),
                    });
                }
                Ok(c) if c.status == CollectStatus::Failed => return Err(SignError::Failed { hint_code: c.hint_code }),
                Ok(_) => temporary_failures = 0,
                Err(e) if e.is_temporary() && temporary_failures < MAX_TEMPORARY_FAILURES => temporary_failures += 1,
                Err(e) => return Err(e.into()),
            }
            tokio::time::sleep(self.sign_poll_interval).await;
        }
        let _ = self.client.cancel(&order.order_ref).await;
        Err(SignError::TimedOut)
    }

    /// Cancels a started signature.
    pub async fn cancel_sign(&self, order: SignOrder) -> Result<(), SignError> {
        Ok(self.client.cancel(&order.order_ref).await?)
    }

    /// [`Self::start_sign`] and then [`Self::wait_for_signature`]; `on_started`
    /// gets the order to show its QR code or autostart link to the signer.
    pub async fn sign(
        &self,
        end_user_ip: IpAddr,
        personnummer_required: &Personnummer,
        user_visible_text: &str,
        digest: &[u8],
        on_started: impl FnOnce(&SignOrder),
    ) -> Result<SignatureEvidence, SignError> {
        let order = self.start_sign(end_user_ip, personnummer_required, user_visible_text, digest).await?;
        on_started(&order);
        self.wait_for_signature(&order).await
    }
}
