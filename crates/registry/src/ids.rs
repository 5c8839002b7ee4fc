//! State identifiers of a legal entity: ИНН (10 digits), ОГРН (13) and КПП (9), their checks and valid test values.
//!
//! Owns the format and checksum rules only; which field is required and how errors reach the user is decided
//! by [`crate::record`] and the importer.

use nok_i18n::t;

/// What is wrong with an identifier. `Display` is for logs; [`IdError::user_message`] is the Russian text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("empty")]
    Empty,
    #[error("expected {expected} characters, got {actual}")]
    Length { expected: usize, actual: usize },
    #[error("a 12-digit INN belongs to a person, an organisation has 10 digits")]
    PersonalInn,
    #[error("character {position} is not a digit")]
    NonDigit { position: usize },
    #[error("character {position} must be a digit or a capital Latin letter")]
    NotDigitOrLatin { position: usize },
    #[error("control digit is {actual}, expected {expected}")]
    Checksum { expected: u8, actual: u8 },
}

impl IdError {
    /// The reason in Russian, for a person to fix the value.
    pub fn user_message(&self) -> String {
        match *self {
            IdError::Empty => t!("reg-id-empty"),
            IdError::Length { expected, actual } => {
                t!("reg-id-length", expected = expected, actual = actual)
            }
            IdError::PersonalInn => t!("reg-id-personal-inn"),
            IdError::NonDigit { position } => t!("reg-id-non-digit", position = position),
            IdError::NotDigitOrLatin { position } => t!("reg-id-kpp-char", position = position),
            IdError::Checksum { .. } => t!("reg-id-checksum"),
        }
    }
}

const INN_WEIGHTS: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];

/// Checks the ИНН of a legal entity: 10 digits, the last one the control digit.
pub fn validate_inn(inn: &str) -> Result<(), IdError> {
    let digits = digits_of(inn, 10)
        .map_err(|e| if matches!(e, IdError::Length { actual: 12, .. }) { IdError::PersonalInn } else { e })?;
    check_digit_matches(inn_check_digit(&digits[..9]), digits[9])
}

/// Checks an ОГРН: 13 digits; the control digit is (first 12 digits as a number mod 11) mod 10.
pub fn validate_ogrn(ogrn: &str) -> Result<(), IdError> {
    let digits = digits_of(ogrn, 13)?;
    check_digit_matches(ogrn_check_digit(&digits[..12]), digits[12])
}

/// Checks a КПП: 4 digits, 2 digits or capital Latin letters, 3 digits.
pub fn validate_kpp(kpp: &str) -> Result<(), IdError> {
    if kpp.is_empty() {
        return Err(IdError::Empty);
    }
    let actual = kpp.chars().count();
    for (i, ch) in kpp.chars().enumerate() {
        let ok = match i {
            4 | 5 => ch.is_ascii_digit() || ch.is_ascii_uppercase(),
            _ => ch.is_ascii_digit(),
        };
        if !ok {
            let position = i + 1;
            return Err(if matches!(i, 4 | 5) {
                IdError::NotDigitOrLatin { position }
            } else {
                IdError::NonDigit { position }
            });
        }
    }
    if actual != 9 {
        return Err(IdError::Length { expected: 9, actual });
    }
    Ok(())
}

/// A valid ИНН: `first_nine` (nine ASCII digits) followed by its control digit.
///
/// # Panics
/// If `first_nine` is not nine ASCII digits.
pub fn inn_with_check_digit(first_nine: &str) -> String {
    let digits = digits_of(first_nine, 9).expect("nine digits");
    format!("{first_nine}{}", inn_check_digit(&digits[..9]))
}

/// A valid ОГРН: `first_twelve` (twelve ASCII digits) followed by its control digit.
///
/// # Panics
/// If `first_twelve` is not twelve ASCII digits.
pub fn ogrn_with_check_digit(first_twelve: &str) -> String {
    let digits = digits_of(first_twelve, 12).expect("twelve digits");
    format!("{first_twelve}{}", ogrn_check_digit(&digits[..12]))
}

/// A valid ИНН derived from `seed`; different seeds below 10⁹ give different numbers.
pub fn make_inn(seed: u64) -> String {
    inn_with_check_digit(&format!("{:09}", scramble(seed, 1_000_000_000)))
}

/// A valid ОГРН (first digit 1, as for legal entities) derived from `seed`; seeds below 10¹¹ give different numbers.
pub fn make_ogrn(seed: u64) -> String {
    ogrn_with_check_digit(&format!("1{:011}", scramble(seed, 100_000_000_000)))
}

/// A valid КПП (reason code 01) derived from `seed`.
pub fn make_kpp(seed: u64) -> String {
    let n = scramble(seed, 10_000_000);
    format!("{:04}01{:03}", n / 1000, n % 1000)
}

