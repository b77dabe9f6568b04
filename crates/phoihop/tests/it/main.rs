//! Integration tests: the real application, in-process, over HTTP, on a fresh database
//! each (SQLite by default, PostgreSQL when PHOIHOP_TEST_DATABASE_URL is set).

mod admin;
mod api_contract;
mod attachments;
mod auth;
mod backup;
mod calendar;
mod case_pages;
mod cases;
mod cli;
mod collaborators;
mod complaints;
mod connections;
mod holiday_rules;
mod nodes;
mod notify;
mod opinion_reports;
mod retention;
mod search;
mod search_ranking;
mod support;
