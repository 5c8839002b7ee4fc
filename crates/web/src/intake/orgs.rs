//! The organisations a submission may name, by the public id printed in QR codes: a small per-instance
//! cache in front of the registry (entries live a short while, unknown ids too), so a flood of submissions
//! does not read the registry once per request. The registry stays the source of truth.

use nok_methodology::Sphere;
use nok_store::{Db, StoreError};
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// What intake needs to know about an organisation.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgInfo {
    pub id: i32,
    pub public_id: String,
    pub sphere: Sphere,
    pub short_name: String,
    pub region_code: String,
}

impl OrgInfo {
    pub fn from_model(m: &nok_store::entities::organization::Model) -> Option<OrgInfo> {
        Some(OrgInfo {
            id: m.id,
            public_id: m.public_id.clone(),
            sphere: Sphere::from_code(&m.sphere)?,
            short_name: m.short_name.clone(),
            region_code: m.region_code.clone(),
        })
    }
}

const TTL: Duration = Duration::from_secs(30);
const MAX_ENTRIES: usize = 100_000;

/// Whether a string can be a public id at all (checked before any lookup).
pub fn plausible_public_id(s: &str) -> bool {
    (4..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[derive(Default)]
pub struct OrgCache {
    entries: RwLock<HashMap<String, (Instant, Option<OrgInfo>)>>,
}

impl OrgCache {
    /// The active organisation with this public id, if any.
    pub async fn get(&self, db: &Db, public_id: &str) -> Result<Option<OrgInfo>, StoreError> {
        if !plausible_public_id(public_id) {
            return Ok(None);
        }
        if let Ok(map) = self.entries.read()
            && let Some((at, hit)) = map.get(public_id)
            && at.elapsed() < TTL
        {
            return Ok(hit.clone());
        }
        let found = match nok_store::repo::organizations::by_public_id(&db.read, public_id).await {
            Ok(m) => OrgInfo::from_model(&m),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e),
        };
        if let Ok(mut map) = self.entries.write() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(public_id.to_string(), (Instant::now(), found.clone()));
        }
        Ok(found)
    }
}
