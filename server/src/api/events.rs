//! `GET /api/v1/app/events`: what the application is told, as Server-Sent Events (with
//! `Accept: text/event-stream`) or as one JSON answer, at once or after a long poll (`wait`).

use super::extract::Query;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use backend::service::{AppEvent, EventBatch, EventWaiter, StreamSlot};
use backend::{Caller, Services};
use domain::EventCursor;
use std::collections::VecDeque;
use std::time::Duration;

use super::ApiState;
use super::auth::Bearer;
use super::error::{ApiResult, ErrorBody};
pub use api_types::applications::{EventJson, EventPageJson, EventParams};

/// The longest long poll.
const MAX_WAIT: u32 = 60;
/// A comment on an idle stream, so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The application's events: each secret it tracks that has a newer revision (`secret-changed`),
/// grants revoked (`access-revoked`), secrets removed (`secret-removed`), and `resync` when its
/// cursor is older than the log keeps. On connecting it is first told of every secret it is
/// behind on, so a consumer that was away heals.
#[utoipa::path(get, path = "/api/v1/app/events", params(EventParams), tag = "applications",
    responses((status = 200, body = EventPageJson, description = "The events; with `Accept: text/event-stream`, a stream of them, each with its `id` as the SSE id"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "The token already holds as many open streams or long polls on this node as it may (8 by default), or its application does (256)")))]
pub async fn events(
    State(s): State<ApiState>,
    Bearer(caller): Bearer,
    headers: HeaderMap,
    Query(p): Query<EventParams>,
) -> ApiResult<Response> {
    let cursor = last_event_id(&headers)?.or(p.since);
    // Asked again before each later look at the log: a token revoked meanwhile ends the wait.
    let token = super::auth::bearer_token(&headers)
        .unwrap_or_default()
        .to_owned();
    let slot = s.services.open_event_stream(&caller, &token)?;
    let waiter = s.services.event_waiter();
    let first = s
        .services
        .app_events(&caller, cursor.as_ref(), true)
        .await?;
    let mut consumer = Consumer {
        services: s.services.clone(),
        caller,
        token,
        waiter,
        cursor: first.next.clone(),
        pending: VecDeque::new(),
        _slot: slot,
    };
    if wants_stream(&headers) {
        consumer.pending = first.events.into();
        let sse =
            Sse::new(consumer.into_stream()).keep_alive(KeepAlive::new().interval(KEEP_ALIVE));
        return Ok(sse.into_response());
    }
    let wait = Duration::from_secs(u64::from(p.wait.unwrap_or(0).min(MAX_WAIT)));
    let deadline = tokio::time::Instant::now() + wait;
    let mut batch = first;
    // A shutdown answers the poll at once, as it ends the streams.
    while batch.events.is_empty()
        && tokio::time::Instant::now() < deadline
        && !consumer.waiter.closing()
    {
        consumer.waiter.wait(deadline).await;
        batch = consumer.look().await?;
    }
    Ok(Json(page(batch)).into_response())
}

fn wants_stream(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("text/event-stream"))
}

/// The `Last-Event-ID` an `EventSource` sends when it reconnects; a malformed one is refused
/// like a malformed `since`.
fn last_event_id(headers: &HeaderMap) -> ApiResult<Option<EventCursor>> {
    let Some(value) = headers.get("last-event-id") else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    Ok(Some(EventCursor::parse(text)?))
}

fn event_json(e: AppEvent) -> EventJson {
    EventJson {
        id: e.cursor,
        kind: e.kind,
        uri: e.secret.as_ref().map(domain::SecretId::to_uri),
        revision: e.revision.map(domain::RevisionNumber::get),
        secret: e.secret,
    }
}

fn page(batch: EventBatch) -> EventPageJson {
    EventPageJson {
        events: batch.events.into_iter().map(event_json).collect(),
        next: batch.next,
    }
}

/// One connected consumer: where it stands in the log and what is yet to be sent.
struct Consumer {
    services: Services,
    caller: Caller,
    /// The bearer token it came with.
    token: String,
    waiter: EventWaiter,
    cursor: EventCursor,
    pending: VecDeque<AppEvent>,
    /// Held while the stream or the long poll is open (`StreamLimits`).
    _slot: StreamSlot,
}

impl Consumer {
    /// The events after its cursor, if its token still stands; moves the cursor.
    async fn look(&mut self) -> Result<EventBatch, backend::ServiceError> {
        self.services.authenticate_token(&self.token).await?;
        let batch = self
            .services
            .app_events(&self.caller, Some(&self.cursor), false)
            .await?;
        self.cursor = batch.next.clone();
        Ok(batch)
    }

    /// The stream ends when its token is revoked, and when the database fails (the consumer
    /// reconnects with its `Last-Event-ID` and misses nothing).
    fn into_stream(
        self,
    ) -> impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>> {
        futures_util::stream::unfold(self, |mut c| async move {
            loop {
                if let Some(e) = c.pending.pop_front() {
                    return Some((Ok(sse_event(e)), c));
                }
                let forever = tokio::time::Instant::now() + Duration::from_secs(3600);
                c.waiter.wait(forever).await;
                if c.waiter.closing() {
                    return None;
                }
                let batch = c.look().await.ok()?;
                c.pending.extend(batch.events);
            }
        })
    }
}

fn sse_event(e: AppEvent) -> Event {
    let cursor = e.cursor.clone();
    let kind = e.kind;
    let json = serde_json::to_string(&event_json(e)).unwrap_or_default();
    let event = Event::default().event(kind.as_str()).data(json);
    match cursor {
        Some(c) => event.id(c.as_str()),
        None => event,
    }
}
