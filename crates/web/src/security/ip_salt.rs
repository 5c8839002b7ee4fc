//! The rotating salt of client-address hashes. Addresses are never stored in clear, only as an HMAC under
//! a random salt of the current UTC day, kept in the database so that every instance hashes alike. At the
//! turn of the day a new salt is made and the old one deleted (`repo::settings::ip_salt`), after which the
//! stored hashes of that day cannot be linked to addresses any more — a keyed hash under a fixed secret
//! could be reversed by trying all 2³² IPv4 addresses.

use super::hashing::hmac_hex;
use nok_store::{Db, StoreError};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use time::{Date, OffsetDateTime};

pub struct IpSalt {
    current: RwLock<(Date, Vec<u8>)>,
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

impl IpSalt {
    /// Loads (or creates) today's salt.
    pub async fn load(db: &Db) -> Result<Arc<IpSalt>, StoreError> {
        let day = today();
        let salt = nok_store::repo::settings::ip_salt(db, &day.to_string()).await?;
        Ok(Arc::new(IpSalt { current: RwLock::new((day, salt)) }))
    }

    /// The hashed client address (32 hex digits).
    pub fn hash(&self, ip: &str) -> String {
        let guard = self.current.read().unwrap_or_else(|e| e.into_inner());
        hmac_hex(&guard.1, &[b"ip", ip.as_bytes()])[..32].to_string()
    }

    /// Switches to the salt of the current day if the day has turned.
    pub async fn rotate(&self, db: &Db) -> Result<(), StoreError> {
        self.rotate_to(db, today()).await
    }

    /// Switches to the salt of `day` (deleting earlier days' salts) unless it is already in use.
    pub async fn rotate_to(&self, db: &Db, day: Date) -> Result<(), StoreError> {
        if self.current.read().unwrap_or_else(|e| e.into_inner()).0 == day {
            return Ok(());
        }
        let salt = nok_store::repo::settings::ip_salt(db, &day.to_string()).await?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = (day, salt);
        tracing::info!(%day, "client-address salt rotated");
        Ok(())
    }

    /// Checks every minute whether the day has turned (needs a Tokio runtime; ends with the runtime).
    pub fn spawn_rotation(self: &Arc<Self>, db: Db) {
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(60)).await;
                let Some(salt) = weak.upgrade() else { return };
                if let Err(e) = salt.rotate(&db).await {
                    tracing::error!(error = %e, "rotating the client-address salt failed; retrying in a minute");
                }
            }
        });
    }
}
