//! A pseudonymised copy of a return for regional partnerships: each SWE
//! number replaced by a keyed hash (HMAC-SHA256 with a key the authority
//! keeps; the key is never in the file), and birth dates cut to the month
//! (the first of the month, so the file stays valid). The same key gives
//! the same pseudonym every year, so a partnership can follow a worker
//! across returns without knowing who they are.

use crate::CensusReturn;
use chrono::Datelike;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The shortest key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// A pseudonym in the SWE number's own format: `PS` and 10 digits.
pub fn pseudonym(key: &[u8], swe_no: &str) -> String {
    #[allow(clippy::expect_used)] // HMAC takes a key of any length: this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(swe_no.as_bytes());
    let digest = mac.finalize().into_bytes();
    let n = u64::from_be_bytes(std::array::from_fn(|i| digest.get(i).copied().unwrap_or(0))) % 10_000_000_000;
    format!("PS{n:010}")
}

/// The return with SWE numbers pseudonymised and birth dates cut to the month.
pub fn pseudonymise(census: &CensusReturn, key: &[u8]) -> CensusReturn {
    assert!(key.len() >= MIN_KEY_BYTES, "a key of at least {MIN_KEY_BYTES} bytes");
    let mut out = census.clone();
    for w in &mut out.workers {
        w.swe_no = pseudonym(key, &w.swe_no);
        w.birth_date = w.birth_date.and_then(|d| d.with_day(1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Worker;

    #[test]
    fn pseudonyms_are_stable_keyed_and_in_the_numbers_format() {
        let (k1, k2) = ([7u8; 32], [8u8; 32]);
        assert_eq!(pseudonym(&k1, "SW0000000001"), pseudonym(&k1, "SW0000000001"));
        assert_ne!(pseudonym(&k1, "SW0000000001"), pseudonym(&k2, "SW0000000001"));
        assert_ne!(pseudonym(&k1, "SW0000000001"), pseudonym(&k1, "SW0000000002"));
        let p = pseudonym(&k1, "SW0000000001");
        assert!(p.len() == 12 && p.starts_with("PS") && p[2..].bytes().all(|b| b.is_ascii_digit()), "{p}");
        let census = CensusReturn {
            workers: vec![Worker {
                swe_no: "SW0000000001".into(),
                birth_date: "1985-02-17".parse().ok(),
                ..Worker::default()
            }],
            ..CensusReturn::default()
        };
        let out = pseudonymise(&census, &k1);
        assert_eq!(out.workers[0].swe_no, p);
        assert_eq!(out.workers[0].birth_date, "1985-02-01".parse().ok());
        assert!(!crate::to_xml(&out).contains("SW0000000001"));
    }
}
