//! Case handling: assignment, the applicant's contact address, messages and internal notes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

/// Case handling: assignment, the applicant's contact address, messages and internal notes.
#[derive(DeriveMigrationName)]
pub struct M0005Handling;

#[async_trait::async_trait]
impl MigrationTrait for M0005Handling {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement (and cannot add a foreign key to a table).
        m.alter_table(Table::alter().table("cases").add_column(uuid_null("assignee_id")).take()).await?;
        // Where the applicant wants mail about the case (the form's field marked `autocomplete: email`).
        m.alter_table(Table::alter().table("cases").add_column(string_len_null("contact_email", 254)).take()).await?;
        // The language the applicant used (`sv`/`en`): later mails about the case are written in it.
        m.alter_table(Table::alter().table("cases").add_column(string_len_null("language", 8)).take()).await?;
        // The handler inbox: one service's cases in one status, newest first; "mine".
        m.create_index(
            Index::create()
                .name("ix_cases_service_status")
                .table("cases")
                .col("service_id")
                .col("status_key")
                .col("id")
                .take(),
        )
        .await?;
        m.create_index(Index::create().name("ix_cases_assignee").table("cases").col("assignee_id").col("id").take())
            .await?;
        m.create_table(
            Table::create()
                .table("case_messages")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                // `applicant` or `staff`.
                .col(string_len("author_kind", 16))
                .col(uuid_null("staff_user_id"))
                .col(text("body"))
                .col(timestamp_with_time_zone("sent_at"))
                // When the other party first read it.
                .col(timestamp_with_time_zone_null("read_at"))
                .foreign_key(&mut fk("case_messages", "case_id", "cases", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_case_messages_case").table("case_messages").col("case_id").col("id").take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("case_notes")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                .col(uuid("staff_user_id"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("case_notes", "case_id", "cases", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(Index::create().name("ix_case_notes_case").table("case_notes").col("case_id").col("id").take())
            .await?;
        m.create_index(
            Index::create()
                .name("ix_case_access_log_staff")
                .table("case_access_log")
                .col("staff_user_id")
                .col("id")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("case_supplements")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                .col(uuid("requested_by"))
                .col(text("message"))
                // The field keys the applicant is asked to change; empty: any field.
                .col(json("fields"))
                // The status the case returns to when the applicant has answered.
                .col(string_len("return_status_key", 64))
                .col(timestamp_with_time_zone("requested_at"))
                .col(timestamp_with_time_zone_null("answered_at"))
                // What changed: [{field, before, after}].
                .col(json_null("changes"))
                .foreign_key(&mut fk("case_supplements", "case_id", "cases", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_case_supplements_case").table("case_supplements").col("case_id").col("id").take(),
        )
        .await
    }
}
