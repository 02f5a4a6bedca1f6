//! Schema migrations, run at start-up. The same migrations serve SQLite and
//! PostgreSQL; the few differences are explicit below.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// All migrations, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Core),
            Box::new(M0002ApplicantSessions),
            Box::new(M0003DraftsAndUploads),
            Box::new(M0004Outbox),
            Box::new(M0005Handling),
            Box::new(M0006Documents),
            Box::new(M0007MessageAttachments),
            Box::new(M0008SupplementClosing),
            Box::new(M0009OutboxClaimToken),
            Box::new(M0010Retention),
            Box::new(M0011Signing),
            Box::new(M0012WriteProbe),
            Box::new(M0013StaffSessions),
            Box::new(M0014RandomReferences),
            Box::new(M0015UploadDownloads),
            Box::new(M0016FollowLinksAndReceipts),
        ]
    }
}

/// Services, form versions, staff, permissions, cases, status history, access log.
struct M0001Core;

impl MigrationName for M0001Core {
    fn name(&self) -> &str {
        "m0001_core"
    }
}

fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from_table, from_col).to(to_table, "id").on_delete(on_delete).take()
}

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

/// Applicant login sessions.
struct M0002ApplicantSessions;

impl MigrationName for M0002ApplicantSessions {
    fn name(&self) -> &str {
        "m0002_applicant_sessions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0002ApplicantSessions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("applicant_sessions")
                .col(pk_uuid("id"))
                .col(string_len("personnummer", 12))
                .col(string_len("idp", 32))
                .col(string_len("loa", 128))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_renewed_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("ended_at"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_applicant_sessions_personnummer")
                .table("applicant_sessions")
                .col("personnummer")
                .take(),
        )
        .await
    }
}

/// Applicants' drafts, and uploaded files.
struct M0003DraftsAndUploads;

impl MigrationName for M0003DraftsAndUploads {
    fn name(&self) -> &str {
        "m0003_drafts_and_uploads"
    }
}

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

/// The transactional outbox (e-mail now, webhooks later), and the English confirmation e-mail.
struct M0004Outbox;

impl MigrationName for M0004Outbox {
    fn name(&self) -> &str {
        "m0004_outbox"
    }
}

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

/// Case handling: assignment, the applicant's contact address, messages and internal notes.
struct M0005Handling;

impl MigrationName for M0005Handling {
    fn name(&self) -> &str {
        "m0005_handling"
    }
}

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

/// Case documents (decisions and other documents staff attach) and the record of their downloads.
struct M0006Documents;

impl MigrationName for M0006Documents {
    fn name(&self) -> &str {
        "m0006_documents"
    }
}

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

/// Files sent with messages (the applicant's uploads, the handlers' own files)
/// and the record of their downloads.
struct M0007MessageAttachments;

impl MigrationName for M0007MessageAttachments {
    fn name(&self) -> &str {
        "m0007_message_attachments"
    }
}

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

/// Supplement requests that were closed unanswered (the case left the status
/// that waits for them, or a newer request replaced them).
struct M0008SupplementClosing;

impl MigrationName for M0008SupplementClosing {
    fn name(&self) -> &str {
        "m0008_supplement_closing"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0008SupplementClosing {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table("case_supplements").add_column(timestamp_with_time_zone_null("closed_at")).take(),
        )
        .await
    }
}

/// The claim an outbox item's lease belongs to: a worker records an outcome
/// only while its claim is the item's latest.
struct M0009OutboxClaimToken;

impl MigrationName for M0009OutboxClaimToken {
    fn name(&self) -> &str {
        "m0009_outbox_claim_token"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0009OutboxClaimToken {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("outbox").add_column(uuid_null("claim_token")).take()).await
    }
}

/// Retention: per-service periods, legal holds, the purge record (no personal
/// data), the staff's pseudonymised access-log entries of purged cases, the
/// retry list of files to remove, the job's runs and its lease.
struct M0010Retention;

impl MigrationName for M0010Retention {
    fn name(&self) -> &str {
        "m0010_retention"
    }
}

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

/// Signing: a service's signing settings, a case's signing attempt, and its signatures with
/// their evidence.
struct M0011Signing;

impl MigrationName for M0011Signing {
    fn name(&self) -> &str {
        "m0011_signing"
    }
}

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

/// The readiness check's scratch table (`db::write_probe`): a row is written
/// and deleted in one transaction, so that `/ready` fails when the database
/// cannot take writes. It never holds a row after the check.
struct M0012WriteProbe;

impl MigrationName for M0012WriteProbe {
    fn name(&self) -> &str {
        "m0012_write_probe"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0012WriteProbe {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("write_probe")
                .col(pk_uuid("id"))
                .col(blob("filler"))
                .col(timestamp_with_time_zone("at"))
                .take(),
        )
        .await
    }
}

/// Staff sessions: a row per staff login, checked on every request, so that
/// logging out (or an admin ending it) stops its token at once.
struct M0013StaffSessions;

impl MigrationName for M0013StaffSessions {
    fn name(&self) -> &str {
        "m0013_staff_sessions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0013StaffSessions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("staff_sessions")
                .col(pk_uuid("id"))
                .col(uuid("staff_user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("ended_at"))
                .foreign_key(&mut fk("staff_sessions", "staff_user_id", "staff_users", ForeignKeyAction::Cascade))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_staff_sessions_staff_user").table("staff_sessions").col("staff_user_id").take(),
        )
        .await
    }
}

/// References are random now (`shared::reference`): the numbering of the
/// older ones goes (their references stay as they are).
struct M0014RandomReferences;

impl MigrationName for M0014RandomReferences {
    fn name(&self) -> &str {
        "m0014_random_references"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0014RandomReferences {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => db.execute_unprepared("DROP SEQUENCE IF EXISTS case_reference_seq").await.map(drop),
            _ => m.drop_table(Table::drop().table("case_reference_counter").if_exists().take()).await,
        }
    }
}

/// The downloads of the files an applicant sent with their case (the uploads
/// its file answers took), by the applicant on Min sida and by staff: the
/// same records as documents and message files have.
struct M0015UploadDownloads;

impl MigrationName for M0015UploadDownloads {
    fn name(&self) -> &str {
        "m0015_upload_downloads"
    }
}

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

/// An anonymous applicant's private link can be ended by a handler; a
/// service words its own receipt heading ("Felanmälan är skickad").
struct M0016FollowLinksAndReceipts;

impl MigrationName for M0016FollowLinksAndReceipts {
    fn name(&self) -> &str {
        "m0016_follow_links_and_receipts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0016FollowLinksAndReceipts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table("cases").add_column(timestamp_with_time_zone_null("follow_link_revoked_at")).take(),
        )
        .await?;
        m.alter_table(Table::alter().table("services").add_column(string_len_null("receipt_heading", 120)).take()).await
    }
}
