//! sea-orm entities. They never leave `db`: handlers get API types.

/// A service (e-tjänst).
pub mod service {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "services")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(unique)]
        pub slug: String,
        pub name: String,
        pub audience: String,
        pub first_page_text: String,
        pub last_page_text: String,
        pub privacy_text: String,
        pub confirmation_email_subject: String,
        pub confirmation_email_body: String,
        pub confirmation_email_subject_en: Option<String>,
        pub confirmation_email_body_en: Option<String>,
        pub handler_mailbox: String,
        pub identity: String,
        pub retention_days_after_closing: i32,
        /// The service's own period for drafts (the platform's default when null).
        pub retention_days_for_drafts: Option<i32>,
        /// The service's own period for cases awaiting signatures (the platform's default when null).
        pub retention_days_awaiting_signatures: Option<i32>,
        pub statuses: Json,
        /// `shared::signing::SigningSettings`; null: no signing.
        pub signing: Option<Json>,
        /// The heading of the last page and the receipt, in the service's own words; the
        /// platform's neutral one when null.
        pub receipt_heading: Option<String>,
        /// `shared::api::ServiceEnglish`: the texts written in English; null: none.
        pub english: Option<Json>,
        pub published_version: Option<i32>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// Counts the saves of the settings: the `ETag` a save must match.
        pub revision: i32,
        /// The username of whoever saved the settings last.
        pub updated_by: Option<String>,
        /// When a version was first published: a service published once is never deleted.
        pub first_published_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A version of a service's form.
pub mod form_version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "form_versions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub service_id: Uuid,
        pub version: i32,
        pub state: String,
        pub definition: Json,
        pub created_at: DateTimeUtc,
        pub published_at: Option<DateTimeUtc>,
        /// Counts the saves of the definition: the `ETag` a save must match.
        pub revision: i32,
        pub updated_at: Option<DateTimeUtc>,
        /// Usernames: who created, last saved and published the version.
        pub created_by: Option<String>,
        pub updated_by: Option<String>,
        pub published_by: Option<String>,
        /// What changed, in the publisher's words.
        pub publish_note: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// What was done in the service builder, by whom and when.
pub mod builder_audit {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "builder_audit")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub service_slug: String,
        pub staff_username: String,
        pub action: String,
        /// The form version acted on, if one was.
        pub version: Option<i32>,
        /// The publisher's note, the service copied from, the account given or losing a permission.
        pub detail: Option<String>,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A staff account.
pub mod staff_user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_users")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(unique)]
        pub username: String,
        pub display_name: String,
        pub email: String,
        pub password_hash: String,
        /// Comma-separated role names.
        pub roles: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A staff account's permission on a service.
