//! Encryption of personal data at rest (the e-mail addresses of appeal authors, mail recipients, the free-text
//! suggestions of survey responses, which may name people, the texts of appeals and their answers, and the
//! bodies of queued e-mails).
//!
//! AES-256-GCM with a key derived by HMAC-SHA256 under a fixed label from the data key — a key file outside
//! the database, or by default the server secret (`setting.secret`, shared by all instances; see
//! [`crate::data_key`]) — a fresh random 96-bit nonce per value, and a purpose string as associated data, so a
//! value encrypted for one purpose does not decrypt as another. Stored form: `v1.` followed by the hex of
//! nonce ‖ ciphertext ‖ tag. With a key file the database alone (a dump, a backup) never reveals the values;
//! with the server secret, a dump holds the key too.

use crate::Db;
use crate::error::{Result, StoreError};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

const PREFIX: &str = "v1.";
const NONCE_LEN: usize = 12;

/// What an e-mail address is encrypted for (the associated data of the cipher).
pub const PURPOSE_EMAIL: &str = "nok:email";

/// What the suggestions text of a survey response is encrypted for.
pub const PURPOSE_SUGGESTIONS: &str = "nok:suggestions";

/// What the text of an appeal and its answer are encrypted for (private correspondence).
pub const PURPOSE_APPEAL_TEXT: &str = "nok:appeal-text";

/// What the body of a queued e-mail is encrypted for.
pub const PURPOSE_MAIL_BODY: &str = "nok:mail-body";

/// The key for personal-data fields. Its `Debug` output never shows the key.
#[derive(Clone)]
pub struct FieldKey(Key<Aes256Gcm>);

impl std::fmt::Debug for FieldKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldKey(…)")
    }
}

impl FieldKey {
    /// Derives the field key from the server secret.
    pub fn derive(secret: &[u8]) -> FieldKey {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(b"opennok/personal-data-encryption/v1");
        let bytes = mac.finalize().into_bytes();
        FieldKey(*Key::<Aes256Gcm>::from_slice(&bytes))
    }

    /// The key derived from the server secret in the database (the default data key; `data_key::load`
    /// gives the configured one, checked against what is stored).
    pub async fn load(db: &Db) -> Result<FieldKey> {
        Ok(FieldKey::derive(&crate::repo::settings::secret(db).await?))
    }

    /// Encrypts `plain` for `purpose`.
    pub fn encrypt(&self, purpose: &str, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = Aes256Gcm::new(&self.0)
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad: purpose.as_bytes() })
            .expect("AES-GCM encryption of a short value cannot fail");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", hex::encode(out))
    }

    /// Decrypts a value stored by [`FieldKey::encrypt`] for the same purpose.
    pub fn decrypt(&self, purpose: &str, stored: &str) -> Result<String> {
        let bad = || StoreError::Invalid("encrypted value: damaged, or encrypted with another key".into());
        let bytes = stored.strip_prefix(PREFIX).and_then(|h| hex::decode(h).ok()).ok_or_else(bad)?;
        if bytes.len() <= NONCE_LEN {
            return Err(bad());
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = Aes256Gcm::new(&self.0)
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: purpose.as_bytes() })
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_hides_the_value() {
        let key = FieldKey::derive(b"server secret");
        let a = key.encrypt(PURPOSE_EMAIL, "ivan@example.ru");
        let b = key.encrypt(PURPOSE_EMAIL, "ivan@example.ru");
        assert_ne!(a, b, "a fresh nonce every time");
        assert!(!a.contains("ivan") && !a.contains("example"));
        assert_eq!(key.decrypt(PURPOSE_EMAIL, &a).unwrap(), "ivan@example.ru");
    }

    #[test]
    fn refuses_other_keys_purposes_and_tampering() {
        let key = FieldKey::derive(b"server secret");
        let a = key.encrypt(PURPOSE_EMAIL, "ivan@example.ru");
        assert!(FieldKey::derive(b"another secret").decrypt(PURPOSE_EMAIL, &a).is_err());
        assert!(key.decrypt("other", &a).is_err());
        let mut tampered = a.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == '0' { '1' } else { '0' });
        assert!(key.decrypt(PURPOSE_EMAIL, &tampered).is_err());
        assert!(key.decrypt(PURPOSE_EMAIL, "v1.00").is_err());
        assert!(key.decrypt(PURPOSE_EMAIL, "plain@text").is_err());
        assert!(format!("{key:?}").contains('…'));
    }
}
