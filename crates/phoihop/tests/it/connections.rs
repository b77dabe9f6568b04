//! Keep-alive connections after a response sent without reading the request's body,
//! spoken over a raw socket so that no client library retries or reconnects.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::support::spawn_app;

/// A response as read off the socket: status, headers (lower-case names), body.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn connect(base: &str) -> TcpStream {
    let address = base.trim_start_matches("http://");
    let stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
}

/// Reads one response with a `Content-Length` body; `None` when the server closed or
/// reset the connection first.
fn read_response(stream: &mut TcpStream) -> Option<Raw> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = data[head_end..].to_vec();
    while body.len() < length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&buf[..n]),
        }
    }
    Some(Raw {
        status,
        headers,
        body,
    })
}

fn get_healthz(stream: &mut TcpStream) -> Option<Raw> {
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .ok()?;
    read_response(stream)
}

/// Sends a POST's head, then (a moment later, as a client on a real network would have
/// it arrive) its body, then reads the answer.
fn post_in_two_parts(stream: &mut TcpStream, path: &str, content_type: &str, body: &[u8]) -> Raw {
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("head");
    std::thread::sleep(Duration::from_millis(200));
    stream.write_all(body).expect("body");
    read_response(stream).expect("a response")
}

#[test]
fn a_refusal_before_the_body_keeps_the_connection() {
    let app = spawn_app();
    let mut stream = connect(&app.base);
    // No token: 401 before the body is read.
    let body = format!(
        "{{\"kind\":\"incident\",\"title\":\"{}\"}}",
        "x".repeat(60_000)
    );
    let refused = post_in_two_parts(
        &mut stream,
        "/api/v1/cases",
        "application/json",
        body.as_bytes(),
    );
    assert_eq!(refused.status, 401);
    assert_eq!(refused.header("connection"), None);
    let next = get_healthz(&mut stream).expect("the same connection answers again");
    assert_eq!(next.status, 200);
    assert_eq!(next.body, b"ok");
}

#[test]
fn an_unread_form_redirect_keeps_the_connection() {
    let app = spawn_app();
    let mut stream = connect(&app.base);
    // Not signed in: the form is answered with a redirect to the sign-in page, unread.
    let form = format!("title={}", "a".repeat(20_000));
    let redirected = post_in_two_parts(
        &mut stream,
        "/cases/new",
        "application/x-www-form-urlencoded",
        form.as_bytes(),
    );
    assert!(
        (300..400).contains(&redirected.status),
        "{}",
        redirected.status
    );
    let next = get_healthz(&mut stream).expect("the same connection answers again");
    assert_eq!(next.status, 200);
}

#[test]
fn a_large_unread_body_is_answered_with_connection_close() {
    let app = spawn_app();
    let mut stream = connect(&app.base);
    // Announced far beyond what the server drains: it says it will close, and the
    // client is not left guessing. Only the head is sent.
    let head = "POST /api/v1/cases HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n";
    stream.write_all(head.as_bytes()).expect("head");
    let refused = read_response(&mut stream).expect("a response");
    assert_eq!(refused.status, 401);
    assert_eq!(refused.header("connection"), Some("close"));
}
