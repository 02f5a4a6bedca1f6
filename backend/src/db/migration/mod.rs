//! Schema migrations, run at start-up. The same migrations serve SQLite and
//! PostgreSQL; the few differences are explicit in each. One file per
//! migration, named as the migration is recorded in `seaql_migrations`;
//! a migration that has run is never edited, a change is a new one.

mod m0001_core;
mod m0002_applicant_sessions;
mod m0003_drafts_and_uploads;
mod m0004_outbox;
mod m0005_handling;
mod m0006_documents;
mod m0007_message_attachments;
mod m0008_supplement_closing;
mod m0009_outbox_claim_token;
mod m0010_retention;
mod m0011_signing;
mod m0012_write_probe;
mod m0013_staff_sessions;
mod m0014_random_references;
mod m0015_upload_downloads;
mod m0016_follow_links_and_receipts;
mod m0017_access_actions;
mod m0018_service_english;
mod m0019_builder;

use sea_orm_migration::prelude::*;

use m0001_core::M0001Core;
use m0002_applicant_sessions::M0002ApplicantSessions;
use m0003_drafts_and_uploads::M0003DraftsAndUploads;
use m0004_outbox::M0004Outbox;
use m0005_handling::M0005Handling;
use m0006_documents::M0006Documents;
use m0007_message_attachments::M0007MessageAttachments;
use m0008_supplement_closing::M0008SupplementClosing;
use m0009_outbox_claim_token::M0009OutboxClaimToken;
use m0010_retention::M0010Retention;
use m0011_signing::M0011Signing;
use m0012_write_probe::M0012WriteProbe;
use m0013_staff_sessions::M0013StaffSessions;
use m0014_random_references::M0014RandomReferences;
use m0015_upload_downloads::M0015UploadDownloads;
use m0016_follow_links_and_receipts::M0016FollowLinksAndReceipts;
use m0017_access_actions::M0017AccessActions;
use m0018_service_english::M0018ServiceEnglish;
use m0019_builder::M0019Builder;

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
            Box::new(M0017AccessActions),
            Box::new(M0018ServiceEnglish),
            Box::new(M0019Builder),
        ]
    }
}

/// A foreign key from `from_table.from_col` to `to_table.id`.
fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from_table, from_col).to(to_table, "id").on_delete(on_delete).take()
}

#[cfg(test)]
mod tests {
    use sea_orm_migration::prelude::*;

    use super::Migrator;

    /// The names `seaql_migrations` holds for the migrations that have run: a
    /// migration whose name changed would run again on every database.
    const RECORDED: [&str; 19] = [
        "m0001_core",
        "m0002_applicant_sessions",
        "m0003_drafts_and_uploads",
        "m0004_outbox",
        "m0005_handling",
        "m0006_documents",
        "m0007_message_attachments",
        "m0008_supplement_closing",
        "m0009_outbox_claim_token",
        "m0010_retention",
        "m0011_signing",
        "m0012_write_probe",
        "m0013_staff_sessions",
        "m0014_random_references",
        "m0015_upload_downloads",
        "m0016_follow_links_and_receipts",
        "m0017_access_actions",
        "m0018_service_english",
        "m0019_builder",
    ];

    #[test]
    fn every_migration_keeps_the_name_it_is_recorded_under() {
        let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
        assert_eq!(names, RECORDED);
    }
}
