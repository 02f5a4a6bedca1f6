//! Signing: a service's signing settings, a case's signing attempt, and its signatures with
//! their evidence.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

/// Signing: a service's signing settings, a case's signing attempt, and its signatures with
/// their evidence.
#[derive(DeriveMigrationName)]
pub struct M0011Signing;

#[async_trait::async_trait]
impl MigrationTrait for M0011Signing {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // `shared::signing::SigningSettings`; null: no signing.
        m.alter_table(Table::alter().table("services").add_column(json_null("signing")).take()).await?;
        // `awaiting`, `complete`, `declined` or `expired`; null for a case nobody signed.
        m.alter_table(Table::alter().table("cases").add_column(string_len_null("signing_outcome", 16)).take()).await?;
        // The last moment for the co-signers.
        m.alter_table(
            Table::alter().table("cases").add_column(timestamp_with_time_zone_null("signing_deadline")).take(),
        )
        .await?;
        // The expiry scan: attempts still awaiting, by deadline.
        m.create_index(
            Index::create()
                .name("ix_cases_signing_deadline")
                .table("cases")
                .col("signing_outcome")
                .col("signing_deadline")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("case_signatures")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                // `applicant` or `co_signer`; the applicant's is position 0.
                .col(string_len("role", 16))
                .col(integer("position"))
                // Who must sign (12 digits): the BankID order requires this personnummer.
                .col(string_len("personnummer", 12))
                .col(string_len_null("name", 200))
                // Where the co-signer is told of the request, if the applicant gave an address.
                .col(string_len_null("email", 254))
                // `pending`, `signed`, `declined` or `expired`.
                .col(string_len("state", 16))
                // What is signed: the text shown in the app and SHA-256 (hex) of the answers.
                .col(text("summary"))
                .col(string_len("digest", 64))
                .col(timestamp_with_time_zone("requested_at"))
                // The evidence: the e-ID, BankID's signature (base64 XML) and OCSP response.
                .col(string_len_null("provider", 32))
                .col(text_null("signature"))
                .col(text_null("ocsp_response"))
                .col(timestamp_with_time_zone_null("signed_at"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(text_null("decline_message"))
                .foreign_key(&mut fk("case_signatures", "case_id", "cases", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_case_signatures_case_signer")
                .table("case_signatures")
                .col("case_id")
                .col("personnummer")
                .unique()
                .take(),
        )
        .await?;
        // A co-signer's Min sida: the requests waiting for them.
        m.create_index(
            Index::create()
                .name("ix_case_signatures_signer")
                .table("case_signatures")
                .col("personnummer")
                .col("state")
                .take(),
        )
        .await?;
        Ok(())
    }
}