/// A bijection of `seed mod modulus` onto `0..modulus` (the multiplier is coprime with powers of ten),
/// so consecutive seeds give unrelated-looking numbers without collisions.
fn scramble(seed: u64, modulus: u64) -> u64 {
    const MULTIPLIER: u128 = 387_420_489; // 3^18
    ((u128::from(seed % modulus) * MULTIPLIER + 12_345) % u128::from(modulus)) as u64
}

fn inn_check_digit(first_nine: &[u8]) -> u8 {
    let sum: u32 = first_nine.iter().zip(INN_WEIGHTS).map(|(&d, w)| u32::from(d) * w).sum();
    (sum % 11 % 10) as u8
}

fn ogrn_check_digit(first_twelve: &[u8]) -> u8 {
    let number = first_twelve.iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d));
    (number % 11 % 10) as u8
}

fn check_digit_matches(expected: u8, actual: u8) -> Result<(), IdError> {
    if expected == actual { Ok(()) } else { Err(IdError::Checksum { expected, actual }) }
}

/// The digit values of `text` if it is exactly `len` (at most 13) ASCII digits.
fn digits_of(text: &str, len: usize) -> Result<[u8; 13], IdError> {
    if text.is_empty() {
        return Err(IdError::Empty);
    }
    let mut digits = [0u8; 13];
    let mut count = 0;
    for (i, ch) in text.chars().enumerate() {
        if !ch.is_ascii_digit() {
            return Err(IdError::NonDigit { position: i + 1 });
        }
        if let Some(slot) = digits.get_mut(i) {
            *slot = ch as u8 - b'0';
        }
        count += 1;
    }
    if count != len {
        return Err(IdError::Length { expected: len, actual: count });
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_identifiers_pass() {
        // Сбербанк and Яндекс: published registration data.
        assert_eq!(validate_inn("7707083893"), Ok(()));
        assert_eq!(validate_ogrn("1027700132195"), Ok(()));
        assert_eq!(validate_kpp("773601001"), Ok(()));
        assert_eq!(validate_inn("7736207543"), Ok(()));
        assert_eq!(validate_ogrn("1027700229193"), Ok(()));
        assert_eq!(validate_kpp("7736AB001"), Ok(()));
    }

    #[test]
    fn inn_errors_say_what_is_wrong() {
        assert_eq!(validate_inn("7707083894"), Err(IdError::Checksum { expected: 3, actual: 4 }));
        assert_eq!(validate_inn("770708389"), Err(IdError::Length { expected: 10, actual: 9 }));
        assert_eq!(validate_inn("77070838931"), Err(IdError::Length { expected: 10, actual: 11 }));
        assert_eq!(validate_inn("500100732259"), Err(IdError::PersonalInn));
        assert_eq!(validate_inn("77О7083893"), Err(IdError::NonDigit { position: 3 }));
        assert_eq!(validate_inn("7707 83893"), Err(IdError::NonDigit { position: 5 }));
        assert_eq!(validate_inn(""), Err(IdError::Empty));
        assert_eq!(validate_inn("٧٧٠٧٠٨٣٨٩٣"), Err(IdError::NonDigit { position: 1 }), "only ASCII digits");
    }

    #[test]
    fn ogrn_and_kpp_errors() {
        assert!(matches!(validate_ogrn("1027700132196"), Err(IdError::Checksum { .. })));
        assert_eq!(validate_ogrn("102770013219"), Err(IdError::Length { expected: 13, actual: 12 }));
        assert_eq!(validate_kpp("77360100"), Err(IdError::Length { expected: 9, actual: 8 }));
        assert_eq!(validate_kpp("7736ab001"), Err(IdError::NotDigitOrLatin { position: 5 }));
        assert_eq!(validate_kpp("773A01001"), Err(IdError::NonDigit { position: 4 }));
        assert_eq!(validate_kpp("77360100X"), Err(IdError::NonDigit { position: 9 }));
    }

    #[test]
    fn generated_identifiers_are_valid_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for seed in 0..5000 {
            let inn = make_inn(seed);
            assert_eq!(validate_inn(&inn), Ok(()), "{inn}");
            assert!(seen.insert(inn));
            assert_eq!(validate_ogrn(&make_ogrn(seed)), Ok(()));
            assert_eq!(validate_kpp(&make_kpp(seed)), Ok(()));
        }
        assert_eq!(make_inn(42), make_inn(42));
    }

    #[test]
    fn messages_are_russian() {
        assert!(IdError::Checksum { expected: 1, actual: 2 }.user_message().contains("контрольн"));
        assert!(IdError::Length { expected: 10, actual: 9 }.user_message().contains("10"));
    }
}
