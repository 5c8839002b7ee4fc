//! The shipped definitions and the definition format: versions by date, sphere variants, the
//! questionnaire, checklists, marks, the waiting-time scale, levels, and authority-defined versions.

use nok_methodology::definition::{DefinitionError, Mark};
use nok_methodology::{
    AnswerError, ChecklistMarks, ChecklistSection, Definition, MissingDataPolicy, QuestionId, Sphere, normalize,
};
use time::macros::date;

fn def() -> &'static Definition {
    Definition::by_id("nok-2024").unwrap()
}

const NOK_2024_FILES: [&str; 9] = [
    include_str!("../../../methodology/nok-2024/definition.toml"),
    include_str!("../../../methodology/nok-2024/questionnaire.toml"),
    include_str!("../../../methodology/nok-2024/spheres.toml"),
    include_str!("../../../methodology/nok-2024/checklists/common.toml"),
    include_str!("../../../methodology/nok-2024/checklists/culture.toml"),
    include_str!("../../../methodology/nok-2024/checklists/health.toml"),
    include_str!("../../../methodology/nok-2024/checklists/education.toml"),
    include_str!("../../../methodology/nok-2024/checklists/social.toml"),
    include_str!("../../../methodology/nok-2024/checklists/mse.toml"),
];

#[test]
fn versions_by_date() {
    let ids: Vec<&str> = Definition::builtin().iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["nok-2024", "nok-2025"]);
    assert_eq!(Definition::for_date(date!(2024 - 10 - 05)).id, "nok-2024");
    assert_eq!(Definition::for_date(date!(2025 - 08 - 31)).id, "nok-2024");
    assert_eq!(Definition::for_date(date!(2025 - 09 - 01)).id, "nok-2025");
    assert_eq!(Definition::for_date(date!(2019 - 01 - 01)).id, "nok-2024");
    assert!(Definition::by_id("nok-1999").is_none());
    assert!(ids.contains(&Definition::current().id.as_str()));
}

#[test]
fn nok_2025_changes_only_the_health_website_list() {
    let (a, b) = (def(), Definition::by_id("nok-2025").unwrap());
    assert_eq!(b.extends.as_deref(), Some("nok-2024"));
    assert_ne!(
        a.checklist(Sphere::Health, ChecklistSection::Site),
        b.checklist(Sphere::Health, ChecklistSection::Site)
    );
    assert_eq!(
        a.checklist(Sphere::Health, ChecklistSection::Stand),
        b.checklist(Sphere::Health, ChecklistSection::Stand)
    );
    assert_eq!(a.indicators, b.indicators);
    assert_eq!(a.criteria, b.criteria);
    for s in Sphere::ALL {
        assert_eq!(a.questionnaire(s), b.questionnaire(s));
        assert_eq!(a.sphere(s).indicators, b.sphere(s).indicators);
    }
}

#[test]
fn shipped_parts_load_as_one_definition() {
    let loaded = Definition::load_toml_parts(&NOK_2024_FILES).unwrap();
    assert_eq!(&loaded, def());
}

