//! Services, their form versions and the public catalogue.

use chrono::Utc;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, PaginatorTrait, QueryOrder, QuerySelect};
use shared::api::{
    BuilderAction, CatalogueEntry, CatalogueService, FormVersionState, FormVersionView, IdentityRequirement,
    ServiceEnglish, ServiceState, ServiceView,
};
use shared::signing::SigningSettings;
use shared::{FormDefinition, StatusDefinition};

use super::Db;
use super::builder_audit::{self, Entry};
use super::entity::{form_version, service};

/// A service's validated fields, ready to store.
#[derive(Debug, Clone)]
pub struct ServiceRecord {
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Target group.
    pub audience: String,
    /// First page text.
    pub first_page_text: String,
    /// Last page text.
    pub last_page_text: String,
    /// The receipt's heading in the service's words.
    pub receipt_heading: Option<String>,
    /// Privacy notice.
    pub privacy_text: String,
    /// Confirmation e-mail subject.
    pub confirmation_email_subject: String,
    /// Confirmation e-mail body.
    pub confirmation_email_body: String,
    /// Confirmation e-mail subject in English, if written.
    pub confirmation_email_subject_en: Option<String>,
    /// Confirmation e-mail body in English, if written.
    pub confirmation_email_body_en: Option<String>,
    /// Functional mailbox.
    pub handler_mailbox: String,
    /// e-ID or anonymous allowed.
    pub identity: IdentityRequirement,
    /// Retention days after closing.
    pub retention_days_after_closing: u32,
    /// The service's own period for drafts, if any.
    pub retention_days_for_drafts: Option<u32>,
    /// The service's own period for cases awaiting signatures, if any.
    pub retention_days_awaiting_signatures: Option<u32>,
    /// The status list.
    pub statuses: Vec<StatusDefinition>,
    /// The signing settings (checked).
    pub signing: SigningSettings,
    /// The texts written in English (checked).
    pub english: ServiceEnglish,
}

/// The internal id and status list of a service, for permission checks and status changes.
#[derive(Debug, Clone)]
pub struct ServiceRef {
    /// Internal id.
    pub id: Uuid,
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// e-ID or anonymous.
    pub identity: IdentityRequirement,
    /// Status list.
    pub statuses: Vec<StatusDefinition>,
    /// Current published form version.
    pub published_version: Option<u32>,
    /// The handlers' functional mailbox.
    pub handler_mailbox: String,
    /// Days after closing before a case is purged.
    pub retention_days: u32,
    /// The signing settings.
    pub signing: SigningSettings,
}

fn identity_str(i: IdentityRequirement) -> &'static str {
    match i {
        IdentityRequirement::EId => "e_id",
        IdentityRequirement::AnonymousAllowed => "anonymous_allowed",
    }
}

fn identity_parse(s: &str) -> IdentityRequirement {
    if s == "anonymous_allowed" { IdentityRequirement::AnonymousAllowed } else { IdentityRequirement::EId }
}

/// A service's stored status list (an error, never an empty list, when it cannot be read).
pub(super) fn statuses_of(m: &service::Model) -> Result<Vec<StatusDefinition>, DbErr> {
    serde_json::from_value(m.statuses.clone()).map_err(|e| DbErr::Custom(format!("stored status list: {e}")))
}

/// A service's stored signing settings: none stored means no signing.
pub fn signing_of(stored: &Option<sea_orm::JsonValue>) -> Result<SigningSettings, DbErr> {
    match stored {
        None => Ok(SigningSettings::default()),
        Some(v) => {
            serde_json::from_value(v.clone()).map_err(|e| DbErr::Custom(format!("stored signing settings: {e}")))
        }
    }
}

/// A service's stored English texts: none stored means none written.
fn english_of(v: &Option<sea_orm::JsonValue>) -> Result<ServiceEnglish, DbErr> {
    v.as_ref().map_or(Ok(ServiceEnglish::default()), |v| {
        serde_json::from_value(v.clone()).map_err(|e| DbErr::Custom(format!("stored English texts: {e}")))
    })
}

