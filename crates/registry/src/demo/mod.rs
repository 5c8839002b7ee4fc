//! A deterministic synthetic registry of one region (Ярославская область) for demos, tests and benchmarks:
//! authorities, and organisations of all five spheres with valid unique ИНН/ОГРН, addresses, coordinates,
//! sites, e-mails, phones, municipalities and populations typical of their kind. No network, no randomness beyond the seed.

use crate::Sphere;
use crate::ids::{inn_with_check_digit, ogrn_with_check_digit};
use crate::record::OrganizationRecord;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use towns::TOWNS;

mod towns;

/// An authorised body of the demo region.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoAuthority {
    /// Short code used in the registry's «Уполномоченный орган» column, e.g. `76-health`.
    pub code: String,
    pub name: String,
    pub sphere: Option<Sphere>,
}

/// The generated region.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRegion {
    pub region_code: String,
    pub authorities: Vec<DemoAuthority>,
    pub organizations: Vec<OrganizationRecord>,
}

/// The demo region's code (Ярославская область).
pub const REGION_CODE: &str = "76";
const REGION_GENITIVE: &str = "Ярославской области";
/// Kinds of organisation that serve a whole municipal district (a central district hospital): in a city
/// district they belong to the rural district around it.
const DISTRICT_KINDS: [&str; 1] = ["crb"];

const STREETS: [&str; 14] = [
    "ул. Свободы",
    "ул. Советская",
    "пр-т Ленина",
    "ул. Кирова",
    "ул. Пушкина",
    "ул. Гагарина",
    "ул. Чкалова",
    "ул. Комсомольская",
    "ул. Некрасова",
    "ул. Победы",
    "ул. Мира",
    "ул. Октябрьская",
    "ул. Крестьянская",
    "пр-т Октября",
];

/// A kind of organisation: how it is named and how many people it serves a year.
struct Kind {
    sphere: Sphere,
    /// Share among the organisations of its sphere.
    weight: u32,
    slug: &'static str,
    /// Full form of the legal-form prefix, short form.
    form: (&'static str, &'static str),
    /// The quoted name; `{n}` is a number, `{adj}` the town adjective.
    name: &'static str,
    population: (u32, u32),
}

const GBUZ: (&str, &str) = ("Государственное бюджетное учреждение здравоохранения Ярославской области", "ГБУЗ ЯО");
const MOU: (&str, &str) = ("Муниципальное общеобразовательное учреждение", "МОУ");
const MDOU: (&str, &str) = ("Муниципальное дошкольное образовательное учреждение", "МДОУ");
const GPOU: (&str, &str) =
    ("Государственное профессиональное образовательное учреждение Ярославской области", "ГПОУ ЯО");
const MUK: (&str, &str) = ("Муниципальное учреждение культуры", "МУК");
const MUDO: (&str, &str) = ("Муниципальное учреждение дополнительного образования", "МУДО");
const GBUSO: (&str, &str) =
    ("Государственное бюджетное учреждение социального обслуживания Ярославской области", "ГБУ СО ЯО");

