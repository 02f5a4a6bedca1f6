//! Services, form versions, staff, permissions, cases, status history, access log.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

/// Services, form versions, staff, permissions, cases, status history, access log.
#[derive(DeriveMigrationName)]
pub struct M0001Core;

#[async_trait::async_trait]
impl MigrationTrait for M0001Core {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("services")
                .col(pk_uuid("id"))
                .col(string_len_uniq("slug", 64))
                .col(string_len("name", 200))
                .col(text("audience"))
                .col(text("first_page_text"))
                .col(text("last_page_text"))
                .col(text("privacy_text"))
                .col(string_len("confirmation_email_subject", 200))
                .col(text("confirmation_email_body"))
                .col(string_len("handler_mailbox", 254))
                .col(string_len("identity", 32))
                .col(integer("retention_days_after_closing"))
                .col(json("statuses"))
                .col(integer_null("published_version"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("form_versions")
                .col(pk_uuid("id"))
                .col(uuid("service_id"))
                .col(integer("version"))
                .col(string_len("state", 16))
                .col(json("definition"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .foreign_key(&mut fk("form_versions", "service_id", "services", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_form_versions_service_version")
                .table("form_versions")
                .col("service_id")
                .col("version")
                .unique()
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("staff_users")
                .col(pk_uuid("id"))
                .col(string_len_uniq("username", 64))
                .col(string_len("display_name", 200))
                .col(string_len("email", 254))
                .col(string_len("password_hash", 255))
                .col(string_len("roles", 255))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("service_permissions")
                .col(uuid("service_id"))
                .col(uuid("staff_user_id"))
                .col(timestamp_with_time_zone("granted_at"))
                .primary_key(Index::create().col("service_id").col("staff_user_id"))
                .foreign_key(&mut fk("service_permissions", "service_id", "services", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("service_permissions", "staff_user_id", "staff_users", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("cases")
                .col(pk_uuid("id"))
                .col(string_len_uniq("reference", 32))
                .col(uuid("service_id"))
                .col(uuid("form_version_id"))
                .col(integer("form_version"))
                .col(string_len("status_key", 64))
                .col(string_len("status_kind", 32))
                .col(string_len_null("applicant_personnummer", 12))
                .col(string_len_null("applicant_name", 200))
                .col(json("answers"))
                .col(string_len("idempotency_scope", 32))
                .col(string_len_null("idempotency_key", 128))
                .col(string_len("request_hash", 64))
                .col(timestamp_with_time_zone("submitted_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .foreign_key(&mut fk("cases", "service_id", "services", ForeignKeyAction::Restrict))
                .foreign_key(&mut fk("cases", "form_version_id", "form_versions", ForeignKeyAction::Restrict))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_cases_idempotency")
                .table("cases")
                .col("idempotency_scope")
                .col("idempotency_key")
                .unique()
                .take(),
        )
        .await?;
        m.create_index(Index::create().name("ix_cases_service_id").table("cases").col("service_id").col("id").take())
            .await?;
        m.create_index(
            Index::create().name("ix_cases_personnummer").table("cases").col("applicant_personnummer").take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("case_status_history")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                .col(string_len_null("from_key", 64))
                .col(string_len("to_key", 64))
                .col(string_len("changed_by", 200))
                .col(uuid_null("staff_user_id"))
                .col(timestamp_with_time_zone("changed_at"))
                .col(text_null("comment"))
                .foreign_key(&mut fk("case_status_history", "case_id", "cases", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_case_status_history_case").table("case_status_history").col("case_id").take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("case_access_log")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                .col(uuid("staff_user_id"))
                .col(string_len("action", 32))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("case_access_log", "case_id", "cases", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(Index::create().name("ix_case_access_log_case").table("case_access_log").col("case_id").take())
            .await?;

        // Case reference numbers: a sequence on PostgreSQL (no row lock, so
        // concurrent submissions do not queue behind one another; gaps are
        // harmless), a counter row on SQLite (whose writers are serial anyway).
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("CREATE SEQUENCE IF NOT EXISTS case_reference_seq").await?;
            }
            _ => {
                m.create_table(
                    Table::create()
                        .table("case_reference_counter")
                        .col(integer("id").primary_key())
                        .col(big_integer("last_value"))
                        .take(),
                )
                .await?;
                db.execute_unprepared("INSERT INTO case_reference_counter (id, last_value) VALUES (1, 0)").await?;
            }
        }
        Ok(())
    }
}
