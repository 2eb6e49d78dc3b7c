//! The audit head this node expects to find, so that the group commit can chain its events
//! before it reaches the database and send them in one round trip (docs/adr/0031). A wrong
//! guess costs a round trip, never a wrong chain: the database appends only after the head it
//! was told.

use std::sync::{Arc, Mutex};

/// `None`: not known (at start, and after a lost connection); `Some(None)`: an empty chain.
type Head = Option<(i64, String)>;

#[derive(Clone, Default)]
pub(super) struct HeadGuess(Arc<Mutex<Option<Head>>>);

impl HeadGuess {
    pub(super) fn get(&self) -> Option<Head> {
        self.lock().clone()
    }

    /// The head the database answered, or the one this node's group commit left.
    pub(super) fn set(&self, head: Head) {
        *self.lock() = Some(head);
    }

    /// The head a write of this node left when it committed. Only a later head replaces what
    /// is known: a group commit may have moved past it before the write got here.
    pub(super) fn offer(&self, head: Head) {
        let mut known = self.lock();
        let later = match (&*known, &head) {
            (Some(Some((known_seq, _))), Some((seq, _))) => seq > known_seq,
            (Some(Some(_)), None) => false,
            _ => true,
        };
        if later {
            *known = Some(head);
        }
    }

    pub(super) fn forget(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Head>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
