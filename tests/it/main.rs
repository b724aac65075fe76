//! antq's end-to-end tests: one binary, see README.md.

mod support;

mod activities;
mod antt;
mod api_models;
mod api_registry;
mod authz;
mod cameras;
mod cli;
mod force;
mod interchange;
mod lineage;
mod movement;
mod official;
mod paging;
mod ratings;
mod reports;
mod reports_privacy;
mod scope_property;
mod security;
mod targets;
mod ui;
mod unit_changes;
