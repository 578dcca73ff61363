//! Running the checks side by side: a few threads at once, and no more than two at a
//! time on any one host, so that a site linking one server a hundred times does not
//! hammer it (and is not taken for an attack by it).

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Checks in flight at once.
pub const THREADS: usize = 8;
/// Checks in flight at once on one host.
pub const PER_HOST: usize = 2;

/// A piece of work, and the host it is done against.
pub struct Job<T> {
    pub host: String,
    pub item: T,
}

struct State {
    /// Indices of the jobs not yet started, in order.
    pending: VecDeque<usize>,
    /// Jobs in flight, by host.
    busy: HashMap<String, usize>,
}

/// Runs `work` on every job, at most [`THREADS`] at once and [`PER_HOST`] per host, and
/// returns the results in the jobs' order.
pub fn run<T: Sync, R: Send>(jobs: &[Job<T>], work: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
    let state = Mutex::new(State {
        pending: (0..jobs.len()).collect(),
        busy: HashMap::new(),
    });
    let turn = Condvar::new();
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..THREADS.min(jobs.len()) {
            scope.spawn(|| {
                while let Some(i) = next(&state, &turn, jobs) {
                    let result = work(&jobs[i].item);
                    lock(&results)[i] = Some(result);
                    let mut st = lock(&state);
                    if let Some(n) = st.busy.get_mut(&jobs[i].host) {
                        *n -= 1;
                    }
                    drop(st);
                    turn.notify_all();
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(PoisonError::into_inner);
    // Every index was taken by exactly one worker, which stored its result.
    results.into_iter().flatten().collect()
}

/// The next job whose host has room, waiting while every pending job's host is busy;
/// `None` when no job is left to start.
fn next<T>(state: &Mutex<State>, turn: &Condvar, jobs: &[Job<T>]) -> Option<usize> {
    let mut st = lock(state);
    loop {
        if st.pending.is_empty() {
            return None;
        }
        let free = |i: &usize| st.busy.get(&jobs[*i].host).copied().unwrap_or(0) < PER_HOST;
        if let Some(pos) = st.pending.iter().position(free) {
            let i = st.pending.remove(pos)?;
            *st.busy.entry(jobs[i].host.clone()).or_default() += 1;
            return Some(i);
        }
        st = turn.wait(st).unwrap_or_else(PoisonError::into_inner);
    }
}

/// A lock that stays usable after a worker panicked: the panic reaches the caller anyway
/// when the threads are joined.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn results_keep_their_order_and_no_host_gets_more_than_two_at_once() {
        let jobs: Vec<Job<usize>> = (0..24usize)
            .map(|i| Job {
                host: if i.is_multiple_of(3) { "a" } else { "b" }.to_string(),
                item: i,
            })
            .collect();
        let now: Vec<AtomicUsize> = (0..2).map(|_| AtomicUsize::new(0)).collect();
        let most: Vec<AtomicUsize> = (0..2).map(|_| AtomicUsize::new(0)).collect();
        let work = |i: &usize| {
            let h = usize::from(!i.is_multiple_of(3));
            let n = now[h].fetch_add(1, Ordering::SeqCst) + 1;
            most[h].fetch_max(n, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(5));
            now[h].fetch_sub(1, Ordering::SeqCst);
            i * 10
        };
        let out = run(&jobs, &work);
        assert_eq!(out, (0..24).map(|i| i * 10).collect::<Vec<_>>());
        assert!(most.iter().all(|m| m.load(Ordering::SeqCst) <= PER_HOST));
        assert_eq!(run::<usize, usize>(&[], &work), Vec::<usize>::new());
    }
}
