//! The threads decoding a list's segments (JSON text, or protobuf items): at most one per core,
//! fed in order from one queue, so the download can read ahead of the decoding without
//! starting a thread per segment.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use bytes::Bytes;
use tokio::sync::mpsc;

/// What a worker sends back: the segment's number and its result (or the panic's message).
type Outcome<R> = (usize, Result<R, String>);

/// A queue of segments (`J`, a JSON list's text by default) and the blocking threads working
/// through it; results come back in the order the segments went in. Dropping it lets the
/// threads go once their segment is done.
pub(crate) struct Pool<R: Send + 'static, J: Send + 'static = Bytes> {
    shared: Arc<Shared<J>>,
    work: fn(J) -> R,
    results: mpsc::UnboundedReceiver<Outcome<R>>,
    sender: mpsc::UnboundedSender<Outcome<R>>,
    max_workers: usize,
    workers: usize,
    /// Numbers given to segments so far, and the next one to hand out in order.
    submitted: usize,
    next_out: usize,
    /// Results that came back before an earlier segment's (index = number - next_out).
    early: VecDeque<Option<Result<R, String>>>,
    /// Bytes of segments submitted whose result has not come back yet.
    pending_bytes: usize,
    sizes: VecDeque<usize>,
}

struct Shared<J> {
    jobs: Mutex<Jobs<J>>,
    wake: Condvar,
}

struct Jobs<J> {
    queue: VecDeque<(usize, J)>,
    /// Workers waiting for a segment.
    idle: usize,
    closed: bool,
}

impl<R: Send + 'static, J: Send + 'static> Pool<R, J> {
    pub(crate) fn new(max_workers: usize, work: fn(J) -> R) -> Self {
        let (sender, results) = mpsc::unbounded_channel();
        Pool {
            shared: Arc::new(Shared {
                jobs: Mutex::new(Jobs {
                    queue: VecDeque::new(),
                    idle: 0,
                    closed: false,
                }),
                wake: Condvar::new(),
            }),
            work,
            results,
            sender,
            max_workers: max_workers.max(1),
            workers: 0,
            submitted: 0,
            next_out: 0,
            early: VecDeque::new(),
            pending_bytes: 0,
            sizes: VecDeque::new(),
        }
    }

    /// Bytes handed to the threads whose result has not been taken yet.
    pub(crate) fn pending_bytes(&self) -> usize {
        self.pending_bytes
    }

    /// Segments submitted whose result has not been taken yet.
    pub(crate) fn outstanding(&self) -> usize {
        self.submitted - self.next_out
    }

    /// Queues `segment` of `size` bytes; a thread is started for it if none is idle and
    /// fewer than the maximum run.
    pub(crate) fn submit(&mut self, segment: J, size: usize) {
        let seq = self.submitted;
        self.submitted += 1;
        self.pending_bytes += size;
        self.sizes.push_back(size);
        let start_one = {
            let mut jobs = lock(&self.shared.jobs);
            jobs.queue.push_back((seq, segment));
            if jobs.idle > 0 {
                self.shared.wake.notify_one();
                false
            } else {
                self.workers < self.max_workers
            }
        };
        if start_one {
            self.workers += 1;
            let (shared, sender, work) = (self.shared.clone(), self.sender.clone(), self.work);
            tokio::task::spawn_blocking(move || run(&shared, &sender, work));
        }
    }

    /// The next result in order if it is already there.
    pub(crate) fn try_next(&mut self) -> Option<Result<R, String>> {
        loop {
            if let Some(ready) = self.take_early() {
                return Some(ready);
            }
            let outcome = self.results.try_recv().ok()?;
            self.file(outcome);
        }
    }

    /// The next result in order, once it is there; `None` when nothing is outstanding.
    pub(crate) async fn next(&mut self) -> Option<Result<R, String>> {
        if self.outstanding() == 0 {
            return None;
        }
        loop {
            if let Some(ready) = self.take_early() {
                return Some(ready);
            }
            match self.results.recv().await {
                Some(outcome) => self.file(outcome),
                // Unreachable while `self.sender` lives; kept so a change there cannot hang.
                None => return Some(Err("the decoding threads are gone".to_owned())),
            }
        }
    }

