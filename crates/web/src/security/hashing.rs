//! Keyed hashes: client addresses are never stored in clear, only as an HMAC with a salt that rotates daily.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub fn hmac_hex(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        mac.update(p);
        mac.update(b"\x1f");
    }
    hex::encode(mac.finalize().into_bytes())
}

/// The hashed client address for today (the salt changes every UTC day, so hashes cannot be joined across days).
pub fn ip_hash(secret: &[u8], ip: &str) -> String {
    let day = time::OffsetDateTime::now_utc().date().to_string();
    hmac_hex(secret, &[b"ip", day.as_bytes(), ip.as_bytes()])[..32].to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ip_hash_hides_the_address_and_is_stable_within_a_day() {
        let a = super::ip_hash(b"k", "10.0.0.1");
        assert_eq!(a, super::ip_hash(b"k", "10.0.0.1"));
        assert_ne!(a, super::ip_hash(b"k", "10.0.0.2"));
        assert!(!a.contains("10.0.0.1"));
    }
}
