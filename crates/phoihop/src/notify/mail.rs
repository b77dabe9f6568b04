//! E-mail through SMTP: notifications not yet mailed go to the people who have an
//! address, sent by the `mail` job on one node at a time. Plain SMTP to the relay the
//! installation names (government intranets run their own); the message is UTF-8,
//! subject and body base64-encoded, so Vietnamese arrives intact.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::clock;
use crate::db::{Conn, DbError};
use crate::params;

/// Where mail goes and whom it is from.
#[derive(Debug, Clone)]
pub struct Relay {
    /// `host:port`.
    pub server: String,
    pub from: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("cannot reach the mail server {0}: {1}")]
    Connect(String, std::io::Error),
    #[error("mail server: {0}")]
    Protocol(String),
    #[error("mail server connection: {0}")]
    Io(#[from] std::io::Error),
}

/// One message.
pub struct Message<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Sends one message over a new connection.
pub fn send(relay: &Relay, message: &Message<'_>) -> Result<(), MailError> {
    let stream = TcpStream::connect(&relay.server)
        .map_err(|e| MailError::Connect(relay.server.clone(), e))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    expect(&mut reader, "220")?;
    command(&mut writer, &mut reader, "EHLO phoihop", "250")?;
    command(
        &mut writer,
        &mut reader,
        &format!("MAIL FROM:<{}>", relay.from),
        "250",
    )?;
    command(
        &mut writer,
        &mut reader,
        &format!("RCPT TO:<{}>", message.to),
        "250",
    )?;
    command(&mut writer, &mut reader, "DATA", "354")?;
    let date = time::OffsetDateTime::now_utc()
        .to_offset(clock::VIETNAM)
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap_or_default();
    let text = format!(
        "From: {}\r\nTo: {}\r\nSubject: =?UTF-8?B?{}?=\r\nDate: {date}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n.\r\n",
        relay.from,
        message.to,
        base64(message.subject.as_bytes()),
        wrap(&base64(message.body.as_bytes()), 76),
    );
    writer.write_all(text.as_bytes())?;
    expect(&mut reader, "250")?;
    command(&mut writer, &mut reader, "QUIT", "221")?;
    Ok(())
}

fn command(
    writer: &mut TcpStream,
    reader: &mut impl BufRead,
    line: &str,
    code: &str,
) -> Result<(), MailError> {
    writer.write_all(format!("{line}\r\n").as_bytes())?;
    expect(reader, code)
}

/// Reads a (possibly multi-line) reply and checks its code.
fn expect(reader: &mut impl BufRead, code: &str) -> Result<(), MailError> {
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(MailError::Protocol("connection closed".into()));
        }
        if !line.starts_with(code) {
            return Err(MailError::Protocol(line.trim_end().to_owned()));
        }
        // "250-..." continues, "250 ..." ends.
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok(());
        }
    }
}

pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn wrap(text: &str, width: usize) -> String {
    text.as_bytes()
        .chunks(width)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// Notifications of the last day not yet mailed, to people with an address.
pub fn pending(
    conn: &mut dyn Conn,
    now_ms: i64,
    limit: i64,
) -> Result<Vec<(i64, String, String)>, DbError> {
    // LIMIT is written into the SQL: a bound LIMIT makes SQLite (built with STAT4) plan
    // the statement again on every run.
    conn.query(
        &format!(
            "SELECT n.id, u.email, n.message FROM notifications n JOIN users u ON u.id = n.user_id
             WHERE n.mailed_at IS NULL AND n.created_at > $1 AND u.email IS NOT NULL AND u.email <> '' AND u.active = 1
             ORDER BY n.id LIMIT {}",
            limit.max(0)
        ),
        params![now_ms - 86_400_000],
    )?
    .iter()
    .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .collect()
}

pub fn mark_mailed(conn: &mut dyn Conn, id: i64, now_ms: i64) -> Result<(), DbError> {
    conn.execute(
        "UPDATE notifications SET mailed_at = $1 WHERE id = $2",
        params![now_ms, id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_standard_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64(plain.as_bytes()), encoded);
        }
        assert_eq!(super::base64("Tết".as_bytes()), "VOG6v3Q=");
    }
}