#[test]
fn questionnaire_per_sphere() {
    for s in Sphere::ALL {
        let q = def().questionnaire(s);
        let expected = if s.uses_waiting_time() { 15 } else { 14 };
        assert_eq!(q.len(), expected, "{s}");
        assert_eq!(q.iter().any(|q| q.id == QuestionId(5)), s.uses_waiting_time());
        assert!(q.iter().enumerate().all(|(i, q)| usize::from(q.number) == i + 1));
        assert!(q.iter().all(|q| q.text.ends_with('?') && q.mark == Mark::B));
        let filters: Vec<(QuestionId, QuestionId)> =
            q.iter().filter_map(|q| q.filtered_by.map(|f| (q.id, f))).collect();
        assert_eq!(
            filters,
            [
                (QuestionId(2), QuestionId(1)),
                (QuestionId(4), QuestionId(3)),
                (QuestionId(8), QuestionId(7)),
                (QuestionId(12), QuestionId(11))
            ]
        );
        let q3 = q.iter().find(|q| q.id == QuestionId(3)).unwrap();
        assert_eq!(q3.filter_for, [QuestionId(4)]);
        // «Нет → go to 5», or to 6 where q5 is not asked.
        assert_eq!(q3.skip_to, Some(QuestionId(if s.uses_waiting_time() { 5 } else { 6 })));
    }
    let text = |s, n| def().questionnaire(s).iter().find(|q| q.id == QuestionId(n)).unwrap().text.clone();
    assert_ne!(text(Sphere::Health, 5), text(Sphere::Social, 5));
    assert!(text(Sphere::Health, 10).contains("медицинские"));
    assert!(text(Sphere::Culture, 10).contains("библиотекари"));
    assert_eq!(text(Sphere::Health, 15), "Удовлетворены ли Вы в целом условиями оказания услуг в организации?");
    assert_eq!(def().extras.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["suggestions", "sex", "age"]);
}

#[test]
fn checklists_per_sphere() {
    for s in Sphere::ALL {
        let len = |section| def().checklist(s, section).len();
        assert!(len(ChecklistSection::Stand) >= 5 && len(ChecklistSection::Site) >= 10, "{s}");
        assert_eq!(len(ChecklistSection::Remote), if s == Sphere::Education { 6 } else { 5 });
        assert_eq!(len(ChecklistSection::Comfort), if s == Sphere::Education { 5 } else { 7 });
        assert_eq!(len(ChecklistSection::Premises), 5);
        assert_eq!(len(ChecklistSection::Services), 6);
        let mut ids: Vec<&str> =
            ChecklistSection::ALL.iter().flat_map(|&c| def().checklist(s, c)).map(|i| i.id.as_str()).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "item ids are unique in {s}");
    }
    let comfort: Vec<&str> =
        def().checklist(Sphere::Education, ChecklistSection::Comfort).iter().map(|i| i.id.as_str()).collect();
    assert_eq!(comfort[..2], ["comfort.rest_area", "comfort.navigation"]);
}

#[test]
fn checklist_counts_and_shortcomings() {
    let d = def();
    let all: Vec<String> = ChecklistSection::ALL
        .iter()
        .flat_map(|&c| d.checklist(Sphere::Culture, c))
        .map(|i| i.id.clone())
        .filter(|id| id != "comfort.water" && id != "culture.site.finance")
        .collect();
    let marks = ChecklistMarks { present: all.into_iter().collect(), waiting_points: None };
    let counts = d.checklist_counts(Sphere::Culture, &marks);
    assert_eq!(counts.comfort, 6);
    assert_eq!(counts.site_required as usize, d.checklist(Sphere::Culture, ChecklistSection::Site).len());
    assert_eq!(counts.site_present + 1, counts.site_required);
    assert_eq!(counts.stand_present, counts.stand_required);
    let gaps = d.shortcomings(Sphere::Culture, &marks);
    let rows: Vec<(&str, &str, &str)> =
        gaps.iter().map(|g| (g.criterion.as_str(), g.indicator.as_str(), g.item_id.as_str())).collect();
    assert_eq!(rows, [("K1", "1.1", "culture.site.finance"), ("K2", "2.1", "comfort.water")]);
    assert_eq!(gaps[1].name_ru, "Наличие и доступность питьевой воды");
}

