//! The organisation as the registry file describes it, and the one place that decides whether its values are acceptable.
//!
//! Owns the field rules (names, ИНН/ОГРН/КПП, coordinates, website, e-mail, region). It does not resolve the
//! authority code or look at other records: that is the store's and the importer's job.

use crate::Sphere;
use crate::columns::Column;
use crate::ids::{self, IdError};
use crate::regions;
use nok_i18n::t;
use serde::{Deserialize, Serialize};

/// Longest accepted name, address or other free text, in characters.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Longest accepted municipality name, in characters.
pub const MAX_MUNICIPALITY_CHARS: usize = 200;
/// Longest accepted e-mail address (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// One organisation of the social sphere as written in a registry file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationRecord {
    pub inn: String,
    pub full_name: String,
    pub short_name: String,
    #[serde(default)]
    pub ogrn: Option<String>,
    #[serde(default)]
    pub kpp: Option<String>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Serialised as its code (`health`).
    pub sphere: Sphere,
    pub region_code: String,
    /// Муниципальное образование, e.g. «городской округ город Ярославль» (free text).
    #[serde(default)]
    pub municipality: Option<String>,
    /// Authority code as written in the file; the store resolves it.
    #[serde(default)]
    pub authority: Option<String>,
    /// Yearly number of service recipients (генеральная совокупность).
    #[serde(default)]
    pub population: u32,
    #[serde(default = "active_by_default")]
    pub active: bool,
}

fn active_by_default() -> bool {
    true
}

/// A field that breaks a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: Column,
    pub problem: Problem,
}

impl FieldError {
    /// The reason in Russian.
    pub fn reason(&self) -> String {
        self.problem.user_message()
    }
}

/// What is wrong with one value: rule violations found by [`OrganizationRecord::validate`] and
/// unreadable cells found by the importer.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A required value is empty.
    Required,
    TooLong {
        max: usize,
    },
    Id(IdError),
    OutOfRange {
        min: f64,
        max: f64,
    },
    /// Latitude given without longitude or the other way round.
    CoordinatePair,
    NotUrl,
    NotEmail,
    UnknownRegion,
    /// Cell text that is not a number.
    NotNumber,
    /// Cell text that is not a whole non-negative number.
    NotCount,
    UnknownSphere,
    NotYesNo,
    /// Cell holds characters that could not be decoded (wrong file encoding).
    Undecodable,
    /// The ИНН already appeared in the file on `first_row`.
    DuplicateInn {
        first_row: usize,
    },
}

impl Problem {
    /// The reason in Russian.
    pub fn user_message(&self) -> String {
        match self {
            Problem::Required => t!("reg-err-required"),
            Problem::TooLong { max } => t!("reg-err-too-long", max = *max),
            Problem::Id(e) => e.user_message(),
            Problem::OutOfRange { min, max } => t!("reg-err-out-of-range", min = *min, max = *max),
            Problem::CoordinatePair => t!("reg-err-coordinate-pair"),
            Problem::NotUrl => t!("reg-err-not-url"),
            Problem::NotEmail => t!("reg-err-not-email"),
            Problem::UnknownRegion => t!("reg-err-unknown-region"),
            Problem::NotNumber => t!("reg-err-not-number"),
            Problem::NotCount => t!("reg-err-not-count"),
            Problem::UnknownSphere => t!("reg-err-unknown-sphere"),
            Problem::NotYesNo => t!("reg-err-not-yes-no"),
            Problem::Undecodable => t!("reg-err-undecodable"),
            Problem::DuplicateInn { first_row } => t!("reg-err-duplicate-inn", row = *first_row),
        }
    }
}

impl OrganizationRecord {
    /// Every rule the record breaks (empty when it is acceptable). Names may hold any text, markup included:
    /// they are stored as text and escaped where shown.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut check = |field: Column, result: Result<(), Problem>| {
            if let Err(problem) = result {
                errors.push(FieldError { field, problem });
            }
        };
        check(Column::Inn, ids::validate_inn(&self.inn).map_err(id_problem));
        check(Column::FullName, name(&self.full_name));
        check(Column::ShortName, name(&self.short_name));
        check(Column::Ogrn, optional(&self.ogrn, |v| ids::validate_ogrn(v).map_err(id_problem)));
        check(Column::Kpp, optional(&self.kpp, |v| ids::validate_kpp(v).map_err(id_problem)));
        check(Column::Address, max_len(&self.address, MAX_TEXT_CHARS));
        check(Column::Latitude, coordinate(self.latitude, self.longitude, 90.0));
        check(Column::Longitude, coordinate(self.longitude, self.latitude, 180.0));
        check(Column::Website, optional(&self.website, website));
        check(Column::Email, optional(&self.email, email));
        check(Column::Phone, optional(&self.phone, |v| max_len(v, MAX_TEXT_CHARS)));
        check(Column::RegionCode, region(&self.region_code));
        check(Column::Municipality, optional(&self.municipality, |v| max_len(v, MAX_MUNICIPALITY_CHARS)));
        check(Column::Authority, optional(&self.authority, |v| max_len(v, MAX_TEXT_CHARS)));
        errors
    }
}

