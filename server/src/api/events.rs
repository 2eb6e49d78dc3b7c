//! `GET /api/v1/app/events`: what the application is told, as Server-Sent Events (with
//! `Accept: text/event-stream`) or as one JSON answer, at once or after a long poll (`wait`).

use super::extract::Query;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use backend::service::{AppEvent, EventBatch, Subscription};
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
    let (mut subscription, first) = s
        .services
        .subscribe_events(&caller, &token, cursor.as_ref())
        .await?;
    if wants_stream(&headers) {
        let sse = Sse::new(stream(subscription, first.events.into()))
            .keep_alive(KeepAlive::new().interval(KEEP_ALIVE));
        return Ok(sse.into_response());
    }
    let wait = Duration::from_secs(u64::from(p.wait.unwrap_or(0).min(MAX_WAIT)));
    let deadline = tokio::time::Instant::now() + wait;
    let batch = subscription.poll(first, deadline).await?;
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

/// The subscription's events as SSE, `pending` first. The stream ends when its token is revoked,
/// when the database fails (the consumer reconnects with its `Last-Event-ID` and misses
/// nothing), and at shutdown.
fn stream(
    subscription: Subscription,
    pending: VecDeque<AppEvent>,
) -> impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>> {
    futures_util::stream::unfold(
        (subscription, pending),
        |(mut sub, mut pending)| async move {
            loop {
                if let Some(e) = pending.pop_front() {
                    return Some((Ok(sse_event(e)), (sub, pending)));
                }
                let forever = tokio::time::Instant::now() + Duration::from_secs(3600);
                sub.wait(forever).await;
                if sub.closing() {
                    return None;
                }
                let batch = sub.look().await.ok()?;
                pending.extend(batch.events);
            }
        },
    )
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
