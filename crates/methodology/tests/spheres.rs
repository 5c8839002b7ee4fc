//! A hand-computed case per sphere: expected values are written out from the §1 formulas, not taken
//! from the engine.

mod common;

use common::{close, set};
use nok_methodology::{AnswerCounts, ChecklistCounts, Definition, MissingDataPolicy, ScoreInput, Sphere, score};

fn def() -> &'static Definition {
    Definition::by_id("nok-2024").unwrap()
}

/// A second data set, different from §7: filters q1 Да 40, q3 Да 50, q7 Да 10, q11 Да 20 (of 100).
fn case(sphere: Sphere, q5: Option<(u64, u64)>, checklist: ChecklistCounts) -> ScoreInput {
    let mut a = AnswerCounts::new();
    set(&mut a, 1, 40, 100);
    set(&mut a, 2, 30, 40);
    set(&mut a, 3, 50, 100);
    set(&mut a, 4, 45, 50);
    if let Some((yes, answered)) = q5 {
        set(&mut a, 5, yes, answered);
    }
    set(&mut a, 6, 80, 100);
    set(&mut a, 7, 10, 100);
    set(&mut a, 8, 8, 10);
    set(&mut a, 9, 90, 100);
    set(&mut a, 10, 95, 100);
    set(&mut a, 11, 20, 100);
    set(&mut a, 12, 18, 20);
    set(&mut a, 13, 70, 100);
    set(&mut a, 14, 85, 100);
    set(&mut a, 15, 88, 100);
    ScoreInput { sphere, checklist: Some(checklist), answers: a }
}

fn checklist(
    stand: (u32, u32),
    site: (u32, u32),
    remote: u32,
    comfort: u32,
    premises: u32,
    services: u32,
) -> ChecklistCounts {
    ChecklistCounts {
        stand_present: stand.0,
        stand_required: stand.1,
        site_present: site.0,
        site_required: site.1,
        remote_channels: remote,
        comfort,
        premises_accessibility: premises,
        service_accessibility: services,
        waiting_points: None,
    }
}

// Survey parts shared by every case below.
const I13: f64 = 50.0 * (30.0 / 40.0 + 45.0 / 50.0); // 82.5
const I23: f64 = 80.0;
const I33: f64 = 80.0;
const K4: f64 = 0.4 * 90.0 + 0.4 * 95.0 + 0.2 * 90.0; // 92
const K5: f64 = 0.3 * 70.0 + 0.2 * 85.0 + 0.5 * 88.0; // 82

#[test]
fn culture() {
    // stand 5 of 9, site 10 of 14, 3 channels, 6 comfort conditions (capped), all premises, 6 services (capped).
    let input = case(Sphere::Culture, None, checklist((5, 9), (10, 14), 3, 6, 5, 6));
    let s = score(def(), &input, MissingDataPolicy::NoData);
    let i11 = 50.0 * (5.0 / 9.0 + 10.0 / 14.0); // 4000/63
    close(s.indicators.get("1.1").copied(), 4000.0 / 63.0);
    close(s.indicators.get("1.2").copied(), 90.0);
    close(s.indicators.get("2.1").copied(), 100.0);
    close(s.indicators.get("3.2").copied(), 100.0);
    let k1 = 0.3 * i11 + 0.3 * 90.0 + 0.4 * I13;
    let k2 = 0.5 * 100.0 + 0.5 * I23;
    let k3 = 0.3 * 100.0 + 0.4 * 100.0 + 0.3 * I33;
    close(s.criteria.get("K1").copied(), k1);
    close(s.criteria.get("K2").copied(), 90.0);
    close(s.criteria.get("K3").copied(), 94.0);
    close(s.total, (k1 + k2 + k3 + K4 + K5) / 5.0);
}

#[test]
fn education() {
    // Education counts a 6th remote channel; 5 working channels give 150 → capped at 100.
    let input = case(Sphere::Education, None, checklist((9, 9), (7, 14), 5, 5, 2, 1));
    let s = score(def(), &input, MissingDataPolicy::NoData);
    let i11 = 50.0 * (1.0 + 0.5); // 75
    let k1 = 0.3 * i11 + 0.3 * 100.0 + 0.4 * I13;
    let k2 = 0.5 * 100.0 + 0.5 * I23;
    let k3 = 0.3 * 40.0 + 0.4 * 20.0 + 0.3 * I33;
    close(s.indicators.get("1.1").copied(), 75.0);
    close(s.indicators.get("1.2").copied(), 100.0);
    close(s.criteria.get("K1").copied(), k1);
    close(s.criteria.get("K2").copied(), k2);
    close(s.criteria.get("K3").copied(), k3);
    close(s.total, (k1 + k2 + k3 + K4 + K5) / 5.0);
}