pub mod service_permission {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "service_permissions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub service_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_user_id: Uuid,
        pub granted_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A submitted case.
pub mod case {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "cases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(unique)]
        pub reference: String,
        pub service_id: Uuid,
        pub form_version_id: Uuid,
        pub form_version: i32,
        pub status_key: String,
        pub status_kind: String,
        pub applicant_personnummer: Option<String>,
        pub applicant_name: Option<String>,
        pub answers: Json,
        /// The applicant's personnummer, or `anonymous`: idempotency keys are unique per scope.
        pub idempotency_scope: String,
        pub idempotency_key: Option<String>,
        /// SHA-256 of the submitted body, to tell a retry from a different request.
        pub request_hash: String,
        pub submitted_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub closed_at: Option<DateTimeUtc>,
        /// The handler the case is assigned to.
        pub assignee_id: Option<Uuid>,
        /// Where the applicant wants mail about the case.
        pub contact_email: Option<String>,
        /// The applicant's language, `sv` or `en`.
        pub language: Option<String>,
        /// Why the case is kept past its retention period (a legal hold), if it is.
        pub legal_hold_reason: Option<String>,
        /// Who set the legal hold (user name).
        pub legal_hold_by: Option<String>,
        /// When the legal hold was set.
        pub legal_hold_at: Option<DateTimeUtc>,
        /// The signing attempt: `awaiting`, `complete`, `declined` or `expired`; null when unsigned.
        pub signing_outcome: Option<String>,
        /// The last moment for the co-signers.
        pub signing_deadline: Option<DateTimeUtc>,
        /// When a handler ended the anonymous applicant's private link (`crate::follow_link`).
        pub follow_link_revoked_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One status change of a case.
pub mod case_status_change {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_status_history")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub from_key: Option<String>,
        pub to_key: String,
        pub changed_by: String,
        pub staff_user_id: Option<Uuid>,
        pub changed_at: DateTimeUtc,
        pub comment: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One staff read of a case.
pub mod case_access {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_access_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub staff_user_id: Uuid,
        pub action: String,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An applicant's login session.
pub mod applicant_session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "applicant_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub personnummer: String,
        pub idp: String,
        pub loa: String,
        pub created_at: DateTimeUtc,
        pub last_renewed_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub ended_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A staff login: its token's `sid`; ended by logging out.
pub mod staff_session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub staff_user_id: Uuid,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub ended_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An applicant's draft: answers saved as they go, not yet a case.
pub mod draft {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "drafts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub service_id: Uuid,
        pub form_version_id: Uuid,
        pub form_version: i32,
        pub personnummer: String,
        pub answers: Json,
        pub current_page: Option<String>,
        pub reanswer: Json,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An uploaded file (the bytes are on disk, named by the id).
pub mod upload {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "uploads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub personnummer: Option<String>,
        pub owner_token_hash: Option<String>,
        pub name: String,
        pub content_type: String,
        pub size: i64,
        pub sha256: String,
        pub case_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An item of the transactional outbox: a mail to send.
pub mod outbox {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(unique)]
        pub message_id: String,
        pub channel: String,
        pub event: String,
        pub template: String,
        pub recipient: String,
        pub language: String,
        pub service_id: Option<Uuid>,
        pub case_id: Option<Uuid>,
        pub payload: Json,
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub locked_until: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
        pub claim_token: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A message between the applicant and the handlers of a case.
pub mod case_message {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_messages")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub author_kind: String,
        pub staff_user_id: Option<Uuid>,
        pub body: String,
        pub sent_at: DateTimeUtc,
        pub read_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A handler's request that the applicant supplement a case, and the answer.
pub mod case_supplement {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_supplements")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub requested_by: Uuid,
        pub message: String,
        pub fields: Json,
        pub return_status_key: String,
        pub requested_at: DateTimeUtc,
        pub answered_at: Option<DateTimeUtc>,
        pub changes: Option<Json>,
        pub closed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An internal note on a case: staff only.
pub mod case_note {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_notes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub staff_user_id: Uuid,
        pub body: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A document staff attached to a case (the bytes are in the documents store, under the id).
pub mod case_document {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_documents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub kind: String,
        pub name: String,
        pub content_type: String,
        pub size: i64,
        pub sha256: String,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One download of a case document.
pub mod document_download {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "document_downloads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub document_id: Uuid,
        pub downloaded_by: String,
        pub staff_user_id: Option<Uuid>,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A file sent with a message: an applicant's upload or a handler's file.
pub mod message_attachment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "message_attachments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub message_id: Option<Uuid>,
        pub store: String,
        pub name: String,
        pub content_type: String,
        pub size: i64,
        pub sha256: String,
        pub staff_user_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One download of a file an applicant sent with their case (an upload it took).
pub mod upload_download {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "upload_downloads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub upload_id: Uuid,
        pub downloaded_by: String,
        pub staff_user_id: Option<Uuid>,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One download of a message attachment.
pub mod message_attachment_download {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "message_attachment_downloads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub attachment_id: Uuid,
        pub downloaded_by: String,
        pub staff_user_id: Option<Uuid>,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// What remains of a purged case: no personal data.
pub mod purge_record {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "purge_records")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(unique)]
        pub case_id: Uuid,
        #[sea_orm(unique)]
        pub reference: String,
        pub service_id: Uuid,
        pub rule: String,
        pub days: i32,
        pub submitted_on: Date,
        pub closed_on: Option<Date>,
        pub purged_at: DateTimeUtc,
        pub counts: Json,
        pub access_log: String,
        pub run_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A stored file to remove (after the commit that dropped its record), retried until it is gone.
pub mod file_deletion {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "file_deletions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub store: String,
        pub file_key: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One run of the purge job.
pub mod retention_run {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "retention_runs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub trigger: String,
        pub as_of: DateTimeUtc,
        pub started_at: DateTimeUtc,
        pub finished_at: Option<DateTimeUtc>,
        pub cases_purged: i64,
        pub drafts_deleted: i64,
        pub loose_files_deleted: i64,
        pub sessions_deleted: i64,
        pub files_deleted: i64,
        pub case_failures: i64,
        pub file_failures: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A required signature of a case and, once signed, its evidence.
pub mod case_signature {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_signatures")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        /// `applicant` or `co_signer`.
        pub role: String,
        /// 0 for the applicant, then the co-signers in order.
        pub position: i32,
        /// Who must sign (12 digits).
        pub personnummer: String,
        pub name: Option<String>,
        /// The co-signer's notice address, if given.
        pub email: Option<String>,
        /// `pending`, `signed`, `declined` or `expired`.
        pub state: String,
        /// The text shown in the BankID app.
        pub summary: String,
        /// SHA-256 (hex) of the answers signed.
        pub digest: String,
        pub requested_at: DateTimeUtc,
        /// The e-ID used, e.g. `BankID`.
        pub provider: Option<String>,
        /// BankID's signature (base64 XML).
        pub signature: Option<String>,
        /// BankID's OCSP response (base64).
        pub ocsp_response: Option<String>,
        pub signed_at: Option<DateTimeUtc>,
        pub decided_at: Option<DateTimeUtc>,
        pub decline_message: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
