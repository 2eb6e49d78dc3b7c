//! A deadline for a request's headers that leaves idle keep-alive connections alone.
//!
//! hyper's own header read timeout starts as soon as it waits for the next request, so it also
//! closes a kept-alive connection a few seconds after its last answer. A client whose runtime
//! was busy (or a script between two calls of a synchronous client) has not seen that close yet
//! and sends its next request into it: "connection closed before message completed". Here the
//! short deadline starts with a connection, or with the first byte of a request on a kept-alive
//! one, and ends when the headers' blank line arrives; between requests a connection may idle
//! for `IDLE` (longer than the common clients' pool timeouts: aiohttp 15 s, reqwest 90 s is the
//! exception, and it sees the close in time when its runtime runs).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// How long a client has for a request's headers, from its first byte (or from connecting).
pub const HEADERS: Duration = Duration::from_secs(5);
/// How long a kept-alive connection may wait for its next request.
pub const IDLE: Duration = Duration::from_secs(75);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Between requests, after an answer was written: `IDLE`.
    Idle,
    /// Reading a request's headers: `HEADERS` from the first byte.
    Headers,
    /// The headers are in; the request is being served. No deadline here.
    Serving,
}

pub struct HeaderDeadline<T> {
    io: T,
    phase: Phase,
    deadline: Pin<Box<Sleep>>,
    /// How much of the blank line (`\r\n\r\n`) that ends the headers has been seen.
    matched: u8,
    /// Who waits to read: hyper reads before it writes its answer and then waits for the
    /// socket, so entering `Idle` wakes it to look at the new deadline.
    reader: Option<std::task::Waker>,
}

impl<T> HeaderDeadline<T> {
    /// A new connection: its first request's headers are due within `HEADERS`.
    pub fn new(io: T) -> Self {
        HeaderDeadline {
            io,
            phase: Phase::Headers,
            deadline: Box::pin(tokio::time::sleep(HEADERS)),
            matched: 0,
            reader: None,
        }
    }

    fn enter(&mut self, phase: Phase, within: Duration) {
        let idling = phase == Phase::Idle && self.phase != Phase::Idle;
        self.phase = phase;
        self.deadline.as_mut().reset(Instant::now() + within);
        if idling && let Some(reader) = &self.reader {
            reader.wake_by_ref();
        }
    }

    /// An answer is going out: the request was read. A stream that writes keeps the connection
    /// from idling out.
    fn wrote(&mut self, written: Poll<io::Result<usize>>) -> Poll<io::Result<usize>> {
        if let Poll::Ready(Ok(n)) = written
            && n > 0
        {
            self.enter(Phase::Idle, IDLE);
        }
        written
    }

    /// Follows the bytes just read to the end of the headers.
    fn saw(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if self.phase == Phase::Idle {
            self.enter(Phase::Headers, HEADERS);
            self.matched = 0;
        }
        if self.phase != Phase::Headers {
            return;
        }
        for &b in bytes {
            // `\r\n\r\n`, or a bare `\n\n`, which HTTP parsers accept too.
            self.matched = match (self.matched, b) {
                (0, b'\r') | (2, b'\r') => self.matched + 1,
                (1, b'\n') | (3, b'\n') => self.matched + 1,
                (_, b'\n') => 2,
                _ => 0,
            };
            if self.matched == 4 {
                self.phase = Phase::Serving;
                return;
            }
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for HeaderDeadline<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.io).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                self.saw(&buf.filled()[before..]);
                Poll::Ready(Ok(()))
            }
            Poll::Pending if self.phase == Phase::Serving => {
                self.reader = Some(cx.waker().clone());
                Poll::Pending
            }
            Poll::Pending => match self.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    match self.phase {
                        Phase::Idle => "no request on a kept-alive connection",
                        _ => "the request's headers did not arrive in time",
                    },
                ))),
                Poll::Pending => Poll::Pending,
            },
            other => other,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for HeaderDeadline<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.io).poll_write(cx, data);
        self.wrote(written)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.wrote(written)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    #[tokio::test(start_paused = true)]
    async fn headers_are_due_from_their_first_byte_and_idle_connections_wait_longer() {
        let (client, server) = tokio::io::duplex(1024);
        let (mut client, mut server) = (client, HeaderDeadline::new(server));
        let mut buf = [0u8; 64];
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("send");
        let n = server.read(&mut buf).await.expect("read");
        assert_eq!(server.phase, Phase::Serving, "{n} bytes");
        server
            .write_all(b"HTTP/1.1 200 OK\r\n\r\n")
            .await
            .expect("answer");
        // Idle for a minute: still open.
        let idle = tokio::time::timeout(Duration::from_secs(60), server.read(&mut buf)).await;
        assert!(idle.is_err(), "no byte, no error within IDLE");
        // … but not forever.
        let idled = tokio::time::timeout(IDLE, server.read(&mut buf)).await;
        assert!(
            matches!(idled, Ok(Err(ref e)) if e.kind() == io::ErrorKind::TimedOut),
            "{idled:?}"
        );
        // Half a request, then nothing: cut off after HEADERS.
        client.write_all(b"GET / HTTP/1.1\r\n").await.expect("send");
        let first = server.read(&mut buf).await.expect("first bytes");
        assert_eq!(first, 16);
        let started = Instant::now();
        let cut = server.read(&mut buf).await.expect_err("cut off");
        assert_eq!(cut.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), HEADERS);
    }
}