const KINDS: [Kind; 17] = [
    Kind {
        sphere: Sphere::Health,
        weight: 3,
        slug: "gb",
        form: GBUZ,
        name: "{adj} городская больница № {n}",
        population: (20_000, 80_000),
    },
    Kind {
        sphere: Sphere::Health,
        weight: 3,
        slug: "gp",
        form: GBUZ,
        name: "Городская поликлиника № {n}",
        population: (10_000, 60_000),
    },
    Kind {
        sphere: Sphere::Health,
        weight: 2,
        slug: "dp",
        form: GBUZ,
        name: "Детская поликлиника № {n}",
        population: (5_000, 30_000),
    },
    Kind {
        sphere: Sphere::Health,
        weight: 1,
        slug: "stom",
        form: GBUZ,
        name: "Стоматологическая поликлиника № {n}",
        population: (5_000, 25_000),
    },
    Kind {
        sphere: Sphere::Education,
        weight: 10,
        slug: "school",
        form: MOU,
        name: "Средняя школа № {n}",
        population: (300, 1_500),
    },
    Kind {
        sphere: Sphere::Education,
        weight: 2,
        slug: "gymn",
        form: MOU,
        name: "Гимназия № {n}",
        population: (400, 1_200),
    },
    Kind {
        sphere: Sphere::Education,
        weight: 8,
        slug: "ds",
        form: MDOU,
        name: "Детский сад № {n}",
        population: (80, 350),
    },
    Kind {
        sphere: Sphere::Education,
        weight: 1,
        slug: "college",
        form: GPOU,
        name: "{adj} политехнический колледж № {n}",
        population: (500, 2_000),
    },
    Kind {
        sphere: Sphere::Culture,
        weight: 3,
        slug: "cbs",
        form: MUK,
        name: "Централизованная библиотечная система № {n}",
        population: (1_000, 20_000),
    },
    Kind {
        sphere: Sphere::Culture,
        weight: 3,
        slug: "dk",
        form: MUK,
        name: "{adj} дом культуры № {n}",
        population: (2_000, 30_000),
    },
    Kind {
        sphere: Sphere::Culture,
        weight: 1,
        slug: "museum",
        form: MUK,
        name: "{adj} историко-краеведческий музей № {n}",
        population: (3_000, 50_000),
    },
    Kind {
        sphere: Sphere::Culture,
        weight: 2,
        slug: "dshi",
        form: MUDO,
        name: "Детская школа искусств № {n}",
        population: (200, 800),
    },
    Kind {
        sphere: Sphere::Social,
        weight: 3,
        slug: "kcson",
        form: GBUSO,
        name: "Комплексный центр социального обслуживания населения № {n}",
        population: (1_000, 8_000),
    },
    Kind {
        sphere: Sphere::Social,
        weight: 1,
        slug: "dip",
        form: GBUSO,
        name: "{adj} дом-интернат для престарелых и инвалидов № {n}",
        population: (50, 400),
    },
    Kind {
        sphere: Sphere::Social,
        weight: 1,
        slug: "srcn",
        form: GBUSO,
        name: "Социально-реабилитационный центр для несовершеннолетних № {n}",
        population: (100, 600),
    },
    Kind { sphere: Sphere::Mse, weight: 1, slug: "mse", form: ("", ""), name: "", population: (1_000, 6_000) },
    Kind {
        sphere: Sphere::Health,
        weight: 1,
        slug: "crb",
        form: GBUZ,
        name: "{adj} центральная районная больница № {n}",
        population: (15_000, 50_000),
    },
];

/// Share of organisations per sphere, in per cent.
const SPHERE_SHARES: [(Sphere, u32); 5] =
    [(Sphere::Education, 45), (Sphere::Culture, 22), (Sphere::Health, 15), (Sphere::Social, 12), (Sphere::Mse, 6)];

fn authorities() -> Vec<DemoAuthority> {
    let regional = |sphere: Sphere, slug: &str, ministry: &str| DemoAuthority {
        code: format!("{REGION_CODE}-{slug}"),
        name: format!("{ministry} {REGION_GENITIVE}"),
        sphere: Some(sphere),
    };
    vec![
        regional(Sphere::Culture, "culture", "Министерство культуры"),
        regional(Sphere::Health, "health", "Министерство здравоохранения"),
        regional(Sphere::Education, "education", "Министерство образования"),
        regional(Sphere::Social, "social", "Министерство труда и социальной поддержки населения"),
        DemoAuthority {
            code: "ru-mse".into(),
            name: "Министерство труда и социальной защиты Российской Федерации (Минтруд России)".into(),
            sphere: Some(Sphere::Mse),
        },
    ]
}

fn authority_code(sphere: Sphere) -> String {
    authorities().into_iter().find(|a| a.sphere == Some(sphere)).map(|a| a.code).unwrap_or_default()
}

/// Picks an index by weight.
fn weighted(rng: &mut ChaCha8Rng, weights: impl Iterator<Item = u32> + Clone) -> usize {
    let total: u32 = weights.clone().sum();
    let mut roll = rng.random_range(0..total);
    for (i, w) in weights.enumerate() {
        if roll < w {
            return i;
        }
        roll -= w;
    }
    unreachable!("roll below total")
}

