//! Applicants' drafts, and uploaded files.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

/// Applicants' drafts, and uploaded files.
#[derive(DeriveMigrationName)]
pub struct M0003DraftsAndUploads;

#[async_trait::async_trait]
impl MigrationTrait for M0003DraftsAndUploads {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("drafts")
                .col(pk_uuid("id"))
                .col(uuid("service_id"))
                .col(uuid("form_version_id"))
                .col(integer("form_version"))
                .col(string_len("personnummer", 12))
                .col(json("answers"))
                .col(string_len_null("current_page", 64))
                // Fields to answer again after a move to a new form version; cleared by the next save.
                .col(json("reanswer"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("drafts", "service_id", "services", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("drafts", "form_version_id", "form_versions", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_drafts_personnummer").table("drafts").col("personnummer").col("updated_at").take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("uploads")
                .col(pk_uuid("id"))
                // The owner: an applicant's personnummer, or the SHA-256 of an anonymous owner token.
                .col(string_len_null("personnummer", 12))
                .col(string_len_null("owner_token_hash", 64))
                .col(string_len("name", 255))
                .col(string_len("content_type", 255))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                // Null until a submitted case takes the file. A purged case leaves its files
                // unattached, so the clean-up of unattached uploads removes them too.
                .col(uuid_null("case_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("uploads", "case_id", "cases", ForeignKeyAction::SetNull))
                .take(),
        )
        .await?;
        m.create_index(Index::create().name("ix_uploads_case").table("uploads").col("case_id").take()).await?;
        m.create_index(Index::create().name("ix_uploads_created_at").table("uploads").col("created_at").take()).await
    }
}
