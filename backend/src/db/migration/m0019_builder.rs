//! The service builder: a revision counter on services and form versions (the `ETag` a save
//! must carry in `If-Match`, so two editors never overwrite each other), who saved and
//! published last with the publisher's note, and the builder's audit log.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// The service builder: revisions, who saved and published, the publisher's note, and the
/// builder's audit log.
#[derive(DeriveMigrationName)]
pub struct M0019Builder;

#[async_trait::async_trait]
impl MigrationTrait for M0019Builder {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        let add = |table: &'static str, col: ColumnDef| Table::alter().table(table).add_column(col).take();
        m.alter_table(add("services", integer("revision").default(1).take())).await?;
        m.alter_table(add("services", string_null("updated_by"))).await?;
        m.alter_table(add("services", timestamp_with_time_zone_null("first_published_at"))).await?;
        // A service published before keeps that: it is unpublished, never a draft to delete.
        m.get_connection()
            .execute_unprepared(
                "UPDATE services SET first_published_at = (SELECT MIN(published_at) FROM form_versions \
                 WHERE form_versions.service_id = services.id AND form_versions.state = 'published')",
            )
            .await?;
        m.alter_table(add("form_versions", integer("revision").default(1).take())).await?;
        m.alter_table(add("form_versions", timestamp_with_time_zone_null("updated_at"))).await?;
        m.alter_table(add("form_versions", string_null("updated_by"))).await?;
        m.alter_table(add("form_versions", string_null("created_by"))).await?;
        m.alter_table(add("form_versions", string_null("published_by"))).await?;
        m.alter_table(add("form_versions", text_null("publish_note"))).await?;
        m.create_table(
            Table::create()
                .table("builder_audit")
                .col(pk_uuid("id"))
                // By URL name, not a foreign key: a deleted service's entries stay.
                .col(string("service_slug"))
                .col(string("staff_username"))
                .col(string("action"))
                .col(integer_null("version"))
                .col(text_null("detail"))
                .col(timestamp_with_time_zone("at"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_builder_audit_service")
                .table("builder_audit")
                .col("service_slug")
                .col("id")
                .take(),
        )
        .await
    }
}
