//! Password hashing with argon2id (the RFC 9106 defaults of the `argon2` crate).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub fn hash(plain: &str) -> Result<String, argon2::password_hash::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| argon2::password_hash::Error::Crypto)?;
    let salt = SaltString::encode_b64(&bytes)?;
    Ok(Argon2::default()
        .hash_password(plain.as_bytes(), &salt)?
        .to_string())
}

/// True when `plain` matches `stored`; a malformed stored hash never matches.
pub fn verify(plain: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(plain.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time of one verification, so that an unknown username takes as long to
/// refuse as a wrong password (no user enumeration by timing).
pub fn verify_dummy(plain: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("not a real password").unwrap_or_default());
    let _ = verify(plain, stored);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_only_its_password() {
        let stored = super::hash("mật khẩu dài").expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(super::verify("mật khẩu dài", &stored));
        assert!(!super::verify("mat khau dai", &stored));
        assert!(!super::verify("x", "not a hash"));
    }
}