/// The demo region with `count` organisations (about 400 is a realistic region); the same seed gives the same
/// region. The first five organisations cover the five spheres, so every sphere is present when `count ≥ 5`.
///
/// # Panics
/// If a town's tax offices run out of 100 000 serial numbers (far beyond a million organisations).
pub fn generate(seed: u64, count: usize) -> DemoRegion {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let authority_codes: HashMap<Sphere, String> = Sphere::ALL.iter().map(|&s| (s, authority_code(s))).collect();
    let mut serials: HashMap<&str, u32> = HashMap::new();
    let mut numbers: HashMap<(usize, usize), u32> = HashMap::new();
    let mut mse_bureaus = 0;
    let mut organizations = Vec::with_capacity(count);
    for i in 0..count {
        let sphere = match SPHERE_SHARES.get(i) {
            Some(&(sphere, _)) if i < SPHERE_SHARES.len() => sphere,
            _ => SPHERE_SHARES[weighted(&mut rng, SPHERE_SHARES.iter().map(|s| s.1))].0,
        };
        let kinds: Vec<usize> = (0..KINDS.len()).filter(|&k| KINDS[k].sphere == sphere).collect();
        let kind_index = kinds[weighted(&mut rng, kinds.iter().map(|&k| KINDS[k].weight))];
        let kind = &KINDS[kind_index];
        let town_index = weighted(&mut rng, TOWNS.iter().map(|t| t.weight));
        let town = &TOWNS[town_index];

        let number = numbers.entry((kind_index, town_index)).or_insert(0);
        *number += 1;
        let (full_name, short_name) = if sphere == Sphere::Mse {
            mse_bureaus += 1;
            mse_names(mse_bureaus)
        } else {
            let quoted = kind.name.replace("{adj}", town.adjective).replace("{n}", &number.to_string());
            (format!("{} \"{quoted}\"", kind.form.0), format!("{} \"{quoted}\"", kind.form.1))
        };
        let slug = if sphere == Sphere::Mse {
            format!("mse{mse_bureaus}-{REGION_CODE}")
        } else {
            format!("{}{}-{}", kind.slug, number, town.slug)
        };

        let office = town.tax_offices[rng.random_range(0..town.tax_offices.len())];
        let serial = serials.entry(office).or_insert(0);
        assert!(*serial < 100_000, "tax office {office} ran out of serial numbers");
        let inn = inn_with_check_digit(&format!("{office}{serial:05}"));
        let year = rng.random_range(2..=16);
        let ogrn = ogrn_with_check_digit(&format!("1{year:02}{REGION_CODE}{}{serial:05}", &office[2..]));
        *serial += 1;

        let street = STREETS[rng.random_range(0..STREETS.len())];
        let house = rng.random_range(1..=120);
        let jitter = |rng: &mut ChaCha8Rng, spread: f64| (rng.random_range(-spread..spread) * 1e6).round() / 1e6;
        let latitude = ((town.lat + jitter(&mut rng, 0.03)) * 1e6).round() / 1e6;
        let longitude = ((town.lon + jitter(&mut rng, 0.05)) * 1e6).round() / 1e6;
        let local_digits = 10 - town.phone_code.len();
        let local = rng.random_range(10u32.pow(local_digits as u32 - 1) * 2..10u32.pow(local_digits as u32));
        let (min, max) = kind.population;

        organizations.push(OrganizationRecord {
            inn,
            full_name,
            short_name,
            ogrn: Some(ogrn),
            kpp: Some(format!("{office}01001")),
            address: format!("{}, {}, г. {}, {street}, д. {house}", town.postcode, "Ярославская область", town.name),
            latitude: Some(latitude),
            longitude: Some(longitude),
            website: (rng.random_range(0..100) >= 4).then(|| format!("https://{slug}.example.ru")),
            email: Some(format!("info@{slug}.example.ru")),
            phone: Some(format_phone(town.phone_code, local)),
            sphere,
            region_code: REGION_CODE.into(),
            municipality: Some(town.municipality(DISTRICT_KINDS.contains(&kind.slug)).to_owned()),
            authority: authority_codes.get(&sphere).cloned(),
            population: rng.random_range(min..=max),
            active: rng.random_range(0..100) >= 3,
        });
    }
    DemoRegion { region_code: REGION_CODE.into(), authorities: authorities(), organizations }
}

fn mse_names(n: u32) -> (String, String) {
    (
        format!(
            "Бюро медико-социальной экспертизы № {n} — филиал федерального казённого учреждения \"Главное бюро \
             медико-социальной экспертизы по {REGION_GENITIVE}\" Министерства труда и социальной защиты Российской Федерации"
        ),
        format!("Бюро № {n} — филиал ФКУ \"ГБ МСЭ по {REGION_GENITIVE}\""),
    )
}

