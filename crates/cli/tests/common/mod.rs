//! Fixtures shared by the `nok` command tests.

#![allow(dead_code)]

use nok_methodology::Sphere;
use nok_registry::record::OrganizationRecord;

/// An active organisation of `region` and `sphere` named `name` (ИНН from `seed`), for fixtures; callers
/// change what they need with `OrganizationRecord { field, ..record(…) }`.
pub fn record(seed: u64, region: &str, sphere: Sphere, name: &str) -> OrganizationRecord {
    OrganizationRecord {
        inn: nok_registry::ids::make_inn(seed),
        full_name: name.to_owned(),
        short_name: name.to_owned(),
        ogrn: None,
        kpp: None,
        address: "г. Ярославль, ул. Свободы, д. 1".into(),
        latitude: None,
        longitude: None,
        website: None,
        email: None,
        phone: None,
        sphere,
        region_code: region.to_owned(),
        municipality: None,
        authority: None,
        population: 1000,
        active: true,
    }
}
