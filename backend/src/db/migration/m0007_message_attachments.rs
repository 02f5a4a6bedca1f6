//! Files sent with messages (the applicant's uploads, the handlers' own files)
//! and the record of their downloads.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

/// Files sent with messages (the applicant's uploads, the handlers' own files)
/// and the record of their downloads.
#[derive(DeriveMigrationName)]
pub struct M0007MessageAttachments;

#[async_trait::async_trait]
impl MigrationTrait for M0007MessageAttachments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("message_attachments")
                // The file's id: the upload's id (`store = uploads`) or the handler's file's (`store = documents`);
                // the bytes are stored under it.
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                // None while a handler's file waits to be sent.
                .col(uuid_null("message_id"))
                // `uploads` (the applicant's) or `documents` (a handler's).
                .col(string_len("store", 16))
                .col(string_len("name", 255))
                // Told from the content, never from the name or the client's Content-Type.
                .col(string_len("content_type", 255))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                // The handler who uploaded it (handlers' files).
                .col(uuid_null("staff_user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("message_attachments", "case_id", "cases", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("message_attachments", "message_id", "case_messages", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_message_attachments_message")
                .table("message_attachments")
                .col("message_id")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_message_attachments_case").table("message_attachments").col("case_id").take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("message_attachment_downloads")
                .col(pk_uuid("id"))
                .col(uuid("attachment_id"))
                // `staff` or `applicant`.
                .col(string_len("downloaded_by", 16))
                .col(uuid_null("staff_user_id"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk(
                    "message_attachment_downloads",
                    "attachment_id",
                    "message_attachments",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_message_attachment_downloads_attachment")
                .table("message_attachment_downloads")
                .col("attachment_id")
                .col("id")
                .take(),
        )
        .await
    }
}
