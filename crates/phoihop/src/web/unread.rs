//! Request bodies a handler left unread. hyper 1.x, when a handler answers without
//! reading the whole body (a redirect of an unread form, a 401/413/415 refused before the
//! body), tries once to drain what it already holds; if more is still to come it closes
//! the connection after the response — sometimes after the client has already seen a
//! keep-alive answer and sent its next request on it. This layer reads the rest of such
//! a body itself (up to [`DRAIN_MAX`] bytes within [`DRAIN_TIME`]) before the response
//! goes out, so the connection stays usable; when it cannot (a larger body, a client that
//! waits for `100 Continue`, a client too slow), the response says `Connection: close`,
//! so the client knows before it reuses the connection.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};

/// The most left-over body read to keep a connection (a refused upload may be larger:
/// then the connection is closed instead).
pub const DRAIN_MAX: u64 = 1024 * 1024;
/// The longest a response waits for the rest of a body it did not need.
pub const DRAIN_TIME: Duration = Duration::from_secs(2);

/// What the handler left of the body, handed back when it dropped it unfinished.
#[derive(Default)]
struct Left {
    body: Option<Body>,
    read: u64,
}

/// The request body as the handler sees it: it counts what is read, and when dropped
/// before its end gives the rest back to [`finish_unread_bodies`].
struct Tracked {
    inner: Option<Body>,
    read: u64,
    left: Arc<Mutex<Left>>,
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let Some(inner) = self.inner.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = Pin::new(inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                let n = frame.data_ref().map_or(0, |d| d.len() as u64);
                self.read += n;
            }
            // The end, or a failure of the connection: nothing to give back.
            Poll::Ready(None) | Poll::Ready(Some(Err(_))) => self.inner = None,
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), HttpBody::size_hint)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take()
            && !inner.is_end_stream()
            && let Ok(mut left) = self.left.lock()
        {
            left.body = Some(inner);
            left.read = self.read;
        }
    }
}

/// The outermost layer: every request's body is [`Tracked`]; what a handler left unread
/// is drained or the connection is marked to close.
pub async fn finish_unread_bodies(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    if body.is_end_stream() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let waits_for_continue = parts
        .headers
        .get(header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    let length = content_length(&parts.headers);
    let left = Arc::new(Mutex::new(Left::default()));
    let tracked = Tracked {
        inner: Some(body),
        read: 0,
        left: Arc::clone(&left),
    };
    let mut response = next
        .run(Request::from_parts(parts, Body::new(tracked)))
        .await;
    // The request (and its body) is dropped once the handler has answered; a body still
    // held elsewhere (nothing does today) is treated as unread.
    let (unread, read) = match Arc::try_unwrap(left) {
        Ok(left) => {
            let left = left.into_inner().unwrap_or_default();
            (left.body, left.read)
        }
        Err(_) => {
            close(&mut response);
            return response;
        }
    };
    let Some(mut unread) = unread else {
        return response;
    };
    // A client waiting for `100 Continue` has not sent the body: asking for it now would
    // only make it send what nobody reads.
    let too_much = length.is_some_and(|n| n.saturating_sub(read) > DRAIN_MAX);
    if (waits_for_continue && read == 0) || too_much {
        close(&mut response);
        return response;
    }
    match tokio::time::timeout(DRAIN_TIME, drain(&mut unread)).await {
        Ok(true) => {}
        _ => close(&mut response),
    }
    response
}

/// Reads and discards up to [`DRAIN_MAX`] bytes; `true` when the body ended.
async fn drain(body: &mut Body) -> bool {
    let mut total = 0u64;
    loop {
        let frame = std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await;
        match frame {
            None => return true,
            Some(Err(_)) => return false,
            Some(Ok(frame)) => {
                total += frame.data_ref().map_or(0, |d| d.len() as u64);
                if total > DRAIN_MAX {
                    return false;
                }
            }
        }
    }
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn close(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
}