fn id_problem(e: IdError) -> Problem {
    if e == IdError::Empty { Problem::Required } else { Problem::Id(e) }
}

fn max_len(value: &str, max: usize) -> Result<(), Problem> {
    // Byte length bounds the char count from above: skip counting for short values.
    if value.len() > max && value.chars().count() > max { Err(Problem::TooLong { max }) } else { Ok(()) }
}

fn name(value: &str) -> Result<(), Problem> {
    if value.trim().is_empty() {
        return Err(Problem::Required);
    }
    max_len(value, MAX_TEXT_CHARS)
}

/// An optional value is checked only when present; present-but-empty counts as missing.
fn optional(value: &Option<String>, rule: impl Fn(&str) -> Result<(), Problem>) -> Result<(), Problem> {
    match value.as_deref() {
        None => Ok(()),
        Some(v) if v.trim().is_empty() => Err(Problem::Required),
        Some(v) => rule(v),
    }
}

fn coordinate(value: Option<f64>, other: Option<f64>, limit: f64) -> Result<(), Problem> {
    match (value, other) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(Problem::CoordinatePair),
        (Some(v), _) if v.is_finite() && (-limit..=limit).contains(&v) => Ok(()),
        (Some(_), _) => Err(Problem::OutOfRange { min: -limit, max: limit }),
    }
}

/// `http://` or `https://`, a host with a dot, no spaces.
fn website(value: &str) -> Result<(), Problem> {
    max_len(value, MAX_TEXT_CHARS)?;
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &value[8..]
    } else if lower.starts_with("http://") {
        &value[7..]
    } else {
        return Err(Problem::NotUrl);
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if host_ok && !value.chars().any(char::is_whitespace) { Ok(()) } else { Err(Problem::NotUrl) }
}

/// `local@domain.tld`, one `@`, no spaces.
fn email(value: &str) -> Result<(), Problem> {
    max_len(value, MAX_EMAIL_CHARS)?;
    let Some((local, domain)) = value.split_once('@') else {
        return Err(Problem::NotEmail);
    };
    let ok = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !value.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'));
    if ok { Ok(()) } else { Err(Problem::NotEmail) }
}

