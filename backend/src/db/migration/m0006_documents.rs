//! Case documents (decisions and other documents staff attach) and the record of their downloads.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

/// Case documents (decisions and other documents staff attach) and the record of their downloads.
#[derive(DeriveMigrationName)]
pub struct M0006Documents;

#[async_trait::async_trait]
impl MigrationTrait for M0006Documents {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_documents")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                // `decision` or `document`.
                .col(string_len("kind", 16))
                // The name the handler gave; the bytes are stored under the id, never this name.
                .col(string_len("name", 255))
                // Told from the content, never from the name or the client's Content-Type.
                .col(string_len("content_type", 255))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("case_documents", "case_id", "cases", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_case_documents_case").table("case_documents").col("case_id").col("id").take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("document_downloads")
                .col(pk_uuid("id"))
                .col(uuid("document_id"))
                // `staff` or `applicant`.
                .col(string_len("downloaded_by", 16))
                .col(uuid_null("staff_user_id"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("document_downloads", "document_id", "case_documents", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_document_downloads_document")
                .table("document_downloads")
                .col("document_id")
                .col("id")
                .take(),
        )
        .await
    }
}
