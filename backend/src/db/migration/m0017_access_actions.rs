//! The access log's actions get one naming style, a verb and its object, as
//! `shared::handling::AccessAction` names them: the entries already written
//! (of live and of purged cases) are renamed.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

/// The access log's actions get one naming style, a verb and its object, as
/// `shared::handling::AccessAction` names them: the entries already written
/// (of live and of purged cases) are renamed.
#[derive(DeriveMigrationName)]
pub struct M0017AccessActions;

/// Old name, new name.
const RENAMED: [(&str, &str); 13] = [
    ("read", "read_case"),
    ("document_list", "list_documents"),
    ("document_download", "download_document"),
    ("attachment_download", "download_attachment"),
    ("message_attachment_download", "download_message_attachment"),
    ("message_attachment_upload", "attach_message_file"),
    ("document_attach", "attach_document"),
    ("contact_centre_lookup", "look_up_status"),
    ("message", "send_message"),
    ("note", "add_note"),
    ("status_change", "change_status"),
    ("supplement_request", "request_supplement"),
    ("follow_link_revoked", "revoke_follow_link"),
];

/// The legal holds, named by what became of them before.
const HOLDS: [(&str, &str); 2] = [("legal_hold_set", "set_legal_hold"), ("legal_hold_lifted", "lift_legal_hold")];

#[async_trait::async_trait]
impl MigrationTrait for M0017AccessActions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for table in ["case_access_log", "purged_access_log"] {
            for (old, new) in RENAMED.iter().chain(HOLDS.iter()) {
                db.execute_unprepared(&format!("UPDATE {table} SET action = '{new}' WHERE action = '{old}'")).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectOptions, ConnectionTrait, Database};
    use sea_orm_migration::MigratorTrait;

    use super::{HOLDS, RENAMED};
    use crate::db::migration::Migrator;

    #[tokio::test]
    async fn entries_written_under_the_old_names_are_renamed_and_the_others_left_as_they_are() {
        let mut options = ConnectOptions::new("sqlite::memory:");
        options.max_connections(1).sqlx_logging(false);
        let db = Database::connect(options).await.expect("connect");
        Migrator::up(&db, Some(16)).await.expect("the migrations before this one");
        db.execute_unprepared("PRAGMA foreign_keys = OFF").await.expect("pragma");
        let mut names: Vec<&str> = RENAMED.iter().chain(HOLDS.iter()).map(|(old, _)| *old).collect();
        names.push("read_notes");
        for (i, name) in names.iter().enumerate() {
            for table in ["case_access_log", "purged_access_log"] {
                let owner = if table == "case_access_log" { "case_id" } else { "purge_record_id" };
                let id = if table == "case_access_log" { format!("'{i:02}'") } else { format!("{i}") };
                db.execute_unprepared(&format!(
                    "INSERT INTO {table} (id, {owner}, staff_user_id, action, at) VALUES ({id}, 'c', 's', '{name}', '2026-12-07T10:00:00Z')"
                ))
                .await
                .expect("insert");
            }
        }
        Migrator::up(&db, None).await.expect("this migration");
        let mut expected: Vec<&str> = RENAMED.iter().chain(HOLDS.iter()).map(|(_, new)| *new).collect();
        expected.push("read_notes");
        for table in ["case_access_log", "purged_access_log"] {
            let rows = db
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Sqlite,
                    format!("SELECT action FROM {table} ORDER BY id"),
                ))
                .await
                .expect("select");
            let actions: Vec<String> =
                rows.iter().map(|r| r.try_get::<String>("", "action").expect("action")).collect();
            assert_eq!(actions, expected, "{table}");
            for a in &actions {
                assert!(shared::handling::AccessAction::parse(a).is_some(), "{a} is an action");
            }
        }
    }
}