#[test]
fn health_mean_of_timeliness_and_waiting_points() {
    let mut cl = checklist((14, 14), (15, 19), 2, 3, 1, 0);
    cl.waiting_points = Some(80.0);
    let input = case(Sphere::Health, Some((150, 200)), cl);
    let s = score(def(), &input, MissingDataPolicy::NoData);
    let i22 = (100.0 * 150.0 / 200.0 + 80.0) / 2.0; // 77.5
    close(s.indicators.get("2.2").copied(), 77.5);
    let k1 = 0.3 * (50.0 * (1.0 + 15.0 / 19.0)) + 0.3 * 60.0 + 0.4 * I13;
    let k2 = 0.3 * 60.0 + 0.4 * i22 + 0.3 * I23;
    let k3 = 0.3 * 20.0 + 0.4 * 0.0 + 0.3 * I33;
    close(s.criteria.get("K1").copied(), k1);
    close(s.criteria.get("K2").copied(), k2);
    close(s.criteria.get("K3").copied(), k3);
    close(s.total, (k1 + k2 + k3 + K4 + K5) / 5.0);
}

#[test]
fn social_timeliness_alone() {
    let input = case(Sphere::Social, Some((81, 90)), checklist((6, 9), (15, 15), 4, 7, 3, 5));
    let s = score(def(), &input, MissingDataPolicy::NoData);
    close(s.indicators.get("2.2").copied(), 90.0);
    let k1 = 0.3 * (50.0 * (6.0 / 9.0 + 1.0)) + 0.3 * 100.0 + 0.4 * I13;
    let k2 = 0.3 * 100.0 + 0.4 * 90.0 + 0.3 * I23;
    let k3 = 0.3 * 60.0 + 0.4 * 100.0 + 0.3 * I33;
    close(s.criteria.get("K2").copied(), k2);
    close(s.total, (k1 + k2 + k3 + K4 + K5) / 5.0);
}

#[test]
fn mse_timeliness_alone() {
    let input = case(Sphere::Mse, Some((45, 60)), checklist((7, 7), (0, 11), 1, 2, 4, 3));
    let s = score(def(), &input, MissingDataPolicy::NoData);
    close(s.indicators.get("2.2").copied(), 75.0);
    let k1 = 0.3 * 50.0 + 0.3 * 30.0 + 0.4 * I13; // site 0 of 11 is a real 0, not missing
    let k2 = 0.3 * 40.0 + 0.4 * 75.0 + 0.3 * I23;
    let k3 = 0.3 * 80.0 + 0.4 * 60.0 + 0.3 * I33;
    close(s.criteria.get("K1").copied(), k1);
    close(s.criteria.get("K2").copied(), k2);
    close(s.criteria.get("K3").copied(), k3);
    close(s.total, (k1 + k2 + k3 + K4 + K5) / 5.0);
}

#[test]
fn caps() {
    let d = def();
    let points = |remote, comfort, premises, services| {
        let input = case(Sphere::Culture, None, checklist((1, 1), (1, 1), remote, comfort, premises, services));
        let s = score(d, &input, MissingDataPolicy::NoData);
        ["1.2", "2.1", "3.1", "3.2"].map(|id| s.indicators[id])
    };
    assert_eq!(points(5, 7, 5, 6), [100.0, 100.0, 100.0, 100.0]);
    assert_eq!(points(4, 5, 5, 5), [100.0, 100.0, 100.0, 100.0]);
    assert_eq!(points(3, 4, 4, 4), [90.0, 80.0, 80.0, 80.0]);
    assert_eq!(points(1, 1, 1, 1), [30.0, 20.0, 20.0, 20.0]);
    assert_eq!(points(0, 0, 0, 0), [0.0, 0.0, 0.0, 0.0]);
}
