//! The organisation card form: raw text as typed, turned into a registry record with the same rules as
//! the import (one validation for both), and errors tied to the fields they are about.

use nok_registry::cells::{parse_bool, parse_count, parse_decimal, parse_sphere};
use nok_registry::columns::Column;
use nok_registry::record::OrganizationRecord;
use serde::Deserialize;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrgForm {
    pub inn: String,
    pub full_name: String,
    pub short_name: String,
    pub ogrn: String,
    pub kpp: String,
    pub address: String,
    pub latitude: String,
    pub longitude: String,
    pub website: String,
    pub email: String,
    pub phone: String,
    pub sphere: String,
    pub region_code: String,
    pub municipality: String,
    pub authority: String,
    pub population: String,
    pub active: String,
}

/// An error shown in the summary at the top of the form and next to its field.
#[derive(Clone, Debug)]
pub struct FieldErrorView {
    /// The form field's `id` (the column key).
    pub field: String,
    pub label: String,
    pub message: String,
}

impl FieldErrorView {
    fn new(column: Column, message: String) -> Self {
        FieldErrorView { field: column.key().to_string(), label: column.header(), message }
    }

    /// A store refusal (duplicate ИНН, unknown authority…) shown as a form error.
    pub fn from_store(e: &nok_store::StoreError) -> Self {
        let text = e.to_string();
        let (field, message) = if text.contains("inn") {
            (Column::Inn, nok_i18n::t("form-inn-taken"))
        } else if text.contains("authority") {
            (Column::Authority, nok_i18n::t("store-import-unknown-authority"))
        } else {
            (Column::FullName, text)
        };
        FieldErrorView::new(field, message)
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl OrgForm {
    pub fn from_record(r: &OrganizationRecord) -> OrgForm {
        let num = |v: Option<f64>| v.map(nok_registry::cells::format_decimal_comma).unwrap_or_default();
        OrgForm {
            inn: r.inn.clone(),
            full_name: r.full_name.clone(),
            short_name: r.short_name.clone(),
            ogrn: r.ogrn.clone().unwrap_or_default(),
            kpp: r.kpp.clone().unwrap_or_default(),
            address: r.address.clone(),
            latitude: num(r.latitude),
            longitude: num(r.longitude),
            website: r.website.clone().unwrap_or_default(),
            email: r.email.clone().unwrap_or_default(),
            phone: r.phone.clone().unwrap_or_default(),
            sphere: r.sphere.code().to_string(),
            region_code: r.region_code.clone(),
            municipality: r.municipality.clone().unwrap_or_default(),
            authority: r.authority.clone().unwrap_or_default(),
            population: r.population.to_string(),
            active: if r.active { "1".into() } else { "0".into() },
        }
    }

    /// The record, or every field error found.
    pub fn to_record(&self) -> Result<OrganizationRecord, Vec<FieldErrorView>> {
        let mut errors = Vec::new();
        let bad = |c: Column| FieldErrorView::new(c, nok_i18n::t("form-bad-value"));
        let number = |text: &str, c: Column, errors: &mut Vec<FieldErrorView>| match opt(text) {
            None => None,
            Some(t) => parse_decimal(&t).or_else(|| {
                errors.push(bad(c));
                None
            }),
        };
        let latitude = number(&self.latitude, Column::Latitude, &mut errors);
        let longitude = number(&self.longitude, Column::Longitude, &mut errors);
        let sphere = parse_sphere(&self.sphere);
        if sphere.is_none() {
            errors.push(FieldErrorView::new(Column::Sphere, nok_i18n::t("form-choose-sphere")));
        }
        let population = match opt(&self.population) {
            None => 0,
            Some(t) => parse_count(&t).unwrap_or_else(|| {
                errors.push(bad(Column::Population));
                0
            }),
        };
        let record = OrganizationRecord {
            inn: self.inn.trim().to_string(),
            full_name: self.full_name.trim().to_string(),
            short_name: opt(&self.short_name).unwrap_or_else(|| self.full_name.trim().to_string()),
            ogrn: opt(&self.ogrn),
            kpp: opt(&self.kpp),
            address: self.address.trim().to_string(),
            latitude,
            longitude,
            website: opt(&self.website),
            email: opt(&self.email),
            phone: opt(&self.phone),
            sphere: sphere.unwrap_or(nok_methodology::Sphere::Culture),
            region_code: self.region_code.trim().to_string(),
            municipality: opt(&self.municipality),
            authority: opt(&self.authority),
            population,
            active: parse_bool(&self.active).unwrap_or(true),
        };
        errors.extend(record.validate().into_iter().map(|e| FieldErrorView::new(e.field, e.reason())));
        if errors.is_empty() { Ok(record) } else { Err(errors) }
    }

    /// The error message for a field, if any (for `aria-invalid` and the inline message).
    pub fn error_for<'a>(&self, errors: &'a [FieldErrorView], field: &str) -> Option<&'a str> {
        errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}