    fn file(&mut self, (seq, result): Outcome<R>) {
        let at = seq - self.next_out;
        if self.early.len() <= at {
            self.early.resize_with(at + 1, || None);
        }
        self.early[at] = Some(result);
    }

    fn take_early(&mut self) -> Option<Result<R, String>> {
        let ready = self.early.front_mut()?.take()?;
        self.early.pop_front();
        self.next_out += 1;
        self.pending_bytes -= self.sizes.pop_front().unwrap_or(0);
        Some(ready)
    }
}

impl<R: Send + 'static, J: Send + 'static> Drop for Pool<R, J> {
    fn drop(&mut self) {
        let mut jobs = lock(&self.shared.jobs);
        jobs.closed = true;
        jobs.queue.clear();
        self.shared.wake.notify_all();
    }
}

fn lock<J>(jobs: &Mutex<Jobs<J>>) -> std::sync::MutexGuard<'_, Jobs<J>> {
    // The lock is never held across user code, so a poisoned one still holds a good queue.
    jobs.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A worker: takes segments until the pool is dropped.
fn run<R: Send, J>(
    shared: &Shared<J>,
    sender: &mpsc::UnboundedSender<Outcome<R>>,
    work: fn(J) -> R,
) {
    loop {
        let (seq, segment) = {
            let mut jobs = lock(&shared.jobs);
            loop {
                if let Some(job) = jobs.queue.pop_front() {
                    break job;
                }
                if jobs.closed {
                    return;
                }
                jobs.idle += 1;
                jobs = shared
                    .wake
                    .wait(jobs)
                    .unwrap_or_else(PoisonError::into_inner);
                jobs.idle -= 1;
            }
        };
        // A panic inside a Deserialize impl becomes this segment's error, never a lost result.
        let result =
            catch_unwind(AssertUnwindSafe(|| work(segment))).map_err(|p| panic_message(&*p));
        if sender.send((seq, result)).is_err() {
            return;
        }
    }
}

/// The message a panic was raised with (`panic!("...")`), or "a panic" for another payload.
pub(super) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A checksum whose cost grows with the segment's size.
    fn checksum(segment: Bytes) -> (usize, u64) {
        let mut sum = 0u64;
        for round in 0..50u64 {
            for &b in segment.iter() {
                sum = sum.wrapping_mul(31).wrapping_add(u64::from(b) ^ round);
            }
        }
        (segment.len(), sum)
    }

    #[test]
    fn results_come_back_in_the_order_segments_went_in() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut pool = Pool::new(3, checksum);
            // Large segments first, so later ones are done before earlier ones.
            let sizes: Vec<usize> = (0..40)
                .map(|i| if i % 5 == 0 { 200_000 } else { 10 + i })
                .collect();
            for &size in &sizes {
                pool.submit(Bytes::from(vec![7u8; size]), size);
            }
            assert_eq!(pool.outstanding(), 40);
            assert_eq!(pool.pending_bytes(), sizes.iter().sum::<usize>());
            let mut lengths = Vec::new();
            while let Some(result) = pool.next().await {
                lengths.push(result.unwrap().0);
            }
            assert_eq!(lengths, sizes);
            assert_eq!(pool.pending_bytes(), 0);
            assert!(pool.try_next().is_none());
        });
    }

    #[test]
    fn dropping_the_pool_with_work_queued_lets_the_runtime_shut_down() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut pool = Pool::new(2, checksum);
            for _ in 0..20 {
                pool.submit(Bytes::from(vec![1u8; 100_000]), 100_000);
            }
            let first = pool.next().await.unwrap().unwrap();
            assert_eq!(first.0, 100_000);
        });
        // Waits for the blocking threads: they must have left the queue behind.
        drop(runtime);
    }
}
