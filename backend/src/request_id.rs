//! The id of the request a use case serves. The HTTP edge runs each request inside `scope`; an
//! internal error then takes the request's id as its reference, so the id a user quotes finds
//! the request's log lines, and its answer's `x-request-id`.

use std::future::Future;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `work` as part of the request `id`.
pub fn scope<F: Future>(id: String, work: F) -> impl Future<Output = F::Output> {
    REQUEST_ID.scope(id, work)
}

/// The id of the request being served, if this task serves one.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// A new id: 128 random bits in hex.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
