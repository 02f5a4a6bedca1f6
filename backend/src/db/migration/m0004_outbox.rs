//! The transactional outbox (e-mail now, webhooks later), and the English confirmation e-mail.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

/// The transactional outbox (e-mail now, webhooks later), and the English confirmation e-mail.
#[derive(DeriveMigrationName)]
pub struct M0004Outbox;

#[async_trait::async_trait]
impl MigrationTrait for M0004Outbox {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("outbox")
                .col(pk_uuid("id"))
                // `<id@domain>`: the same on every attempt, so a duplicate after an unknown outcome is recognisable.
                .col(string_len_uniq("message_id", 255))
                .col(string_len("channel", 16))
                .col(string_len("event", 64))
                .col(string_len("template", 64))
                .col(string_len("recipient", 254))
                .col(string_len("language", 8))
                .col(uuid_null("service_id"))
                // The case the item is about: purged with it (an unsent mail about a purged case is not sent).
                .col(uuid_null("case_id"))
                // What rendering needs besides the service's templates (the reference, dates); never answers.
                .col(json("payload"))
                // pending → sent, or pending → dead after max attempts (staff may retry: → pending).
                .col(string_len("status", 16))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("next_attempt_at"))
                // Set while a worker holds the item; another worker may take it after this instant.
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .foreign_key(&mut fk("outbox", "case_id", "cases", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_outbox_due").table("outbox").col("status").col("next_attempt_at").take(),
        )
        .await?;
        m.create_index(Index::create().name("ix_outbox_case").table("outbox").col("case_id").take()).await?;
        // SQLite alters one column per statement.
        m.alter_table(
            Table::alter().table("services").add_column(string_len_null("confirmation_email_subject_en", 200)).take(),
        )
        .await?;
        m.alter_table(Table::alter().table("services").add_column(text_null("confirmation_email_body_en")).take()).await
    }
}
