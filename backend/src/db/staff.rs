//! Staff accounts and their per-service permissions.

use chrono::Utc;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};
use shared::api::{StaffRole, StaffUserView};

use super::Db;
use super::entity::{service, service_permission, staff_user};

/// A staff account as the auth layer needs it.
#[derive(Debug, Clone)]
pub struct StaffAccount {
    /// Id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Roles.
    pub roles: Vec<StaffRole>,
}

/// A new account, validated, with its password already hashed.
#[derive(Debug, Clone)]
pub struct NewStaff {
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// E-mail.
    pub email: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Roles.
    pub roles: Vec<StaffRole>,
}

fn roles_to_string(roles: &[StaffRole]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

fn roles_parse(s: &str) -> Vec<StaffRole> {
    s.split(',').filter_map(StaffRole::parse).collect()
}

async fn services_of(db: &Db, staff_id: Uuid) -> Result<Vec<String>, DbErr> {
    let ids: Vec<Uuid> = service_permission::Entity::find()
        .filter(service_permission::Column::StaffUserId.eq(staff_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.service_id)
        .collect();
    Ok(service::Entity::find()
        .filter(service::Column::Id.is_in(ids))
        .order_by_asc(service::Column::Slug)
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect())
}

async fn view(db: &Db, m: staff_user::Model) -> Result<StaffUserView, DbErr> {
    Ok(StaffUserView {
        services: services_of(db, m.id).await?,
        id: m.id,
        username: m.username,
        display_name: m.display_name,
        email: m.email,
        roles: roles_parse(&m.roles),
    })
}

/// Creates an account; `Ok(None)` when the user name is taken.
pub async fn create(db: &Db, n: NewStaff) -> Result<Option<StaffUserView>, DbErr> {
    let am = staff_user::ActiveModel {
        id: Set(Uuid::now_v7()),
        username: Set(n.username),
        display_name: Set(n.display_name),
        email: Set(n.email),
        password_hash: Set(n.password_hash),
        roles: Set(roles_to_string(&n.roles)),
        created_at: Set(Utc::now()),
    };
    match am.insert(db).await {
        Ok(m) => view(db, m).await.map(Some),
        Err(e) if super::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// All accounts, by user name.
pub async fn list(db: &Db) -> Result<Vec<StaffUserView>, DbErr> {
    let mut out = Vec::new();
    for m in staff_user::Entity::find().order_by_asc(staff_user::Column::Username).all(db).await? {
        out.push(view(db, m).await?);
    }
    Ok(out)
}

/// One account as the API shows it.
pub async fn get_view(db: &Db, id: Uuid) -> Result<Option<StaffUserView>, DbErr> {
    match staff_user::Entity::find_by_id(id).one(db).await? {
        Some(m) => view(db, m).await.map(Some),
        None => Ok(None),
    }
}

fn account(m: staff_user::Model) -> StaffAccount {
    StaffAccount {
        roles: roles_parse(&m.roles),
        id: m.id,
        username: m.username,
        display_name: m.display_name,
        password_hash: m.password_hash,
    }
}

/// An account by login name.
pub async fn find_by_username(db: &Db, username: &str) -> Result<Option<StaffAccount>, DbErr> {
    Ok(staff_user::Entity::find().filter(staff_user::Column::Username.eq(username)).one(db).await?.map(account))
}

/// An account by id.
pub async fn find_by_id(db: &Db, id: Uuid) -> Result<Option<StaffAccount>, DbErr> {
    Ok(staff_user::Entity::find_by_id(id).one(db).await?.map(account))
}

/// True when some account has the platform admin role.
pub async fn admin_exists(db: &Db) -> Result<bool, DbErr> {
    Ok(staff_user::Entity::find()
        .all(db)
        .await?
        .iter()
        .any(|m| roles_parse(&m.roles).contains(&StaffRole::PlatformAdmin)))
}

/// Permits an account on a service (idempotent).
/// A permission given is recorded (`entry`, on the service `slug`) in the builder's log.
pub async fn grant(
    db: &Db,
    service_id: Uuid,
    staff_id: Uuid,
    slug: &str,
    entry: super::builder_audit::Entry<'_>,
) -> Result<(), DbErr> {
    let txn = super::begin_write(db).await?;
    let exists = service_permission::Entity::find_by_id((service_id, staff_id)).one(&txn).await?.is_some();
    if !exists {
        let inserted = service_permission::ActiveModel {
            service_id: Set(service_id),
            staff_user_id: Set(staff_id),
            granted_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await;
        match inserted {
            Ok(_) => {}
            // A grant at the same moment got there first: granted either way.
            Err(e) if super::is_unique_violation(&e) => return Ok(()),
            Err(e) => return Err(e),
        }
        super::builder_audit::record(&txn, slug, entry).await?;
        txn.commit().await?;
    }
    Ok(())
}

/// Withdraws an account's permission on a service (idempotent).
/// A permission withdrawn is recorded (`entry`, on the service `slug`) in the builder's log.
pub async fn revoke(
    db: &Db,
    service_id: Uuid,
    staff_id: Uuid,
    slug: &str,
    entry: super::builder_audit::Entry<'_>,
) -> Result<(), DbErr> {
    let txn = super::begin_write(db).await?;
    let res = service_permission::Entity::delete_many()
        .filter(service_permission::Column::ServiceId.eq(service_id))
        .filter(service_permission::Column::StaffUserId.eq(staff_id))
        .exec(&txn)
        .await?;
    if res.rows_affected > 0 {
        super::builder_audit::record(&txn, slug, entry).await?;
        txn.commit().await?;
    }
    Ok(())
}

/// Ids of the services an account is permitted on.
pub async fn permitted_service_ids(db: &Db, staff_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    Ok(service_permission::Entity::find()
        .filter(service_permission::Column::StaffUserId.eq(staff_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.service_id)
        .collect())
}

/// True when the account is permitted on the service.
pub async fn is_permitted(db: &Db, service_id: Uuid, staff_id: Uuid) -> Result<bool, DbErr> {
    Ok(service_permission::Entity::find_by_id((service_id, staff_id)).one(db).await?.is_some())
}

/// The handlers permitted on a service, by name: who a case of it can be assigned to.
pub async fn handlers_on(db: &Db, service_id: Uuid) -> Result<Vec<(Uuid, String)>, DbErr> {
    let ids: Vec<Uuid> = service_permission::Entity::find()
        .filter(service_permission::Column::ServiceId.eq(service_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.staff_user_id)
        .collect();
    Ok(staff_user::Entity::find()
        .filter(staff_user::Column::Id.is_in(ids))
        .order_by_asc(staff_user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .filter(|m| roles_parse(&m.roles).contains(&StaffRole::Handler))
        .map(|m| (m.id, m.display_name))
        .collect())
}
