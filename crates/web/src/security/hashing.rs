//! Keyed hashes (device cookies, CSRF tokens; client addresses go through `ip_salt`).

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
