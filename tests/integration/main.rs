#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot set up must fail loudly")]

//! The integration suite: the app runs in-process on a random port against a
//! fresh database per test (SQLite by default; PostgreSQL with
//! `TEST_DATABASE=postgres`), driven through real HTTP.

mod helpers;

mod abuse;
mod admin;
mod auth;
mod bankid;
mod boundaries;
mod builder;
mod cases;
mod compose;
mod demo;
mod documents;
mod drafts;
mod edge;
mod faults;
mod follow;
mod forms;
mod handling;
mod health;
mod mail;
mod navet;
mod oidc;
mod openapi;
mod personal_data;
mod retention;
mod rules;
mod services;
mod signing;
mod signing_staff;
mod submission;
mod uploads;