/// `+7 4852 30-12-45`, `+7 48535 3-12-45`.
fn format_phone(code: &str, local: u32) -> String {
    let digits = local.to_string();
    let (head, tail) = digits.split_at(digits.len() - 4);
    format!("+7 {code} {head}-{}-{}", &tail[..2], &tail[2..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{validate_inn, validate_kpp, validate_ogrn};
    use std::collections::HashSet;

    #[test]
    fn same_seed_same_region_other_seed_other_region() {
        assert_eq!(generate(7, 400), generate(7, 400));
        assert_ne!(generate(7, 400).organizations, generate(8, 400).organizations);
    }

    #[test]
    fn a_valid_plausible_region() {
        let region = generate(2026, 400);
        assert_eq!(region.region_code, "76");
        assert_eq!(region.organizations.len(), 400);
        let spheres: HashSet<_> = region.organizations.iter().map(|o| o.sphere).collect();
        assert_eq!(spheres.len(), 5);
        assert_eq!(region.authorities.len(), 5);
        let codes: HashSet<_> = region.authorities.iter().map(|a| a.code.as_str()).collect();
        let mut inns = HashSet::new();
        let mut ogrns = HashSet::new();
        let mut sites = HashSet::new();
        for o in &region.organizations {
            assert_eq!(o.validate(), vec![], "{o:?}");
            validate_inn(&o.inn).unwrap();
            validate_ogrn(o.ogrn.as_deref().unwrap()).unwrap();
            validate_kpp(o.kpp.as_deref().unwrap()).unwrap();
            assert!(inns.insert(o.inn.clone()), "duplicate ИНН {}", o.inn);
            assert!(ogrns.insert(o.ogrn.clone()), "duplicate ОГРН");
            if let Some(site) = &o.website {
                assert!(sites.insert(site.clone()), "duplicate site {site}");
                assert!(site.starts_with("https://") && site.ends_with(".example.ru"));
            }
            assert!(codes.contains(o.authority.as_deref().unwrap()));
            let (lat, lon) = (o.latitude.unwrap(), o.longitude.unwrap());
            assert!((56.5..=59.0).contains(&lat) && (37.3..=41.5).contains(&lon), "{lat} {lon}");
            assert!(o.phone.as_deref().unwrap().starts_with("+7 48"));
            assert!(o.address.contains("Ярославская область"));
            let people = o.population;
            match o.sphere {
                Sphere::Health => assert!((5_000..=80_000).contains(&people)),
                Sphere::Education => assert!((80..=2_000).contains(&people)),
                _ => assert!((50..=50_000).contains(&people)),
            }
        }
        assert!(
            region
                .organizations
                .iter()
                .any(|o| o.short_name == "Бюро № 1 — филиал ФКУ \"ГБ МСЭ по Ярославской области\"")
        );
        assert!(region.organizations.iter().any(|o| o.short_name.starts_with("МОУ \"Средняя школа № ")));
        assert!(region.organizations.iter().any(|o| o.address.contains("г. Рыбинск")));
    }

    #[test]
    fn municipalities_follow_the_town() {
        let region = generate(2026, 400);
        let municipality = |o: &OrganizationRecord| o.municipality.clone().unwrap_or_default();
        for o in &region.organizations {
            let m = municipality(o);
            if o.address.contains("г. Ярославль,") {
                let expected = if o.short_name.contains("районная больница") {
                    "Ярославский муниципальный район"
                } else {
                    "городской округ город Ярославль"
                };
                assert_eq!(m, expected, "{}", o.short_name);
            } else if o.address.contains("г. Углич,") {
                assert_eq!(m, "Угличский муниципальный район");
            }
        }
        let all: HashSet<String> = region.organizations.iter().map(municipality).collect();
        assert!(all.contains("городской округ город Рыбинск"), "{all:?}");
        assert!(all.contains("Ярославский муниципальный район"), "{all:?}");
        assert!(all.len() >= 11, "{all:?}");
    }

    #[test]
    fn a_hundred_thousand_stay_unique() {
        let region = generate(1, 100_000);
        let inns: HashSet<_> = region.organizations.iter().map(|o| o.inn.as_str()).collect();
        assert_eq!(inns.len(), 100_000);
    }

    #[test]
    fn phones_are_formatted() {
        assert_eq!(format_phone("4852", 301245), "+7 4852 30-12-45");
        assert_eq!(format_phone("48535", 31245), "+7 48535 3-12-45");
    }
}
