//! Automatic pre-checks of review texts against the stated rules (no links, no staff personal data, no
//! obscenity). They only *flag*: every review waits for a human moderator anyway, and a flag tells the
//! moderator where to look. What is checked, exactly:
//!
//! * **link** — a word with `://`, starting with `www.`, or shaped like `name.tld[/…]` for a common top-level
//!   domain (ru, рф, com, me, …), and spelled-out forms like «точка ру» / «dot com»;
//! * **email** — a word with `@` followed by a dotted domain;
//! * **phone** — 10 to 12 digits in a row (spaces, dashes, brackets allowed between them) that start with `+`,
//!   7, 8 or 9, the shape of a Russian phone number;
//! * **obscene** — a small list of roots of Russian obscene vocabulary (мат), matched at the start of a word
//!   or after a common verbal prefix (по-, на-, за-, у-, вы-, …), after folding ё→е, Latin and digit look-alikes
//!   (a→а, 0→о, 3→з, …) to Cyrillic; a `*` inside a word matches any one letter (`х*й`);
//! * **person_name** — a capitalised word followed by a capitalised patronymic («Мария Ивановна», «Иванову
//!   Петру Сергеевичу»), or a capitalised word next to initials («Иванов И. И.», «И.И. Иванов»).
//!
//! Not detected (which is why moderation is by people): a surname alone («врач Иванова»), positions that
//! identify one person («главный врач»), nicknames, obscenity outside the list, and links written with spaces.

/// One finding of the pre-checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flag {
    Link,
    Email,
    Phone,
    Obscene,
    PersonName,
}

impl Flag {
    pub const ALL: [Flag; 5] = [Flag::Link, Flag::Email, Flag::Phone, Flag::Obscene, Flag::PersonName];

    pub fn code(self) -> &'static str {
        match self {
            Flag::Link => "link",
            Flag::Email => "email",
            Flag::Phone => "phone",
            Flag::Obscene => "obscene",
            Flag::PersonName => "person_name",
        }
    }

    pub fn from_code(code: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// Every rule the text seems to break, in [`Flag::ALL`] order, without repeats.
pub fn check(text: &str) -> Vec<Flag> {
    let found = [
        (Flag::Link, has_link(text)),
        (Flag::Email, has_email(text)),
        (Flag::Phone, has_phone(text)),
        (Flag::Obscene, has_obscenity(text)),
        (Flag::PersonName, has_person_name(text)),
    ];
    found.into_iter().filter(|(_, hit)| *hit).map(|(f, _)| f).collect()
}

/// Flags as stored in the `review.flags` column (`None` when clean).
pub fn to_column(flags: &[Flag]) -> Option<String> {
    (!flags.is_empty()).then(|| flags.iter().map(|f| f.code()).collect::<Vec<_>>().join(","))
}

/// Flags read back from the column.
pub fn from_column(column: Option<&str>) -> Vec<Flag> {
    column.unwrap_or("").split(',').filter_map(Flag::from_code).collect()
}

const TLDS: &[&str] = &[
    "ru",
    "рф",
    "su",
    "рус",
    "москва",
    "com",
    "net",
    "org",
    "info",
    "biz",
    "io",
    "me",
    "online",
    "site",
    "club",
    "pro",
    "xyz",
    "top",
    "ly",
    "co",
    "cc",
    "tv",
    "app",
    "dev",
    "link",
    "shop",
    "store",
    "ua",
    "by",
    "kz",
    "uz",
    "de",
    "eu",
];

/// Words split on whitespace, lower-cased, with surrounding punctuation removed.
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '/' && c != '@').to_lowercase())
}

fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    if ["точка ру", "точка рф", "точка ком", "dot com", "dot ru"].iter().any(|p| lower.contains(p))
    {
        return true;
    }
    tokens(text).any(|w| {
        if w.contains("://") || w.starts_with("www.") {
            return true;
        }
        let host = w.split('/').next().unwrap_or("");
        match host.rsplit_once('.') {
            Some((name, tld)) => {
                !name.is_empty()
                    && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.')
                    && name.chars().any(char::is_alphanumeric)
                    && TLDS.contains(&tld)
            }
            None => false,
        }
    })
}

fn has_email(text: &str) -> bool {
    tokens(text).any(|w| match w.split_once('@') {
        Some((user, domain)) => !user.is_empty() && domain.contains('.') && !domain.ends_with('.'),
        None => false,
    })
}

