//! An application's open subscription to its events (a Server-Sent Events stream or a long
//! poll): the stream slot it holds, where it stands in the log, and what wakes it. The edge opens
//! one with one call and then only asks it for more.

use domain::EventCursor;
use tokio::time::Instant;

use super::{Caller, EventBatch, EventWaiter, Services, StreamSlot};
use crate::error::ServiceResult;

pub struct Subscription {
    services: Services,
    caller: Caller,
    /// The bearer token it came with: asked again before each later look, so a token revoked
    /// meanwhile ends the subscription.
    token: String,
    waiter: EventWaiter,
    cursor: EventCursor,
    /// Held while the subscription is open (`StreamLimits`).
    _slot: StreamSlot,
}

impl Services {
    /// Opens the calling application's subscription, refused past its share of open streams,
    /// with its first batch: on connecting, every secret it is behind on, then what follows
    /// `cursor`.
    #[tracing::instrument(skip_all)]
    pub async fn subscribe_events(
        &self,
        caller: &Caller,
        token: &str,
        cursor: Option<&EventCursor>,
    ) -> ServiceResult<(Subscription, EventBatch)> {
        let slot = self.open_event_stream(caller, token)?;
        let waiter = self.event_waiter();
        let first = self.app_events(caller, cursor, true).await?;
        let subscription = Subscription {
            services: self.clone(),
            caller: caller.clone(),
            token: token.to_owned(),
            waiter,
            cursor: first.next.clone(),
            _slot: slot,
        };
        Ok((subscription, first))
    }
}

impl Subscription {
    /// The events after its cursor, if its token still stands; moves the cursor.
    pub async fn look(&mut self) -> ServiceResult<EventBatch> {
        self.services.authenticate_token(&self.token).await?;
        let batch = self
            .services
            .app_events(&self.caller, Some(&self.cursor), false)
            .await?;
        self.cursor = batch.next.clone();
        Ok(batch)
    }

    /// Returns when events may have been written, at `deadline`, or at shutdown.
    pub async fn wait(&mut self, deadline: Instant) {
        self.waiter.wait(deadline).await;
    }

    /// The server is shutting down: streams end and long polls answer at once.
    pub fn closing(&self) -> bool {
        self.waiter.closing()
    }

    /// A long poll's answer: `first` if it holds events, else the first batch that does before
    /// `deadline` or shutdown (then an empty one).
    pub async fn poll(
        &mut self,
        first: EventBatch,
        deadline: Instant,
    ) -> ServiceResult<EventBatch> {
        let mut batch = first;
        while batch.events.is_empty() && Instant::now() < deadline && !self.closing() {
            self.wait(deadline).await;
            batch = self.look().await?;
        }
        Ok(batch)
    }
}
