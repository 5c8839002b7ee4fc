//! Engine throughput, printed against baselines measured in the same run:
//! scoring 100 000 organisations (vs a hand-written loop of the same arithmetic) and aggregating
//! 20 000 000 response masks (vs a plain loop summing the same bytes).
//! Run: `cargo bench -p nok-methodology --bench engine`.

use nok_methodology::{
    AnswerCounts, AnswerMask, ChecklistCounts, Definition, MissingDataPolicy, QuestionId, ScoreInput, Sphere, YesNo,
    counts_from_masks, score, score_values,
};
use std::hint::black_box;
use std::time::{Duration, Instant};

const ORGANISATIONS: usize = 100_000;
const MASKS: usize = 20_000_000;
const RUNS: usize = 3;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn best<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let v = black_box(f());
        best = best.min(start.elapsed());
        out = Some(v);
    }
    (best, out.expect("at least one run"))
}

fn organisations(rng: &mut XorShift) -> Vec<ScoreInput> {
    let def = Definition::by_id("nok-2024").expect("shipped");
    (0..ORGANISATIONS)
        .map(|i| {
            let sphere = Sphere::ALL[i % 5];
            let mut answers = AnswerCounts::new();
            for q in def.questionnaire(sphere) {
                let limit = q.filtered_by.map_or(600, |f| answers.get(f).yes);
                let answered = rng.below(limit + 1);
                let yes = rng.below(answered + 1);
                answers.set(q.id, YesNo { yes, no: answered - yes });
            }
            let stand_required = rng.below(15) as u32;
            let site_required = 10 + rng.below(20) as u32;
            let checklist = ChecklistCounts {
                stand_present: rng.below(u64::from(stand_required) + 1) as u32,
                stand_required,
                site_present: rng.below(u64::from(site_required) + 1) as u32,
                site_required,
                remote_channels: rng.below(6) as u32,
                comfort: rng.below(8) as u32,
                premises_accessibility: rng.below(6) as u32,
                service_accessibility: rng.below(7) as u32,
                waiting_points: (sphere == Sphere::Health).then(|| (rng.below(11) * 10) as f64),
            };
            ScoreInput { sphere, checklist: Some(checklist), answers }
        })
        .collect()
}

/// The §1 arithmetic written out by hand for the shipped weights: what a non-generic engine would do.
fn hand_written_total(input: &ScoreInput) -> f64 {
    let c = input.checklist.as_ref().expect("the bench scores recorded checklists");
    let a = &input.answers;
    let share = |num: u64, den: u64| {
        if den == 0 { None } else { Some(num as f64 / den as f64) }
    };
    let y = |q: u8| a.get(QuestionId(q)).yes;
    let n = |q: u8| a.get(QuestionId(q)).answered();
    let mean = |xs: &[Option<f64>]| {
        let v: f64 = xs.iter().flatten().sum();
        let k = xs.iter().flatten().count();
        (k > 0).then(|| 100.0 * v / k as f64)
    };
    let wsum = |items: &[(f64, Option<f64>)]| {
        let avail: f64 = items.iter().filter(|(_, v)| v.is_some()).map(|(w, _)| w).sum();
        let s: f64 = items.iter().filter_map(|(w, v)| v.map(|v| w * v)).sum();
        if avail > 0.0 { s / avail } else { 0.0 }
    };
    let i11 = mean(&[
        share(u64::from(c.stand_present), u64::from(c.stand_required)),
        share(u64::from(c.site_present), u64::from(c.site_required)),
    ]);
    let i12 = Some((30.0 * f64::from(c.remote_channels)).min(100.0));
    let i13 = mean(&[share(y(2), y(1)), share(y(4), y(3))]);
    let i21 = Some((20.0 * f64::from(c.comfort)).min(100.0));
    let i23 = mean(&[share(y(6), n(6))]);
    let k2 = if input.sphere.uses_waiting_time() {
        let t = mean(&[share(y(5), n(5))]);
        let i22 = match (t, c.waiting_points) {
            (Some(t), Some(w)) => Some((t + w) / 2.0),
            (t, w) => t.or(w),
        };
        wsum(&[(0.3, i21), (0.4, i22), (0.3, i23)])
    } else {
        wsum(&[(0.5, i21), (0.5, i23)])
    };
    let k1 = wsum(&[(0.3, i11), (0.3, i12), (0.4, i13)]);
    let k3 = wsum(&[
        (0.3, Some((20.0 * f64::from(c.premises_accessibility)).min(100.0))),
        (0.4, Some((20.0 * f64::from(c.service_accessibility)).min(100.0))),
        (0.3, mean(&[share(y(8), y(7))])),
    ]);
    let k4 = wsum(&[
        (0.4, mean(&[share(y(9), n(9))])),
        (0.4, mean(&[share(y(10), n(10))])),
        (0.2, mean(&[share(y(12), y(11))])),
    ]);
    let k5 = wsum(&[
        (0.3, mean(&[share(y(13), n(13))])),
        (0.2, mean(&[share(y(14), n(14))])),
        (0.5, mean(&[share(y(15), n(15))])),
    ]);
    (k1 + k2 + k3 + k4 + k5) / 5.0
}

