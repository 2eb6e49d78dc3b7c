//! How many event streams (and long polls) one application may hold open on a node: each one
//! keeps a connection and a task, so a leaked or hostile token must not open them without end.

use domain::ApplicationId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{Actor, Caller, Services};
use crate::error::{ServiceError, ServiceResult, StreamHolder};
use crate::token::{PlainToken, TokenHash};

/// How many event streams (and long polls) may be open at once on one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// Per token. A unit needs one; a few allow for reconnects that overlap the old
    /// connection's end.
    pub per_token: usize,
    /// Per application, across all its tokens (a token per unit).
    pub per_application: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        StreamLimits {
            per_token: 8,
            per_application: 256,
        }
    }
}

#[derive(Default)]
struct Open {
    by_token: HashMap<TokenHash, usize>,
    by_application: HashMap<ApplicationId, usize>,
}

/// The streams open on this node.
#[derive(Default, Clone)]
pub(crate) struct StreamSlots {
    open: Arc<Mutex<Open>>,
    pub(crate) limits: StreamLimits,
}

/// One open stream; its slot is given back when this is dropped.
pub struct StreamSlot {
    slots: StreamSlots,
    token: TokenHash,
    application: ApplicationId,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|e| e.into_inner());
        release(&mut open.by_token, &self.token);
        release(&mut open.by_application, &self.application);
    }
}

fn release<K: std::hash::Hash + Eq>(counts: &mut HashMap<K, usize>, key: &K) {
    if let Some(n) = counts.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            counts.remove(key);
        }
    }
}

impl Services {
    /// A slot for one more event stream of the calling application, presented with `token`;
    /// `TooManyStreams` when the token or the application already holds its share.
    pub(crate) fn open_event_stream(
        &self,
        caller: &Caller,
        token: &str,
    ) -> ServiceResult<StreamSlot> {
        let Actor::Application { id, .. } = &caller.actor else {
            return Err(ServiceError::Forbidden(
                crate::error::Forbidden::AccessLevel,
            ));
        };
        let token = PlainToken::from_presented(token).hash();
        let limits = self.streams.limits;
        let mut open = self.streams.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.by_token.get(&token).copied().unwrap_or(0) >= limits.per_token {
            return Err(ServiceError::TooManyStreams {
                limit: limits.per_token,
                per: StreamHolder::Token,
            });
        }
        if open.by_application.get(id).copied().unwrap_or(0) >= limits.per_application {
            return Err(ServiceError::TooManyStreams {
                limit: limits.per_application,
                per: StreamHolder::Application,
            });
        }
        *open.by_token.entry(token.clone()).or_default() += 1;
        *open.by_application.entry(*id).or_default() += 1;
        Ok(StreamSlot {
            slots: self.streams.clone(),
            token,
            application: *id,
        })
    }
}
