//! Properties over generated valid inputs: every value in [0, 100]; one more «Да» (or one more item
//! present) never lowers its indicator; the order of responses changes nothing.

use nok_methodology::definition::{Formula, RatioSource, SurveyBase};
use nok_methodology::input::{parse_responses_csv_with, validate};
use nok_methodology::{
    AnswerCounts, AnswerMask, ChecklistCounts, ChecklistField, Definition, MissingDataPolicy, QuestionId, ScoreInput,
    Sphere, YesNo, counts_from_masks, normalize, score,
};
use proptest::prelude::*;

fn def() -> &'static Definition {
    Definition::by_id("nok-2024").unwrap()
}

const POLICIES: [MissingDataPolicy; 2] = [MissingDataPolicy::NoData, MissingDataPolicy::CountAsZero];

fn sphere() -> impl Strategy<Value = Sphere> {
    prop::sample::select(Sphere::ALL.to_vec())
}

/// A valid input: raw numbers clamped so that present ≤ required and filtered answers ≤ filter «Да»;
/// zeros are frequent so the missing-data paths are exercised.
fn valid_input() -> impl Strategy<Value = ScoreInput> {
    let count = prop_oneof![2 => Just(0u64), 1 => Just(1u64), 7 => 0u64..400];
    (
        sphere(),
        prop::collection::vec(0u32..40, 8),
        prop::option::of(0.0f64..=100.0),
        prop::collection::vec((count.clone(), count), 15),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(sphere, c, waiting, raw, unrecorded)| {
            let d = def();
            let checklist = ChecklistCounts {
                stand_required: c[0],
                stand_present: c[1].min(c[0]),
                site_required: c[2],
                site_present: c[3].min(c[2]),
                remote_channels: c[4] % 8,
                comfort: c[5] % 9,
                premises_accessibility: c[6] % 7,
                service_accessibility: c[7] % 8,
                waiting_points: waiting.filter(|_| d.accepts_waiting_points(sphere)),
            };
            let mut answers = AnswerCounts::new();
            for q in d.questionnaire(sphere) {
                let (mut yes, mut no) = raw[q.id.index()];
                if let Some(f) = q.filtered_by {
                    let limit = answers.get(f).yes;
                    yes = yes.min(limit);
                    no = no.min(limit - yes);
                }
                answers.set(q.id, YesNo { yes, no });
            }
            ScoreInput { sphere, checklist: (!unrecorded).then_some(checklist), answers }
        })
}

/// Indicators of `sphere` whose formula counts «Да» of `q` in a numerator.
fn measured_by(sphere: Sphere, q: QuestionId) -> Vec<String> {
    let d = def();
    d.sphere(sphere)
        .indicators
        .iter()
        .map(|i| &d.indicators[i.index])
        .filter(|ind| match &ind.formula {
            Formula::Ratio { parts, .. } => parts
                .iter()
                .any(|p| matches!(&p.source, RatioSource::Survey(r) if r.yes == q && r.base != SurveyBase::Yes(q))),
            Formula::Waiting { timeliness, .. } => timeliness.yes == q,
            Formula::CappedPoints { .. } => false,
        })
        .map(|ind| ind.id.clone())
        .collect()
}