fn main() {
    let def = Definition::by_id("nok-2024").expect("shipped");
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);

    println!("nok-methodology engine bench (best of {RUNS} runs)");
    let orgs = organisations(&mut rng);
    let (base, base_sum) = best(|| orgs.iter().map(hand_written_total).sum::<f64>());
    let (eng, eng_sum) =
        best(|| orgs.iter().map(|o| score(def, o, MissingDataPolicy::NoData).total.unwrap_or(0.0)).sum::<f64>());
    let (bulk, bulk_sum) =
        best(|| orgs.iter().map(|o| score_values(def, o, MissingDataPolicy::NoData).total.unwrap_or(0.0)).sum::<f64>());
    assert_eq!(bulk_sum, eng_sum);
    let per = |d: Duration, n: usize| d.as_secs_f64() * 1e9 / n as f64;
    println!(
        "score {ORGANISATIONS} organisations: engine {:>8.1} ms ({:>6.0} ns/org, full Scores with explanation) | \
         baseline hand-written arithmetic {:>6.1} ms ({:>4.0} ns/org) | ratio {:.1}×",
        eng.as_secs_f64() * 1e3,
        per(eng, ORGANISATIONS),
        base.as_secs_f64() * 1e3,
        per(base, ORGANISATIONS),
        eng.as_secs_f64() / base.as_secs_f64()
    );
    println!(
        "score_values (same numbers, no explanation): {:>8.1} ms ({:>6.0} ns/org) | ratio to baseline {:.1}×",
        bulk.as_secs_f64() * 1e3,
        per(bulk, ORGANISATIONS),
        bulk.as_secs_f64() / base.as_secs_f64()
    );
    let mean_diff = ((eng_sum - base_sum) / ORGANISATIONS as f64).abs();
    println!("  (mean total differs from the hand-written one by {mean_diff:.2e}: both compute the same thing)");

    let masks: Vec<AnswerMask> = (0..MASKS)
        .map(|_| {
            let x = rng.next();
            let asked = (x as u16) & 0x7fff;
            AnswerMask { asked, yes: ((x >> 16) as u16) & asked }
        })
        .collect();
    let mb = (MASKS * std::mem::size_of::<AnswerMask>()) as f64 / 1e6;
    let (base, base_sum) = best(|| masks.iter().map(|m| u64::from(m.asked) + u64::from(m.yes)).sum::<u64>());
    let (fast, counts) = best(|| counts_from_masks(masks.iter().copied()));
    let (slow, slow_counts) = best(|| {
        let mut c = AnswerCounts::new();
        masks.iter().for_each(|&m| c.add_mask(m));
        c
    });
    assert_eq!(counts, slow_counts);
    black_box(base_sum);
    let gbps = |d: Duration| mb / 1e3 / d.as_secs_f64();
    println!(
        "aggregate {MASKS} masks ({mb:.0} MB): counts_from_masks {:>6.1} ms ({:.2} ns/mask, {:.1} GB/s) | \
         baseline sum of the same bytes {:>6.1} ms ({:.1} GB/s) | ratio {:.1}× | add_mask loop {:>6.1} ms",
        fast.as_secs_f64() * 1e3,
        per(fast, MASKS),
        gbps(fast),
        base.as_secs_f64() * 1e3,
        gbps(base),
        fast.as_secs_f64() / base.as_secs_f64(),
        slow.as_secs_f64() * 1e3
    );
}
