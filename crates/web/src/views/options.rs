//! Choice lists for filters and forms: regions and spheres with their Russian names.

use crate::error::AppResult;
use crate::state::AppState;
use nok_methodology::Sphere;

/// `(code, name)` of every region, in code order.
pub async fn region_options(state: &AppState) -> AppResult<Vec<(String, String)>> {
    Ok(nok_store::repo::reference::regions(&state.db.read).await?.into_iter().map(|r| (r.code, r.name)).collect())
}

pub fn region_name(regions: &[(String, String)], code: &str) -> String {
    regions.iter().find(|(c, _)| c == code).map(|(_, n)| n.clone()).unwrap_or_else(|| code.to_string())
}

/// `(code, name)` of the five spheres.
pub fn sphere_options() -> Vec<(String, String)> {
    Sphere::ALL.iter().map(|s| (s.code().to_string(), s.name_ru().to_string())).collect()
}

pub fn sphere_name(code: &str) -> String {
    Sphere::from_code(code).map(|s| s.name_ru().to_string()).unwrap_or_else(|| code.to_string())
}
