//! The towns of the demo region: postcodes, coordinates, telephone and tax office codes, how many
//! organisations each has, and the municipality (муниципальное образование) its organisations belong to.

/// A town of the demo region.
pub(super) struct Town {
    pub name: &'static str,
    /// «Рыбинская» городская больница.
    pub adjective: &'static str,
    pub slug: &'static str,
    pub postcode: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// Telephone area code (after +7).
    pub phone_code: &'static str,
    /// Tax office codes (first four digits of ИНН and КПП) registering organisations here.
    pub tax_offices: &'static [&'static str],
    /// Relative share of organisations.
    pub weight: u32,
    /// The municipality of the town itself: a city district (городской округ) or the district it is the
    /// centre of.
    pub municipality: &'static str,
    /// The rural district around a city district, whose district-wide organisations sit in the town.
    pub district: Option<&'static str>,
}

impl Town {
    /// The municipality of an organisation of this town: the surrounding district for an organisation
    /// serving the district (a central district hospital), the town's own otherwise.
    pub fn municipality(&self, serves_district: bool) -> &'static str {
        match self.district {
            Some(district) if serves_district => district,
            _ => self.municipality,
        }
    }
}

pub(super) const TOWNS: [Town; 11] = [
    Town {
        name: "Ярославль",
        adjective: "Ярославская",
        slug: "yaroslavl",
        postcode: "150000",
        lat: 57.6261,
        lon: 39.8845,
        phone_code: "4852",
        tax_offices: &["7602", "7603", "7604", "7606", "7607"],
        weight: 42,
        municipality: "городской округ город Ярославль",
        district: Some("Ярославский муниципальный район"),
    },
    Town {
        name: "Рыбинск",
        adjective: "Рыбинская",
        slug: "rybinsk",
        postcode: "152900",
        lat: 58.0485,
        lon: 38.8584,
        phone_code: "4855",
        tax_offices: &["7610"],
        weight: 16,
        municipality: "городской округ город Рыбинск",
        district: Some("Рыбинский муниципальный район"),
    },
    Town {
        name: "Переславль-Залесский",
        adjective: "Переславская",
        slug: "pereslavl",
        postcode: "152020",
        lat: 56.7361,
        lon: 38.8543,
        phone_code: "48535",
        tax_offices: &["7608"],
        weight: 6,
        municipality: "городской округ город Переславль-Залесский",
        district: None,
    },
    district_town(
        ("Ростов", "Ростовская", "rostov"),
        "152150",
        (57.1859, 39.4146),
        "48536",
        &["7609"],
        6,
        "Ростовский муниципальный район",
    ),
    district_town(
        ("Углич", "Угличская", "uglich"),
        "152610",
        (57.5224, 38.3020),
        "48532",
        &["7612"],
        5,
        "Угличский муниципальный район",
    ),
    district_town(
        ("Тутаев", "Тутаевская", "tutaev"),
        "152300",
        (57.8676, 39.5365),
        "48533",
        &["7611"],
        5,
        "Тутаевский муниципальный район",
    ),
    district_town(
        ("Гаврилов-Ям", "Гаврилов-Ямская", "gavrilov-yam"),
        "152240",
        (57.3093, 39.8523),
        "48534",
        &["7616"],
        4,
        "Гаврилов-Ямский муниципальный район",
    ),
    district_town(
        ("Данилов", "Даниловская", "danilov"),
        "152070",
        (58.1859, 40.1752),
        "48538",
        &["7617"],
        4,
        "Даниловский муниципальный район",
    ),
    district_town(
        ("Любим", "Любимская", "lyubim"),
        "152470",
        (58.3620, 40.6860),
        "48543",
        &["7618"],
        3,
        "Любимский муниципальный район",
    ),
    district_town(
        ("Пошехонье", "Пошехонская", "poshekhonye"),
        "152850",
        (58.5033, 39.1360),
        "48546",
        &["7624"],
        3,
        "Пошехонский муниципальный район",
    ),
    district_town(
        ("Мышкин", "Мышкинская", "myshkin"),
        "152830",
        (57.7860, 38.4540),
        "48544",
        &["7619"],
        3,
        "Мышкинский муниципальный район",
    ),
];

/// A town that is the centre of its municipal district `municipality`.
const fn district_town(
    (name, adjective, slug): (&'static str, &'static str, &'static str),
    postcode: &'static str,
    (lat, lon): (f64, f64),
    phone_code: &'static str,
    tax_offices: &'static [&'static str],
    weight: u32,
    municipality: &'static str,
) -> Town {
    Town { name, adjective, slug, postcode, lat, lon, phone_code, tax_offices, weight, municipality, district: None }
}
