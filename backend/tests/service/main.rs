//! Service-layer tests on a real SQLite file: validation, the permission matrix, revision
//! semantics, encryption at rest and the audit chain.

mod access_changes;
mod audit;
mod checksums;
mod cli_approval;
mod due;
mod encryption;
mod permissions;
mod postgres;
mod provider_sign_in;
mod review_pages;
mod revisions;
mod sign_in;
mod support;
mod validation;
mod webhooks;
