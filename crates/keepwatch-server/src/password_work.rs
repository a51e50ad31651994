//! Bounded password hashing: every Argon2 hash or verification a request causes runs here.
//!
//! Argon2 is expensive on purpose (19 MiB and tens of milliseconds per call at the recommended
//! cost), so a burst of sign-ins would otherwise fill the blocking pool, take every core and
//! hundreds of MiB, and make every other request wait. Instead at most `workers` run at once
//! (one per core by default), at most `queue` more wait, and none waits longer than
//! `queue_wait`; the rest are answered at once with 503 `unavailable` and `Retry-After`, which
//! a client can honour while the server keeps serving everyone else.
//!
//! The hashes run on `workers` threads of their own rather than tokio's blocking pool: each
//! freed 19 MiB block stays in the allocator arena of the thread that used it, so hashing on
//! whichever pool thread is free left hundreds of MiB behind after a hundred sign-ins (the
//! load benchmark measured 760 MiB after 125); on a fixed set of threads it is at most one
//! block per worker.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use keepwatch_api::ErrorCode;
use tokio::sync::Semaphore;

use crate::config::Limits;
use crate::error::{HttpError, HttpResult};

/// Seconds a refused caller is told to wait: a hash takes well under one, so the queue has
/// moved on by then.
const RETRY_AFTER_SECS: i64 = 1;

/// The gate in front of the password hasher.
type Job = Box<dyn FnOnce() + Send>;

#[derive(Debug)]
pub struct PasswordWork {
    /// Jobs for the worker threads; they end when this is dropped.
    jobs: Mutex<mpsc::Sender<Job>>,
    permits: Arc<Semaphore>,
    workers: usize,
    queue: usize,
    queue_wait: Duration,
    /// Callers waiting for a permit right now.
    waiting: AtomicUsize,
}

/// Decrements the waiting count however the wait ends (including cancellation).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl PasswordWork {
    /// A gate sized by `limits` (`password_workers` 0 means one per available core).
    pub fn new(limits: &Limits) -> Self {
        let workers = match limits.password_workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..workers {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || loop {
                    // The lock is held only to take a job, never while it runs.
                    let job = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match job {
                        // A panicking hash must not take its thread (and a worker) with it;
                        // its caller gets 500 from the dropped answer channel.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password-hashing thread");
            }
        }
        Self {
            jobs: Mutex::new(jobs),
            permits: Arc::new(Semaphore::new(workers)),
            workers,
            queue: limits.password_queue,
            queue_wait: limits.password_queue_wait,
            waiting: AtomicUsize::new(0),
        }
    }

    /// How many hashes may run at once.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Runs `work` (a hash or verification) on the blocking pool once a permit is free, or
    /// answers 503 `unavailable` with `Retry-After` when the queue is full or the wait too long.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> HttpResult<T> {
        let permit = match Arc::clone(&self.permits).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::AcqRel);
                    return Err(busy());
                }
                let _waiting = Waiting(&self.waiting);
                match tokio::time::timeout(
                    self.queue_wait,
                    Arc::clone(&self.permits).acquire_owned(),
                )
                .await
                {
                    Ok(Ok(permit)) => permit,
                    // Timed out, or the semaphore was closed (it never is).
                    _ => return Err(busy()),
                }
            }
        };
        // The permit moves into the job, so that it is held for as long as the hash really
        // runs, even if the request is dropped meanwhile.
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let out = work();
            drop(permit);
            let _ = done.send(out);
        });
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(job)
            .map_err(|_| HttpError::internal("the password-hashing threads are gone"))?;
        result
            .await
            .map_err(|_| HttpError::internal("a password-hashing job was lost"))
    }
}

fn busy() -> HttpError {
    tracing::warn!("password hashing is saturated; refusing a request with 503");
    HttpError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Unavailable,
        "the server is busy checking other passwords; try again shortly",
    )
    .retry_after(RETRY_AFTER_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(workers: usize, queue: usize, wait_ms: u64) -> PasswordWork {
        PasswordWork::new(&Limits {
            password_workers: workers,
            password_queue: queue,
            password_queue_wait: Duration::from_millis(wait_ms),
            ..Limits::for_tests()
        })
    }

    #[test]
    fn zero_workers_means_one_per_core() {
        assert!(gate(0, 1, 1).workers() >= 1);
        assert_eq!(gate(3, 1, 1).workers(), 3);
    }

    #[tokio::test]
    async fn beyond_the_workers_and_the_queue_callers_get_503_with_retry_after() {
        let work = Arc::new(gate(1, 1, 5_000));
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        // One hash runs and holds the only permit until released.
        let running = tokio::spawn({
            let work = Arc::clone(&work);
            async move {
                work.run(move || {
                    started_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                    1
                })
                .await
            }
        });
        tokio::task::spawn_blocking(move || started_rx.recv().unwrap())
            .await
            .unwrap();
        // One may queue…
        let queued = tokio::spawn({
            let work = Arc::clone(&work);
            async move { work.run(|| 2).await }
        });
        while work.waiting.load(Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        // …the next is refused at once, without waiting its turn.
        let refused = work.run(|| 3).await.unwrap_err();
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.body.error, ErrorCode::Unavailable);
        assert_eq!(refused.retry_after, Some(1));
        release_tx.send(()).unwrap();
        assert_eq!(running.await.unwrap().unwrap(), 1);
        assert_eq!(queued.await.unwrap().unwrap(), 2);
        assert_eq!(work.waiting.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn a_queued_caller_gives_up_after_the_queue_wait() {
        let work = Arc::new(gate(1, 10, 50));
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let running = tokio::spawn({
            let work = Arc::clone(&work);
            async move {
                work.run(move || {
                    started_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                })
                .await
            }
        });
        tokio::task::spawn_blocking(move || started_rx.recv().unwrap())
            .await
            .unwrap();
        let refused = work.run(|| ()).await.unwrap_err();
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
        release_tx.send(()).unwrap();
        running.await.unwrap().unwrap();
        // Free again: the next one runs.
        work.run(|| ()).await.unwrap();
    }
}
