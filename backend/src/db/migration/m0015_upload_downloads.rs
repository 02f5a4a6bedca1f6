//! The downloads of the files an applicant sent with their case (the uploads
//! its file answers took), by the applicant on Min sida and by staff: the
//! same records as documents and message files have.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

/// The downloads of the files an applicant sent with their case (the uploads
/// its file answers took), by the applicant on Min sida and by staff: the
/// same records as documents and message files have.
#[derive(DeriveMigrationName)]
pub struct M0015UploadDownloads;

#[async_trait::async_trait]
impl MigrationTrait for M0015UploadDownloads {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("upload_downloads")
                .col(pk_uuid("id"))
                .col(uuid("upload_id"))
                // `staff` or `applicant`.
                .col(string_len("downloaded_by", 16))
                .col(uuid_null("staff_user_id"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("upload_downloads", "upload_id", "uploads", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_upload_downloads_upload")
                .table("upload_downloads")
                .col("upload_id")
                .col("id")
                .take(),
        )
        .await
    }
}
