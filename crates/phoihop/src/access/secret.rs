//! The secrets handed to browsers (session cookies, anti-forgery tokens) and programs
//! (API tokens): 32 random bytes in hexadecimal, kept in the database only as their
//! SHA-256, so that a copy of the database lets no one in.

use sha2::{Digest, Sha256};

/// A new secret, or "" when the operating system's random source fails.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing leaves zeros; refuse rather than issue weak tokens.
    if getrandom::fill(&mut bytes).is_err() {
        tracing::error!("the operating system's random source failed");
        return String::new();
    }
    crate::hex(&bytes)
}

/// What the database keeps of a secret.
pub fn token_hash(token: &str) -> String {
    crate::hex(&Sha256::digest(token.as_bytes()))
}