fn region(code: &str) -> Result<(), Problem> {
    if code.trim().is_empty() {
        Err(Problem::Required)
    } else if regions::by_code(code).is_some() {
        Ok(())
    } else {
        Err(Problem::UnknownRegion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> OrganizationRecord {
        OrganizationRecord {
            inn: ids::make_inn(1),
            full_name: "Муниципальное общеобразовательное учреждение \"Средняя школа № 14\"".into(),
            short_name: "МОУ \"Средняя школа № 14\"".into(),
            ogrn: Some(ids::make_ogrn(1)),
            kpp: Some("760401001".into()),
            address: "150000, Ярославская область, г. Ярославль, ул. Свободы, д. 12".into(),
            latitude: Some(57.6261),
            longitude: Some(39.8845),
            website: Some("https://school14.example.ru".into()),
            email: Some("info@school14.example.ru".into()),
            phone: Some("+7 4852 30-12-45".into()),
            sphere: Sphere::Education,
            region_code: "76".into(),
            municipality: Some("городской округ город Ярославль".into()),
            authority: Some("76-education".into()),
            population: 850,
            active: true,
        }
    }

    fn fields(rec: &OrganizationRecord) -> Vec<Column> {
        rec.validate().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_record_passes() {
        assert_eq!(sample().validate(), vec![]);
    }

    #[test]
    fn markup_in_names_is_just_text() {
        let mut rec = sample();
        rec.full_name = "<script>alert('x')</script> & \"Школа\"".into();
        assert_eq!(rec.validate(), vec![]);
    }

    #[test]
    fn each_rule_reports_its_field() {
        let mut rec = sample();
        rec.inn = "7707083894".into();
        rec.full_name = " ".into();
        rec.short_name = "я".repeat(1001);
        rec.ogrn = Some("1".into());
        rec.kpp = Some(String::new());
        rec.latitude = Some(91.0);
        rec.longitude = Some(f64::NAN);
        rec.website = Some("school14.ru".into());
        rec.email = Some("info@school".into());
        rec.region_code = "88".into();
        assert_eq!(
            fields(&rec),
            vec![
                Column::Inn,
                Column::FullName,
                Column::ShortName,
                Column::Ogrn,
                Column::Kpp,
                Column::Latitude,
                Column::Longitude,
                Column::Website,
                Column::Email,
                Column::RegionCode
            ]
        );
        let errors = rec.validate();
        assert_eq!(errors[0].problem, Problem::Id(IdError::Checksum { expected: 3, actual: 4 }));
        assert_eq!(errors[2].problem, Problem::TooLong { max: 1000 });
        assert!(errors.iter().all(|e| !e.reason().starts_with("reg-")), "{errors:?}");
    }

    #[test]
    fn reasons_read_well() {
        let range = Problem::OutOfRange { min: -90.0, max: 90.0 };
        assert_eq!(range.user_message(), "значение должно быть от -90 до 90");
        assert_eq!(Problem::DuplicateInn { first_row: 12345 }.user_message(), "этот ИНН уже указан в строке 12345");
        assert_eq!(
            Problem::Id(IdError::Length { expected: 10, actual: 9 }).user_message(),
            "неверная длина: нужно 10 знаков, указано 9"
        );
    }

    #[test]
    fn names_of_exactly_1000_chars_pass() {
        let mut rec = sample();
        rec.full_name = "ё".repeat(1000);
        assert_eq!(rec.validate(), vec![]);
    }

    #[test]
    fn municipality_is_optional_and_at_most_200_chars() {
        let mut rec = sample();
        rec.municipality = None;
        assert_eq!(rec.validate(), vec![]);
        rec.municipality = Some("р".repeat(200));
        assert_eq!(rec.validate(), vec![]);
        rec.municipality = Some("р".repeat(201));
        let too_long = FieldError { field: Column::Municipality, problem: Problem::TooLong { max: 200 } };
        assert_eq!(rec.validate(), vec![too_long]);
    }

    #[test]
    fn coordinates_come_in_pairs() {
        let mut rec = sample();
        rec.longitude = None;
        assert_eq!(rec.validate(), vec![FieldError { field: Column::Longitude, problem: Problem::CoordinatePair }]);
        rec.latitude = None;
        assert_eq!(rec.validate(), vec![]);
    }

    #[test]
    fn websites_and_emails() {
        for ok in ["https://school14.example.ru", "HTTP://школа.рф/nok?x=1", "http://localhost.ru:8080/"] {
            assert_eq!(website(ok), Ok(()), "{ok}");
        }
        for bad in ["school14.ru", "ftp://x.ru", "https://", "https://bad host.ru", "javascript:alert(1)", "https://x"]
        {
            assert_eq!(website(bad), Err(Problem::NotUrl), "{bad}");
        }
        for ok in ["info@school14.example.ru", "директор@школа.рф"] {
            assert_eq!(email(ok), Ok(()), "{ok}");
        }
        for bad in ["info", "@x.ru", "a@b", "a@@b.ru", "a b@c.ru", "a@b..ru", "a@b.ru, c@d.ru"] {
            assert_eq!(email(bad), Err(Problem::NotEmail), "{bad}");
        }
    }

    #[test]
    fn region_accepts_one_digit_form() {
        let mut rec = sample();
        rec.region_code = "7".into();
        assert_eq!(rec.validate(), vec![]);
    }

    #[test]
    fn json_uses_sphere_code_and_defaults() {
        let rec = sample();
        let json = serde_json::to_value(&rec).unwrap();
        assert_eq!(json["sphere"], Sphere::Education.code());
        let back: OrganizationRecord = serde_json::from_value(json).unwrap();
        assert_eq!(back, rec);
        let minimal: OrganizationRecord = serde_json::from_str(
            r#"{"inn":"7707083893","full_name":"А","short_name":"А","sphere":"education","region_code":"77"}"#,
        )
        .unwrap();
        assert!(minimal.active);
        assert_eq!(minimal.sphere, Sphere::Education);
    }
}