fn english_value(e: &ServiceEnglish) -> Result<Option<sea_orm::JsonValue>, DbErr> {
    if e.is_empty() {
        return Ok(None);
    }
    serde_json::to_value(e).map(Some).map_err(|e| DbErr::Custom(e.to_string()))
}

fn signing_value(s: &SigningSettings) -> Result<Option<sea_orm::JsonValue>, DbErr> {
    if *s == SigningSettings::default() {
        return Ok(None);
    }
    serde_json::to_value(s).map(Some).map_err(|e| DbErr::Custom(e.to_string()))
}

fn view(m: service::Model) -> Result<ServiceView, DbErr> {
    Ok(ServiceView {
        statuses: statuses_of(&m)?,
        signing: signing_of(&m.signing)?,
        english: english_of(&m.english)?,
        id: m.id,
        slug: m.slug,
        name: m.name,
        audience: m.audience,
        first_page_text: m.first_page_text,
        last_page_text: m.last_page_text,
        receipt_heading: m.receipt_heading,
        privacy_text: m.privacy_text,
        confirmation_email_subject: m.confirmation_email_subject,
        confirmation_email_body: m.confirmation_email_body,
        confirmation_email_subject_en: m.confirmation_email_subject_en,
        confirmation_email_body_en: m.confirmation_email_body_en,
        handler_mailbox: m.handler_mailbox,
        identity: identity_parse(&m.identity),
        retention_days_after_closing: m.retention_days_after_closing.max(0) as u32,
        retention_days_for_drafts: m.retention_days_for_drafts.map(|d| d.max(0) as u32),
        retention_days_awaiting_signatures: m.retention_days_awaiting_signatures.map(|d| d.max(0) as u32),
        // The platform's defaults are filled in by `retention::complete`.
        retention: shared::api::RetentionRules {
            days_after_closing: m.retention_days_after_closing.max(0) as u32,
            days_for_drafts: m.retention_days_for_drafts.map_or(0, |d| d.max(0) as u32),
            days_awaiting_signatures: m.retention_days_awaiting_signatures.map_or(0, |d| d.max(0) as u32),
        },
        published_version: m.published_version.map(|v| v.max(0) as u32),
        state: match (m.published_version, m.first_published_at) {
            (Some(_), _) => ServiceState::Published,
            (None, Some(_)) => ServiceState::Unpublished,
            (None, None) => ServiceState::Draft,
        },
        revision: m.revision.max(0) as u32,
        updated_by: m.updated_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Who saved a service or form version last, and when: what a refused save (a stale
/// revision) is told.
#[derive(Debug, Clone)]
pub struct Changed {
    /// The revision it has now.
    pub revision: u32,
    /// Who saved it (none before the builder recorded it).
    pub by: Option<String>,
    /// When.
    pub at: chrono::DateTime<Utc>,
}

/// What a save did.
#[derive(Debug)]
pub enum Saved<T> {
    /// Saved.
    Done(T),
    /// No such service.
    NotFound,
    /// Someone saved a newer revision than the one the save was made from: nothing changed.
    Stale(Changed),
}

/// Inserts a service, recording `entry` in the builder's log; `Ok(None)` when the slug is taken.
pub async fn create(db: &Db, r: ServiceRecord, entry: Entry<'_>) -> Result<Option<ServiceView>, DbErr> {
    let txn = super::begin_write(db).await?;
    let Some(view) = insert(&txn, r, entry.by).await? else {
        return Ok(None);
    };
    builder_audit::record(&txn, &view.slug, entry).await?;
    txn.commit().await?;
    Ok(Some(view))
}

/// Inserts a service in the caller's transaction; `Ok(None)` when the slug is taken.
async fn insert(txn: &impl ConnectionTrait, r: ServiceRecord, by: &str) -> Result<Option<ServiceView>, DbErr> {
    let now = Utc::now();
    let am = service::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(r.slug),
        name: Set(r.name),
        audience: Set(r.audience),
        first_page_text: Set(r.first_page_text),
        last_page_text: Set(r.last_page_text),
        receipt_heading: Set(r.receipt_heading),
        privacy_text: Set(r.privacy_text),
        confirmation_email_subject: Set(r.confirmation_email_subject),
        confirmation_email_body: Set(r.confirmation_email_body),
        confirmation_email_subject_en: Set(r.confirmation_email_subject_en),
        confirmation_email_body_en: Set(r.confirmation_email_body_en),
        handler_mailbox: Set(r.handler_mailbox),
        identity: Set(identity_str(r.identity).to_string()),
        retention_days_after_closing: Set(r.retention_days_after_closing as i32),
        retention_days_for_drafts: Set(r.retention_days_for_drafts.map(|d| d as i32)),
        retention_days_awaiting_signatures: Set(r.retention_days_awaiting_signatures.map(|d| d as i32)),
        statuses: Set(serde_json::to_value(&r.statuses).map_err(|e| DbErr::Custom(e.to_string()))?),
        signing: Set(signing_value(&r.signing)?),
        english: Set(english_value(&r.english)?),
        published_version: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        revision: Set(1),
        updated_by: Set(Some(by.to_owned())),
        first_published_at: Set(None),
    };
    match am.insert(txn).await {
        Ok(m) => view(m).map(Some),
        Err(e) if super::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Replaces a service's fields (the slug stays), if its revision is still `expected` (when
/// given), recording the save in the builder's log.
pub async fn update(
    db: &Db,
    slug: &str,
    r: ServiceRecord,
    expected: Option<u32>,
    by: &str,
) -> Result<Saved<ServiceView>, DbErr> {
    let txn = super::begin_write(db).await?;
    let Some(m) = service::Entity::find().filter(service::Column::Slug.eq(slug)).lock_exclusive().one(&txn).await?
    else {
        return Ok(Saved::NotFound);
    };
    if expected.is_some_and(|e| e as i32 != m.revision) {
        return Ok(Saved::Stale(Changed { revision: m.revision.max(0) as u32, by: m.updated_by, at: m.updated_at }));
    }
    let revision = m.revision + 1;
    let mut am: service::ActiveModel = m.into();
    am.name = Set(r.name);
    am.audience = Set(r.audience);
    am.first_page_text = Set(r.first_page_text);
    am.last_page_text = Set(r.last_page_text);
    am.receipt_heading = Set(r.receipt_heading);
    am.privacy_text = Set(r.privacy_text);
    am.confirmation_email_subject = Set(r.confirmation_email_subject);
    am.confirmation_email_body = Set(r.confirmation_email_body);
    am.confirmation_email_subject_en = Set(r.confirmation_email_subject_en);
    am.confirmation_email_body_en = Set(r.confirmation_email_body_en);
    am.handler_mailbox = Set(r.handler_mailbox);
    am.identity = Set(identity_str(r.identity).to_string());
    am.retention_days_after_closing = Set(r.retention_days_after_closing as i32);
    am.retention_days_for_drafts = Set(r.retention_days_for_drafts.map(|d| d as i32));
    am.retention_days_awaiting_signatures = Set(r.retention_days_awaiting_signatures.map(|d| d as i32));
    am.statuses = Set(serde_json::to_value(&r.statuses).map_err(|e| DbErr::Custom(e.to_string()))?);
    am.english = Set(english_value(&r.english)?);
    am.signing = Set(signing_value(&r.signing)?);
    am.updated_at = Set(Utc::now());
    am.revision = Set(revision);
    am.updated_by = Set(Some(by.to_owned()));
    let view = view(am.update(&txn).await?)?;
    builder_audit::record(&txn, slug, Entry::new(by, BuilderAction::SaveSettings)).await?;
    txn.commit().await?;
    Ok(Saved::Done(view))
}

/// A new service from another's settings (`r`, with its own URL name and name) and, when
/// given, a form definition as its draft version 1, recording the copy in the builder's log;
/// `Ok(None)` when the URL name is taken.
pub async fn copy(
    db: &Db,
    from: &str,
    r: ServiceRecord,
    definition: Option<&FormDefinition>,
    by: &str,
) -> Result<Option<ServiceView>, DbErr> {
    let txn = super::begin_write(db).await?;
    let Some(view) = insert(&txn, r, by).await? else {
        return Ok(None);
    };
    if let Some(def) = definition {
        insert_version(&txn, view.id, 1, def, by).await?;
    }
    builder_audit::record(&txn, &view.slug, Entry::new(by, BuilderAction::CopyService).with_detail(from)).await?;
    txn.commit().await?;
    Ok(Some(view))
}

/// All services, by name.
pub async fn list(db: &Db) -> Result<Vec<ServiceView>, DbErr> {
    service::Entity::find().order_by_asc(service::Column::Name).all(db).await?.into_iter().map(view).collect()
}

/// Services with these ids, by name.
pub async fn list_by_ids(db: &Db, ids: &[Uuid]) -> Result<Vec<ServiceView>, DbErr> {
    service::Entity::find()
        .filter(service::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(service::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(view)
        .collect()
}

/// One service by slug.
pub async fn get(db: &Db, slug: &str) -> Result<Option<ServiceView>, DbErr> {
    service::Entity::find().filter(service::Column::Slug.eq(slug)).one(db).await?.map(view).transpose()
}

/// A service by id.
pub async fn get_by_id(db: &Db, id: Uuid) -> Result<Option<ServiceView>, DbErr> {
    service::Entity::find_by_id(id).one(db).await?.map(view).transpose()
}

fn service_ref(m: service::Model) -> Result<ServiceRef, DbErr> {
    Ok(ServiceRef {
        statuses: statuses_of(&m)?,
        signing: signing_of(&m.signing)?,
        id: m.id,
        slug: m.slug,
        name: m.name,
        identity: identity_parse(&m.identity),
        published_version: m.published_version.map(|v| v.max(0) as u32),
        handler_mailbox: m.handler_mailbox,
        retention_days: m.retention_days_after_closing.max(0) as u32,
    })
}

/// A service's id, status list and published version, by slug.
pub async fn get_ref(db: &impl ConnectionTrait, slug: &str) -> Result<Option<ServiceRef>, DbErr> {
    service::Entity::find().filter(service::Column::Slug.eq(slug)).one(db).await?.map(service_ref).transpose()
}

/// A service's id, status list and published version, by id.
pub async fn get_ref_by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ServiceRef>, DbErr> {
    service::Entity::find_by_id(id).one(db).await?.map(service_ref).transpose()
}

fn version_view(slug: &str, m: form_version::Model) -> Result<FormVersionView, DbErr> {
    Ok(FormVersionView {
        service: slug.to_string(),
        version: m.version.max(0) as u32,
        state: if m.state == "published" { FormVersionState::Published } else { FormVersionState::Draft },
        definition: serde_json::from_value(m.definition).map_err(|e| DbErr::Custom(format!("stored form: {e}")))?,
        created_at: m.created_at,
        published_at: m.published_at,
        revision: m.revision.max(0) as u32,
        updated_at: m.updated_at,
        created_by: m.created_by,
        updated_by: m.updated_by,
        published_by: m.published_by,
        publish_note: m.publish_note,
    })
}

/// What happened to a request on a form version.
#[derive(Debug)]
pub enum VersionOutcome<T> {
    /// Done.
    Done(T),
    /// No such service or version.
    NotFound,
    /// The version is published and cannot change.
    Published,
    /// Someone saved a newer revision than the one the save was made from: nothing changed.
    Stale(Changed),
    /// The change is not one the caller may make of the stored version: nothing changed.
    Refused,
}

/// Creates the next draft version of a service's form, recording `entry` (a new version or a
/// restored one) in the builder's log; `Ok(None)` when `allowed` refuses it, given the newest
/// version as it is under the service's row lock (none for a service without a form).
pub async fn create_version(
    db: &Db,
    service_id: Uuid,
    slug: &str,
    def: &FormDefinition,
    entry: Entry<'_>,
    allowed: impl FnOnce(Option<&FormDefinition>) -> bool,
) -> Result<Option<FormVersionView>, DbErr> {
    let txn = super::begin_write(db).await?;
    // The service's row lock: two creations take their numbers one after the other.
    service::Entity::find_by_id(service_id).lock_exclusive().one(&txn).await?;
    let newest = form_version::Entity::find()
        .filter(form_version::Column::ServiceId.eq(service_id))
        .order_by_desc(form_version::Column::Version)
        .one(&txn)
        .await?;
    let newest_definition: Option<FormDefinition> = newest
        .as_ref()
        .map(|m| serde_json::from_value(m.definition.clone()).map_err(|e| DbErr::Custom(format!("stored form: {e}"))))
        .transpose()?;
    if !allowed(newest_definition.as_ref()) {
        return Ok(None);
    }
    let last = newest.map(|m| m.version).unwrap_or(0);
    let m = insert_version(&txn, service_id, last + 1, def, entry.by).await?;
    builder_audit::record(&txn, slug, entry.on_version((last + 1).max(0) as u32)).await?;
    txn.commit().await?;
    version_view(slug, m).map(Some)
}

/// Inserts a draft version in the caller's transaction.
async fn insert_version(
    txn: &impl ConnectionTrait,
    service_id: Uuid,
    version: i32,
    def: &FormDefinition,
    by: &str,
) -> Result<form_version::Model, DbErr> {
    form_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        service_id: Set(service_id),
        version: Set(version),
        state: Set("draft".into()),
        definition: Set(serde_json::to_value(def).map_err(|e| DbErr::Custom(e.to_string()))?),
        created_at: Set(Utc::now()),
        published_at: Set(None),
        revision: Set(1),
        updated_at: Set(None),
        created_by: Set(Some(by.to_owned())),
        updated_by: Set(None),
        published_by: Set(None),
        publish_note: Set(None),
    }
    .insert(txn)
    .await
}

/// All versions of a service's form, newest first.
pub async fn list_versions(db: &Db, service_id: Uuid, slug: &str) -> Result<Vec<FormVersionView>, DbErr> {
    form_version::Entity::find()
        .filter(form_version::Column::ServiceId.eq(service_id))
        .order_by_desc(form_version::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(|m| version_view(slug, m))
        .collect()
}

fn version_query(service_id: Uuid, version: u32) -> sea_orm::Select<form_version::Entity> {
    form_version::Entity::find()
        .filter(form_version::Column::ServiceId.eq(service_id))
        .filter(form_version::Column::Version.eq(version as i32))
}

async fn find_version(
    db: &impl ConnectionTrait,
    service_id: Uuid,
    version: u32,
) -> Result<Option<form_version::Model>, DbErr> {
    version_query(service_id, version).one(db).await
}

/// One version of a service's form.
pub async fn get_version(
    db: &Db,
    service_id: Uuid,
    slug: &str,
    version: u32,
) -> Result<Option<FormVersionView>, DbErr> {
    find_version(db, service_id, version).await?.map(|m| version_view(slug, m)).transpose()
}

/// Replaces a draft version's definition, if its revision is still `expected` (when given),
/// recording the save in the builder's log; published versions are immutable.
pub async fn update_version(
    db: &Db,
    service: &ServiceRef,
    version: u32,
    def: &FormDefinition,
    expected: Option<u32>,
    by: &str,
    allowed: impl FnOnce(&FormDefinition) -> bool,
) -> Result<VersionOutcome<FormVersionView>, DbErr> {
    let (service_id, slug) = (service.id, service.slug.as_str());
    let txn = super::begin_write(db).await?;
    let Some(m) = find_version_locked(&txn, service_id, version).await? else {
        return Ok(VersionOutcome::NotFound);
    };
    if m.state != "draft" {
        return Ok(VersionOutcome::Published);
    }
    if expected.is_some_and(|e| e as i32 != m.revision) {
        return Ok(VersionOutcome::Stale(Changed {
            revision: m.revision.max(0) as u32,
            by: m.updated_by.or(m.created_by),
            at: m.updated_at.unwrap_or(m.created_at),
        }));
    }
    let stored: FormDefinition =
        serde_json::from_value(m.definition.clone()).map_err(|e| DbErr::Custom(format!("stored form: {e}")))?;
    if !allowed(&stored) {
        return Ok(VersionOutcome::Refused);
    }
    let revision = m.revision + 1;
    let mut am: form_version::ActiveModel = m.into();
    am.definition = Set(serde_json::to_value(def).map_err(|e| DbErr::Custom(e.to_string()))?);
    am.revision = Set(revision);
    am.updated_at = Set(Some(Utc::now()));
    am.updated_by = Set(Some(by.to_owned()));
    let m = am.update(&txn).await?;
    builder_audit::record(&txn, slug, Entry::new(by, BuilderAction::SaveVersion).on_version(version)).await?;
    txn.commit().await?;
    Ok(VersionOutcome::Done(version_view(slug, m)?))
}

/// [`find_version`] under the version's row lock (in the caller's transaction).
async fn find_version_locked(
    txn: &impl ConnectionTrait,
    service_id: Uuid,
    version: u32,
) -> Result<Option<form_version::Model>, DbErr> {
    version_query(service_id, version).lock_exclusive().one(txn).await
}

/// Publishes a version: a draft becomes immutable and the one applicants fill
/// in; a version published before (after the service was unpublished, or an
/// older one) becomes the one applicants fill in again. `Published` when the
/// version is the current one already. Under the service's row lock, so that
/// a deletion cannot race it.
pub async fn publish_version(
    db: &Db,
    service_id: Uuid,
    slug: &str,
    version: u32,
    note: Option<&str>,
    by: &str,
) -> Result<VersionOutcome<FormVersionView>, DbErr> {
    let txn = super::begin_write(db).await?;
    let Some(s) = service::Entity::find_by_id(service_id).lock_exclusive().one(&txn).await? else {
        return Ok(VersionOutcome::NotFound);
    };
    let Some(m) = find_version(&txn, service_id, version).await? else {
        return Ok(VersionOutcome::NotFound);
    };
    let now = Utc::now();
    let m = if m.state == "draft" {
        let mut am: form_version::ActiveModel = m.into();
        am.state = Set("published".into());
        am.published_at = Set(Some(now));
        am.published_by = Set(Some(by.to_owned()));
        am.publish_note = Set(note.map(str::to_owned));
        am.update(&txn).await?
    } else if s.published_version == Some(version as i32) {
        return Ok(VersionOutcome::Published);
    } else {
        m
    };
    service::Entity::update_many()
        .col_expr(service::Column::PublishedVersion, Expr::value(version as i32))
        .col_expr(service::Column::UpdatedAt, Expr::value(now))
        .col_expr(service::Column::FirstPublishedAt, Expr::value(s.first_published_at.unwrap_or(now)))
        .filter(service::Column::Id.eq(service_id))
        .exec(&txn)
        .await?;
    let mut entry = Entry::new(by, BuilderAction::PublishVersion).on_version(version);
    if let Some(note) = note {
        entry = entry.with_detail(note);
    }
    builder_audit::record(&txn, slug, entry).await?;
    txn.commit().await?;
    Ok(VersionOutcome::Done(version_view(slug, m)?))
}

/// Takes a service out of the catalogue: no new applications or drafts, and
/// drafts wait; its cases, form versions and permissions are unaffected.
/// Publishing a version again brings it back. `false` when there is no such service.
pub async fn unpublish(db: &Db, service_id: Uuid, slug: &str, by: &str) -> Result<bool, DbErr> {
    let txn = super::begin_write(db).await?;
    let res = service::Entity::update_many()
        .col_expr(service::Column::PublishedVersion, Expr::value(Option::<i32>::None))
        .col_expr(service::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(service::Column::Id.eq(service_id))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Ok(false);
    }
    builder_audit::record(&txn, slug, Entry::new(by, BuilderAction::UnpublishService)).await?;
    txn.commit().await?;
    Ok(true)
}

/// What a deletion of a service did.
#[derive(Debug, PartialEq, Eq)]
pub enum Deletion {
    /// Deleted, with its draft form versions and permissions.
    Deleted,
    /// A version of it has been published: it is kept (cases and purge records refer to it).
    WasPublished,
    /// No such service.
    NotFound,
}

/// Deletes a service that has never been published, under its row lock (a
/// concurrent publication waits for it, then finds nothing).
pub async fn delete_unpublished(db: &Db, service_id: Uuid, slug: &str, by: &str) -> Result<Deletion, DbErr> {
    let txn = super::begin_write(db).await?;
    if service::Entity::find_by_id(service_id).lock_exclusive().one(&txn).await?.is_none() {
        return Ok(Deletion::NotFound);
    }
    let published = form_version::Entity::find()
        .filter(form_version::Column::ServiceId.eq(service_id))
        .filter(form_version::Column::State.eq("published"))
        .count(&txn)
        .await?;
    if published > 0 {
        return Ok(Deletion::WasPublished);
    }
    // Foreign keys remove its draft versions and permissions with it.
    service::Entity::delete_by_id(service_id).exec(&txn).await?;
    builder_audit::record(&txn, slug, Entry::new(by, BuilderAction::DeleteService)).await?;
    txn.commit().await?;
    Ok(Deletion::Deleted)
}

/// The stored definition and id of a published version, for case submission.
pub async fn published_form(
    db: &impl ConnectionTrait,
    service_id: Uuid,
    version: u32,
) -> Result<Option<(Uuid, FormDefinition)>, DbErr> {
    let Some(m) = find_version(db, service_id, version).await? else {
        return Ok(None);
    };
    if m.state != "published" {
        return Ok(None);
    }
    let def = serde_json::from_value(m.definition).map_err(|e| DbErr::Custom(format!("stored form: {e}")))?;
    Ok(Some((m.id, def)))
}

/// Published services, by name.
pub async fn catalogue(db: &Db) -> Result<Vec<CatalogueEntry>, DbErr> {
    service::Entity::find()
        .filter(service::Column::PublishedVersion.is_not_null())
        .order_by_asc(service::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(CatalogueEntry {
                english: english_of(&m.english)?.name_and_audience(),
                identity: identity_parse(&m.identity),
                slug: m.slug,
                name: m.name,
                audience: m.audience,
            })
        })
        .collect()
}

/// A published service with its current form.
pub async fn catalogue_service(db: &Db, slug: &str) -> Result<Option<CatalogueService>, DbErr> {
    let Some(s) = service::Entity::find().filter(service::Column::Slug.eq(slug)).one(db).await? else {
        return Ok(None);
    };
    let Some(version) = s.published_version else {
        return Ok(None);
    };
    let Some((_, form)) = published_form(db, s.id, version.max(0) as u32).await? else {
        return Ok(None);
    };
    let signing = signing_of(&s.signing)?;
    let register_based =
        matches!(signing.co_signer_source(), Some(shared::signing::CoSignerSource::RegisterGuardians { .. }));
    Ok(Some(CatalogueService {
        english: english_of(&s.english)?,
        signing_contact_route: register_based.then(|| signing.contact_route().to_string()),
        signing: signing.requirement,
        identity: identity_parse(&s.identity),
        slug: s.slug,
        name: s.name,
        audience: s.audience,
        first_page_text: s.first_page_text,
        last_page_text: s.last_page_text,
        receipt_heading: s.receipt_heading,
        privacy_text: s.privacy_text,
        form_version: version.max(0) as u32,
        form,
    }))
}
