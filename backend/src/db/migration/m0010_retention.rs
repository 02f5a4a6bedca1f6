//! Retention: per-service periods, legal holds, the purge record (no personal
//! data), the staff's pseudonymised access-log entries of purged cases, the
//! retry list of files to remove, the job's runs and its lease.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::fk;

/// Retention: per-service periods, legal holds, the purge record (no personal
/// data), the staff's pseudonymised access-log entries of purged cases, the
/// retry list of files to remove, the job's runs and its lease.
#[derive(DeriveMigrationName)]
pub struct M0010Retention;

#[async_trait::async_trait]
impl MigrationTrait for M0010Retention {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        m.alter_table(Table::alter().table("services").add_column(integer_null("retention_days_for_drafts")).take())
            .await?;
        m.alter_table(
            Table::alter().table("services").add_column(integer_null("retention_days_awaiting_signatures")).take(),
        )
        .await?;
        // A legal hold stops the purge until lifted: why, who, when.
        m.alter_table(Table::alter().table("cases").add_column(text_null("legal_hold_reason")).take()).await?;
        m.alter_table(Table::alter().table("cases").add_column(string_len_null("legal_hold_by", 200)).take()).await?;
        m.alter_table(Table::alter().table("cases").add_column(timestamp_with_time_zone_null("legal_hold_at")).take())
            .await?;
        // The purge job's scan: closed cases by closing time.
        m.create_index(
            Index::create().name("ix_cases_kind_closed").table("cases").col("status_kind").col("closed_at").take(),
        )
        .await?;
        m.create_index(Index::create().name("ix_drafts_updated").table("drafts").col("updated_at").take()).await?;
        m.create_index(
            Index::create().name("ix_applicant_sessions_expires").table("applicant_sessions").col("expires_at").take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("purge_records")
                .col(pk_uuid("id"))
                // The purged case's id and reference: no personal data, and each case is purged once.
                .col(uuid_uniq("case_id"))
                .col(string_len_uniq("reference", 32))
                .col(uuid("service_id"))
                // `closed` or `awaiting_signatures`, and the period that applied.
                .col(string_len("rule", 32))
                .col(integer("days"))
                .col(date("submitted_on"))
                .col(date_null("closed_on"))
                .col(timestamp_with_time_zone("purged_at"))
                // What was removed: {answers, messages, …} (counts only).
                .col(json("counts"))
                // `pseudonymised` or `deleted`: what became of the staff's access-log entries.
                .col(string_len("access_log", 16))
                .col(uuid_null("run_id"))
                .foreign_key(&mut fk("purge_records", "service_id", "services", ForeignKeyAction::Restrict))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_purge_records_service").table("purge_records").col("service_id").col("id").take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("purged_access_log")
                .col(pk_auto("id"))
                // Who read which purged case (by its record), and when; the case and person are gone.
                .col(uuid("purge_record_id"))
                .col(uuid("staff_user_id"))
                .col(string_len("action", 32))
                .col(timestamp_with_time_zone("at"))
                // No foreign key: the entries are copied in before their record is written,
                // in the purge's transaction.
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_purged_access_log_record")
                .table("purged_access_log")
                .col("purge_record_id")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_purged_access_log_staff")
                .table("purged_access_log")
                .col("staff_user_id")
                .col("id")
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("file_deletions")
                .col(pk_uuid("id"))
                // `uploads` or `documents`, and the file's key there.
                .col(string_len("store", 16))
                .col(string_len("file_key", 128))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_file_deletions_due").table("file_deletions").col("next_attempt_at").take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("retention_runs")
                .col(pk_uuid("id"))
                // `schedule` or `manual`.
                .col(string_len("trigger", 16))
                .col(timestamp_with_time_zone("as_of"))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone_null("finished_at"))
                .col(big_integer("cases_purged"))
                .col(big_integer("drafts_deleted"))
                .col(big_integer("loose_files_deleted"))
                .col(big_integer("sessions_deleted"))
                .col(big_integer("files_deleted"))
                .col(big_integer("case_failures"))
                .col(big_integer("file_failures"))
                .take(),
        )
        .await?;
        // One row per job: whoever holds an unexpired lease does the work.
        m.create_table(
            Table::create()
                .table("job_leases")
                .col(string_len("name", 64).primary_key())
                .col(uuid_null("holder"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .take(),
        )
        .await?;
        m.get_connection().execute_unprepared("INSERT INTO job_leases (name) VALUES ('retention')").await?;
        Ok(())
    }
}
