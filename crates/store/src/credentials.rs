//! How the store keeps secrets: passwords as Argon2id hashes (PHC
//! strings), session and API tokens as 32 random bytes shown once and kept
//! only as SHA-256 digests. The dashboard and the CLI both make and check
//! them here, so there is one rule for each.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// An Argon2id hash (PHC string) of `password`.
pub fn hash_password(password: &str) -> String {
    Argon2::default().hash_password(password.as_bytes()).expect("the OS gives random salt").to_string()
}

/// Whether `password` is the one `hash` was made from.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A fresh random token: 32 bytes as 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 digest under which a token is stored.
pub fn token_digest(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens() {
        let hash = hash_password("correct horse");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong", &hash));
        assert_ne!(new_token(), new_token());
        assert_eq!(token_digest("a").len(), 64);
    }
}