#[test]
fn marks_show_configurable_defaults() {
    let d = def();
    assert_eq!(d.indicator("2.2").unwrap().mark, Mark::C);
    assert_eq!(d.indicator("5.1").unwrap().mark, Mark::A);
    assert_eq!(d.indicator("1.1").unwrap().mark, Mark::B);
    assert!(d.missing_data.mark.is_configurable_default());
    assert_eq!(d.missing_data.default, MissingDataPolicy::NoData);
    assert_eq!(d.aggregation.mark, Mark::C);
    assert_eq!(d.sample.mark, Mark::A);
    let levels = d.levels.as_ref().unwrap();
    assert!(!levels.enabled && levels.mark == Mark::C);
    assert_eq!(d.sphere(Sphere::Health).waiting.as_ref().unwrap().mark, Mark::C);
    assert_eq!(d.sphere(Sphere::Culture).indicators.iter().find(|i| i.id == "2.1").unwrap().weight, 0.5);
    // The definition serialises for APIs and UIs.
    let json = serde_json::to_value(d).unwrap();
    assert_eq!(json["effective_from"], "2024-10-05");
    assert_eq!(json["indicators"][0]["formula"]["kind"], "ratio");
}

#[test]
fn waiting_scale() {
    let scale = def().waiting_scale(Sphere::Health).unwrap();
    assert_eq!(scale.norm_days, 14.0);
    let cases = [
        (14.0, 10.0),
        (13.0, 20.0),
        (12.0, 40.0),
        (11.0, 60.0),
        (10.0, 80.0),
        (9.5, 80.0),
        (7.0, 100.0),
        (0.0, 100.0),
        (13.5, 10.0),
        (14.5, 0.0),
        (30.0, 0.0),
    ];
    for (days, points) in cases {
        assert_eq!(scale.points(days), points, "{days} days");
    }
    assert!(def().waiting_scale(Sphere::Social).is_none());
    assert!(def().waiting_scale(Sphere::Culture).is_none());
    assert!(def().accepts_waiting_points(Sphere::Health));
    assert!(!def().accepts_waiting_points(Sphere::Mse));
}

#[test]
fn levels() {
    let name = |v| def().level_for(v).unwrap().name_ru.clone();
    assert_eq!(name(84.3), "отлично");
    assert_eq!(name(0.0), "неудовлетворительно");
    assert_eq!(name(20.4), "неудовлетворительно");
    assert_eq!(name(20.5), "ниже среднего");
    assert_eq!(name(60.0), "удовлетворительно");
    assert_eq!(name(80.2), "хорошо");
    assert_eq!(name(100.0), "отлично");
}

#[test]
fn normalize_responses() {
    let d = def();
    let (mask, dropped) =
        normalize(d, Sphere::Health, &[(QuestionId(1), false), (QuestionId(2), true), (QuestionId(5), true)]).unwrap();
    assert_eq!(mask.answer(QuestionId(2)), None);
    assert_eq!(mask.answer(QuestionId(1)), Some(false));
    assert_eq!(mask.answer(QuestionId(5)), Some(true));
    assert_eq!(dropped.len(), 1);
    assert_eq!(
        (dropped[0].question, dropped[0].filter, dropped[0].filter_answer),
        (QuestionId(2), QuestionId(1), Some(false))
    );
    let (_, dropped) = normalize(d, Sphere::Culture, &[(QuestionId(12), true)]).unwrap();
    assert_eq!(dropped[0].filter_answer, None);
    assert_eq!(
        normalize(d, Sphere::Culture, &[(QuestionId(5), true)]),
        Err(AnswerError::NotInSphere { question: QuestionId(5), sphere: Sphere::Culture })
    );
    assert_eq!(normalize(d, Sphere::Health, &[(QuestionId(16), true)]), Err(AnswerError::UnknownQuestion(16)));
    assert_eq!(
        normalize(d, Sphere::Health, &[(QuestionId(6), true), (QuestionId(6), false)]),
        Err(AnswerError::Duplicate(QuestionId(6)))
    );
}