fn has_phone(text: &str) -> bool {
    let mut digits = String::new();
    let mut plus = false;
    let finish = |digits: &mut String, plus: &mut bool| {
        let hit = (10..=12).contains(&digits.len()) && (*plus || digits.starts_with(['7', '8', '9']));
        digits.clear();
        *plus = false;
        hit
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == '+' && digits.is_empty() {
            plus = true;
        } else if matches!(c, ' ' | '-' | '(' | ')' | '\u{a0}') {
            continue;
        } else if finish(&mut digits, &mut plus) {
            return true;
        }
    }
    finish(&mut digits, &mut plus)
}

/// Roots of obscene words (after folding), matched at the start of a word or after a prefix.
const OBSCENE_ROOTS: &[&str] = &[
    "хуй",
    "хуе",
    "хуя",
    "хуи",
    "хую",
    "пизд",
    "пезд",
    "ебан",
    "ебат",
    "ебал",
    "ебло",
    "ебла",
    "ебн",
    "ебуч",
    "ебет",
    "ебу",
    "ебл",
    "ебищ",
    "бля",
    "мудак",
    "мудач",
    "мудил",
    "мудозвон",
    "пидор",
    "пидар",
    "пидр",
    "гондон",
    "гандон",
    "залуп",
    "шлюх",
    "сука",
    "суки",
    "суке",
    "суку",
    "сукой",
    "сучк",
    "сучар",
    "сучий",
];

const PREFIXES: &[&str] = &[
    "", "по", "на", "от", "за", "до", "ни", "вы", "у", "раз", "рас", "съ", "въ", "при", "пере", "недо", "об", "о",
    "под", "про", "с", "вз", "из", "ис",
];

/// Lower case, ё→е, Latin and digit look-alikes to Cyrillic; `*` kept as a one-letter wildcard.
fn fold(c: char) -> char {
    let c = c.to_lowercase().next().unwrap_or(c);
    match c {
        'ё' => 'е',
        'a' | '@' => 'а',
        'e' => 'е',
        'o' | '0' => 'о',
        'p' => 'р',
        'c' => 'с',
        'x' => 'х',
        'y' => 'у',
        'k' => 'к',
        'm' => 'м',
        't' => 'т',
        'h' => 'н',
        'b' | '6' => 'б',
        '3' => 'з',
        'u' => 'и',
        other => other,
    }
}

/// Whether `word` (folded chars) starts with `root`, with at most one `*` standing for a letter.
fn starts_with_root(word: &[char], root: &str) -> bool {
    let root: Vec<char> = root.chars().collect();
    if word.len() < root.len() {
        return false;
    }
    let mut wildcards = 0;
    for (w, r) in word.iter().zip(&root) {
        if *w == '*' {
            wildcards += 1;
        } else if w != r {
            return false;
        }
    }
    wildcards <= 1
}

fn is_obscene_word(word: &[char]) -> bool {
    PREFIXES.iter().any(|prefix| {
        let p: Vec<char> = prefix.chars().collect();
        word.len() > p.len()
            && word[..p.len()] == p[..]
            && OBSCENE_ROOTS.iter().any(|root| starts_with_root(&word[p.len()..], root))
    })
}

fn has_obscenity(text: &str) -> bool {
    let folded: Vec<char> = text.chars().map(fold).collect();
    folded.split(|c| !(c.is_alphabetic() || *c == '*')).filter(|w| !w.is_empty()).any(is_obscene_word)
}

/// Words with their case kept, and whether a sentence break (., !, ?, newline) came right before each.
fn words_with_breaks(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut pending_break = true;
    let mut break_before = true;
    for c in text.chars() {
        if c.is_alphabetic() || c == '-' || (c == '.' && is_initials(&current)) {
            if current.is_empty() {
                break_before = pending_break;
                pending_break = false;
            }
            current.push(c);
        } else {
            if !current.is_empty() {
                out.push((std::mem::take(&mut current), break_before));
            }
            if matches!(c, '.' | '!' | '?' | '\n' | ';' | ':') {
                pending_break = true;
            }
        }
    }
    if !current.is_empty() {
        out.push((current, break_before));
    }
    out
}

/// «И», «И.», «И.И», «И.И.»: capital letters each followed by a dot.
fn is_initials(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    !chars.is_empty()
        && chars.len() <= 4
        && chars.iter().enumerate().all(|(i, c)| if i % 2 == 0 { c.is_uppercase() } else { *c == '.' })
}

fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_uppercase() && is_cyrillic(c))
        && chars.clone().count() >= 1
        && chars.all(|c| c.is_lowercase() || c == '-')
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{4ff}').contains(&c)
}

fn is_patronymic(word: &str) -> bool {
    let lower = word.to_lowercase();
    capitalised(word)
        && lower.chars().count() >= 6
        && ["ович", "евич", "ьич", "овн", "евн", "ичн"]
            .iter()
            .any(|s| lower.char_indices().any(|(i, _)| i >= 4 && lower[i..].starts_with(s)))
}

/// How many initials («И.» or «И.И.») start at word `i` without a sentence break between them.
fn initials_at(words: &[(String, bool)], i: usize) -> (usize, usize) {
    let mut letters = 0;
    let mut j = i;
    while j < words.len() && words[j].0.contains('.') && is_initials(&words[j].0) && (j == i || !words[j].1) {
        letters += words[j].0.chars().filter(|c| c.is_uppercase()).count();
        j += 1;
    }
    (letters, j)
}

fn has_person_name(text: &str) -> bool {
    let words = words_with_breaks(text);
    let long_name = |w: &str| capitalised(w) && w.chars().count() >= 3;
    (0..words.len()).any(|i| {
        let next_joined = i + 1 < words.len() && !words[i + 1].1;
        if capitalised(&words[i].0) && next_joined {
            if is_patronymic(&words[i + 1].0) {
                return true;
            }
            if long_name(&words[i].0) && initials_at(&words, i + 1).0 >= 2 {
                return true;
            }
        }
        let (letters, after) = initials_at(&words, i);
        letters >= 2 && after < words.len() && !words[after].1 && long_name(&words[after].0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(text: &str) -> Vec<&'static str> {
        check(text).into_iter().map(Flag::code).collect()
    }

    #[test]
    fn clean_text_passes() {
        for text in [
            "Врачи внимательные, очередь небольшая. Спасибо!",
            "Застрахуем, оскорблять, корабля, учебный, себе, хлеба, употреблять — обычные слова.",
            "Приём с 10:00 до 18:00, в 2023 и 2024 годах стало лучше, т.е. намного.",
            "Г. Ярославль, ул. Свободы, д. 1. Конечно, типично для нас.",
        ] {
            assert!(check(text).is_empty(), "{text}: {:?}", flags(text));
        }
    }

    #[test]
    fn links_and_contacts() {
        assert_eq!(flags("смотрите https://example.com/x"), ["link"]);
        assert_eq!(flags("пишите на www.example.org"), ["link"]);
        assert_eq!(flags("группа vk.com/club1 и сайт клиника.рф"), ["link"]);
        assert_eq!(flags("сайт примерточка ру? нет: пример точка ру"), ["link"]);
        assert_eq!(flags("почта ivan@mail.ru"), ["email"]);
        assert_eq!(flags("звоните +7 (900) 123-45-67"), ["phone"]);
        assert_eq!(flags("звоните 8 900 123 45 67."), ["phone"]);
    }

    #[test]
    fn obscenity_including_masked_and_prefixed_forms() {
        for text in ["это просто пиздец", "Нахуй такое", "ХУЙ", "х*й", "бл*ть какая очередь", "сука", "заебали", "xyй"]
        {
            assert_eq!(flags(text), ["obscene"], "{text}");
        }
        assert!(check("***").is_empty());
    }

    #[test]
    fn staff_names() {
        assert_eq!(flags("медсестра Мария Ивановна нагрубила"), ["person_name"]);
        assert_eq!(flags("Спасибо Ивану Петровичу!"), ["person_name"]);
        assert_eq!(flags("хирург Иванов И.И. хороший"), ["person_name"]);
        assert_eq!(flags("хирург И. И. Иванов хороший"), ["person_name"]);
        assert_eq!(flags("хирург И.И. Иванов"), ["person_name"]);
        assert!(check("Хорошо. Типично для нашего города").is_empty());
    }

    #[test]
    fn column_round_trip() {
        let f = vec![Flag::Link, Flag::PersonName];
        assert_eq!(to_column(&f).as_deref(), Some("link,person_name"));
        assert_eq!(from_column(Some("link,person_name,junk")), f);
        assert_eq!(to_column(&[]), None);
    }
}
