//! Where a benchmark's CPU went, per kind of thread of this process: time on a core and time waiting for
//! one, read from Linux's `/proc/self/task/<tid>/schedstat` before and after a measurement. Elsewhere (or
//! when `/proc` cannot be read) there is nothing to report.

use std::collections::BTreeMap;
use std::time::Duration;

/// Nanoseconds on a core and waiting in the run queue, per thread id, with the thread's name.
#[derive(Default)]
pub struct Snapshot(BTreeMap<u64, (String, u64, u64)>);

impl Snapshot {
    pub fn take() -> Snapshot {
        let mut out = BTreeMap::new();
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return Snapshot(out) };
        for task in tasks.flatten() {
            let Some(tid) = task.file_name().to_str().and_then(|t| t.parse::<u64>().ok()) else { continue };
            let name = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default().trim().to_owned();
            let stat = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
            let mut fields = stat.split_whitespace().map(|f| f.parse::<u64>().unwrap_or(0));
            if let (Some(run), Some(wait)) = (fields.next(), fields.next()) {
                out.insert(tid, (name, run, wait));
            }
        }
        Snapshot(out)
    }
}

/// Per thread name (threads of one name added up): (threads, on a core, waiting for a core) between the
/// two snapshots, for the threads alive in both.
pub fn between(before: &Snapshot, after: &Snapshot) -> Vec<(String, usize, Duration, Duration)> {
    let mut by_name: BTreeMap<String, (usize, u64, u64)> = BTreeMap::new();
    for (tid, (name, run, wait)) in &after.0 {
        if let Some((_, run0, wait0)) = before.0.get(tid) {
            let e = by_name.entry(name.clone()).or_default();
            e.0 += 1;
            e.1 += run.saturating_sub(*run0);
            e.2 += wait.saturating_sub(*wait0);
        }
    }
    by_name
        .into_iter()
        .filter(|(_, (_, run, _))| *run > 0)
        .map(|(name, (n, run, wait))| (name, n, Duration::from_nanos(run), Duration::from_nanos(wait)))
        .collect()
}

/// Lines `  <name> ×n: 1,62 s on a core, 1,13 s waiting for one`, busiest first.
pub fn report(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let mut rows = between(before, after);
    rows.sort_by_key(|r| std::cmp::Reverse(r.2));
    rows.into_iter()
        .map(|(name, n, run, wait)| {
            format!("{name} ×{n}: {:.2} s on a core, {:.2} s waiting for one", run.as_secs_f64(), wait.as_secs_f64())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_up_threads_of_one_name_alive_in_both_snapshots() {
        let before = Snapshot(BTreeMap::from([
            (1, ("worker".to_owned(), 100, 10)),
            (2, ("worker".to_owned(), 200, 20)),
            (3, ("gone".to_owned(), 5, 5)),
        ]));
        let after = Snapshot(BTreeMap::from([
            (1, ("worker".to_owned(), 1_100, 510)),
            (2, ("worker".to_owned(), 1_200, 20)),
            (4, ("new".to_owned(), 9, 9)),
        ]));
        let rows = between(&before, &after);
        assert_eq!(rows, vec![("worker".to_owned(), 2, Duration::from_nanos(2_000), Duration::from_nanos(500))]);
    }

    #[test]
    fn this_process_reads_its_own_threads_on_linux() {
        if cfg!(target_os = "linux") {
            let s = Snapshot::take();
            assert!(!s.0.is_empty(), "/proc/self/task lists at least this thread");
        }
    }
}