#[test]
fn an_authority_extends_a_shipped_version() {
    let regional = r#"
        extends = "nok-2024"
        id = "region-77-2025"
        title_ru = "Методика НОК с региональным перечнем для стендов учреждений культуры"
        effective_from = 2025-01-01

        [spheres.culture]
        stand = [
            { id = "r77.stand.name", name_ru = "Наименование и адрес" },
            { id = "r77.stand.schedule", name_ru = "Режим работы" },
        ]

        [spheres.social.waiting]
        combine = "mean_available"
    "#;
    let d = Definition::load_toml(regional).unwrap();
    assert_eq!(d.id, "region-77-2025");
    assert_eq!(d.effective_from, date!(2025 - 01 - 01));
    assert_eq!(d.checklist(Sphere::Culture, ChecklistSection::Stand).len(), 2);
    assert_eq!(
        d.checklist(Sphere::Culture, ChecklistSection::Site),
        def().checklist(Sphere::Culture, ChecklistSection::Site)
    );
    assert!(d.accepts_waiting_points(Sphere::Social));
    assert_eq!(d.indicators, def().indicators);
}

#[test]
fn an_authority_changes_weights_and_points() {
    let own = r#"
        extends = "nok-2024"
        id = "own"
        [spheres.health]
        weights = { "2.1" = 0.2, "2.2" = 0.5, "2.3" = 0.3 }
    "#;
    let d = Definition::load_toml(own).unwrap();
    let input = {
        let mut a = nok_methodology::AnswerCounts::new();
        a.set(QuestionId(5), nok_methodology::YesNo { yes: 9, no: 1 });
        a.set(QuestionId(6), nok_methodology::YesNo { yes: 1, no: 1 });
        let checklist = nok_methodology::ChecklistCounts { comfort: 1, ..Default::default() };
        nok_methodology::ScoreInput { sphere: Sphere::Health, checklist: Some(checklist), answers: a }
    };
    let s = nok_methodology::score(&d, &input, MissingDataPolicy::NoData);
    assert!((s.criteria["K2"] - (0.2 * 20.0 + 0.5 * 90.0 + 0.3 * 50.0)).abs() < 1e-9);
}

#[track_caller]
fn invalid(text: &str, path: &str) {
    match Definition::load_toml(text) {
        Err(DefinitionError::Invalid { path: p, reason }) => assert_eq!(p, path, "{reason}"),
        other => panic!("expected an error at {path}, got {other:?}"),
    }
}

#[test]
fn bad_definitions_are_rejected_with_a_path() {
    let base = "extends = \"nok-2024\"\nid = \"x\"\n";
    invalid(
        &format!("{base}[spheres.culture]\nweights = {{ \"2.1\" = 0.6, \"2.3\" = 0.5 }}"),
        "spheres.culture.weights",
    );
    invalid(&format!("{base}[spheres.culture]\nskip = []"), "spheres.culture");
    invalid(&format!("{base}[spheres.education]\nweights = {{ \"2.2\" = 0.5 }}"), "spheres.education.weights");
    invalid(&format!("{base}[spheres.health.waiting.scale]\nnorm_days = 0"), "spheres.health.waiting.scale.norm_days");
    invalid(&format!("{base}effective_from = \"5 октября\""), "effective_from");
    invalid("extends = \"nok-2024\"\n", "id");
    invalid(&format!("{base}[[criteria]]\nid = \"K1\"\nname_ru = \"x\"\nweight = 1.0"), "indicators[2.1].criterion");
    assert_eq!(
        Definition::load_toml("extends = \"nok-1999\"\nid = \"x\""),
        Err(DefinitionError::UnknownBase("nok-1999".into()))
    );
    let Err(DefinitionError::Syntax(msg)) = Definition::load_toml(&format!("{base}colour = 1")) else { panic!() };
    assert!(msg.contains("colour"), "{msg}");
    let Err(DefinitionError::Syntax(msg)) = Definition::load_toml("id = ") else { panic!() };
    assert!(msg.contains("line 1"), "{msg}");
    // Located message for a single self-contained document.
    let broken = NOK_2024_FILES[0].replace(
        "kind = \"capped_points\", count = \"remote_channels\"",
        "kind = \"capped_points\", count = \"remote\"",
    );
    let Err(DefinitionError::Syntax(msg)) = Definition::load_toml(&broken) else { panic!() };
    assert!(msg.contains("remote"), "{msg}");
}