#[track_caller]
fn not_lower(before: &nok_methodology::Scores, after: &nok_methodology::Scores, ids: &[String]) {
    for id in ids {
        if let Some(b) = before.indicators.get(id) {
            let a = after.indicators.get(id).copied().unwrap_or(f64::NAN);
            assert!(a >= b - 1e-9, "{id}: {b} → {a}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn values_are_in_range(input in valid_input()) {
        prop_assert!(validate(def(), &input).is_ok(), "generator must produce valid input");
        for policy in POLICIES {
            let s = score(def(), &input, policy);
            for v in s.indicators.values().chain(s.criteria.values()).chain(s.total.iter()) {
                prop_assert!(v.is_finite() && (0.0..=100.0 + 1e-9).contains(v), "{v}");
            }
            let n = def().sphere(input.sphere).indicators.len();
            prop_assert_eq!(s.indicators.len() + s.no_data.iter().filter(|id| !id.starts_with('K')).count(), n);
            if policy == MissingDataPolicy::CountAsZero {
                prop_assert!(s.no_data.is_empty() && s.total.is_some());
            }
            // The bulk path gives exactly the same numbers.
            let v = nok_methodology::score_values(def(), &input, policy);
            prop_assert_eq!(v.total, s.total);
            for (si, value) in def().sphere(input.sphere).indicators.iter().zip(&v.indicators) {
                prop_assert_eq!(*value, s.indicators.get(&si.id).copied());
            }
            for (c, value) in def().criteria.iter().zip(&v.criteria) {
                prop_assert_eq!(*value, s.criteria.get(&c.id).copied());
            }
        }
    }

    #[test]
    fn one_more_yes_never_lowers_its_indicator(input in valid_input(), pick in 0usize..15) {
        let q = QuestionId(pick as u8 + 1);
        prop_assume!(def().asks(input.sphere, q));
        let ids = measured_by(input.sphere, q);
        for policy in POLICIES {
            let before = score(def(), &input, policy);
            // A «Нет» becomes «Да».
            let c = input.answers.get(q);
            if c.no > 0 {
                let mut flipped = input.clone();
                flipped.answers.set(q, YesNo { yes: c.yes + 1, no: c.no - 1 });
                not_lower(&before, &score(def(), &flipped, policy), &ids);
            }
            // A new respondent answers «Да» (unfiltered questions only, so the input stays valid).
            let filtered = def().questionnaire(input.sphere).iter().any(|x| x.id == q && x.filtered_by.is_some());
            if !filtered {
                let mut added = input.clone();
                added.answers.set(q, YesNo { yes: c.yes + 1, no: c.no });
                not_lower(&before, &score(def(), &added, policy), &ids);
            }
        }
    }

    #[test]
    fn one_more_item_never_lowers_its_indicator(input in valid_input(), pick in 0usize..6) {
        let field = [
            ChecklistField::StandPresent,
            ChecklistField::SitePresent,
            ChecklistField::RemoteChannels,
            ChecklistField::Comfort,
            ChecklistField::PremisesAccessibility,
            ChecklistField::ServiceAccessibility,
        ][pick];
        prop_assume!(input.checklist.is_some());
        let mut more = input.clone();
        let counts = more.checklist.as_mut().unwrap();
        field.set(counts, field.get(counts) + 1);
        prop_assume!(validate(def(), &more).is_ok());
        let id = def().indicator_using(input.sphere, field).unwrap().id.clone();
        for policy in POLICIES {
            not_lower(&score(def(), &input, policy), &score(def(), &more, policy), std::slice::from_ref(&id));
        }
    }

    #[test]
    fn permuting_responses_changes_nothing(
        sphere in sphere(),
        rows in prop::collection::vec(prop::collection::vec(prop::option::of(any::<bool>()), 15), 0..60),
        seed in any::<u64>(),
    ) {
        let d = def();
        let responses: Vec<Vec<(QuestionId, bool)>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .filter_map(|(i, a)| a.map(|yes| (QuestionId(i as u8 + 1), yes)))
                    .filter(|(q, _)| d.asks(sphere, *q))
                    .collect()
            })
            .collect();
        let masks: Vec<AnswerMask> = responses.iter().map(|r| normalize(d, sphere, r).unwrap().0).collect();
        let mut shuffled = masks.clone();
        // Deterministic Fisher–Yates driven by the generated seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let mut in_order = AnswerCounts::new();
        masks.iter().for_each(|&m| in_order.add_mask(m));
        let permuted = counts_from_masks(shuffled.iter().copied());
        prop_assert_eq!(in_order, permuted);

        // The CSV path gives the same counts in any row order.
        let csv = |order: &[usize]| {
            let mut text = (1..=15).map(|q| format!("q{q}")).collect::<Vec<_>>().join(";");
            text.push('\n');
            for &i in order {
                let cells: Vec<&str> = (0..15)
                    .map(|q| match rows[i][q] {
                        Some(_) if !d.asks(sphere, QuestionId(q as u8 + 1)) => "",
                        Some(true) => "Да",
                        Some(false) => "Нет",
                        None => "",
                    })
                    .collect();
                text.push_str(&cells.join(";"));
                text.push('\n');
            }
            parse_responses_csv_with(d, text.as_bytes(), sphere).unwrap()
        };
        let forward: Vec<usize> = (0..rows.len()).collect();
        let backward: Vec<usize> = forward.iter().rev().copied().collect();
        let (a, sa) = csv(&forward);
        let (b, sb) = csv(&backward);
        prop_assert_eq!(a, in_order);
        prop_assert_eq!(b, in_order);
        prop_assert_eq!(sa, sb);

        let input = ScoreInput { sphere, checklist: Some(ChecklistCounts::default()), answers: in_order };
        prop_assert!(validate(d, &input).is_ok());
        let input_b = ScoreInput { answers: permuted, ..input.clone() };
        prop_assert_eq!(score(d, &input, MissingDataPolicy::NoData), score(d, &input_b, MissingDataPolicy::NoData));
    }
}
