//! Read-ahead for a watch: a task reads the body's chunks into a bounded queue while the
//! stream's consumer decodes, so reading the connection and decoding overlap.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;

use crate::body::Origin;
use crate::error::Error;

/// Bytes read ahead before the reader waits for the consumer. Hyper hands a body over one
/// frame (about 64 KiB) at a time and reads on only when the frame is taken, so without a
/// queue every frame costs the decoding thread a wake-up of the connection's task and a wait
/// for its read; with one, the consumer takes whole batches and wakes the reader once per
/// batch. Small enough that many idle or slow watches hold little.
const READ_AHEAD: usize = 256 << 10;

/// The body chunks the reader queued and that the consumer has not taken yet.
#[derive(Default)]
struct Queue {
    chunks: VecDeque<Result<Bytes, Error>>,
    /// Bytes in `chunks`.
    queued: usize,
    /// The body ended (or failed: its error is the last queued item).
    ended: bool,
    /// The consumer was dropped: the reader stops and drops the body (closing the connection).
    closed: bool,
    consumer: Option<Waker>,
    reader: Option<Waker>,
}

type Shared = Arc<Mutex<Queue>>;

fn lock(shared: &Shared) -> MutexGuard<'_, Queue> {
    // A panic while the lock is held leaves only plain data behind: keep going with it.
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn remember(slot: &mut Option<Waker>, cx: &Context<'_>) {
    match slot {
        Some(waker) if waker.will_wake(cx.waker()) => {}
        _ => *slot = Some(cx.waker().clone()),
    }
}

/// The consumer's end: batches of chunks in the body's order.
pub(crate) struct ReadAhead {
    shared: Shared,
}

impl ReadAhead {
    /// Starts reading `body` on a task of the current tokio runtime, or gives the body back
    /// when there is none (it is then read in line by the consumer).
    pub(crate) fn spawn(
        body: BoxStream<'static, Result<Bytes, Error>>,
        origin: &Origin,
    ) -> Result<ReadAhead, BoxStream<'static, Result<Bytes, Error>>> {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Err(body);
        };
        let shared = Shared::default();
        runtime.spawn(Reader {
            body,
            shared: shared.clone(),
            origin: origin.clone(),
            finished: false,
        });
        Ok(ReadAhead { shared })
    }

    /// Moves every queued chunk to the end of `batch` (which the caller has emptied);
    /// `Ready(false)` once the body has ended and everything was taken.
    pub(crate) fn poll_batch(
        &mut self,
        cx: &mut Context<'_>,
        batch: &mut VecDeque<Result<Bytes, Error>>,
    ) -> Poll<bool> {
        let mut queue = lock(&self.shared);
        if queue.chunks.is_empty() {
            if queue.ended {
                return Poll::Ready(false);
            }
            remember(&mut queue.consumer, cx);
            return Poll::Pending;
        }
        std::mem::swap(&mut queue.chunks, batch);
        // Only a reader stopped for room needs waking: otherwise it waits on the connection.
        let was_full = queue.queued >= READ_AHEAD;
        queue.queued = 0;
        let reader = if was_full { queue.reader.take() } else { None };
        drop(queue);
        if let Some(reader) = reader {
            reader.wake();
        }
        Poll::Ready(true)
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        let mut queue = lock(&self.shared);
        queue.closed = true;
        let reader = queue.reader.take();
        drop(queue);
        if let Some(reader) = reader {
            reader.wake();
        }
    }
}

/// The reading task.
struct Reader {
    body: BoxStream<'static, Result<Bytes, Error>>,
    shared: Shared,
    origin: Origin,
    /// The body ended or the consumer went away: nothing more to tell the consumer.
    finished: bool,
}

impl Drop for Reader {
    /// A reader dropped before the body ended (its runtime shut down) ends the consumer's
    /// stream with an error instead of leaving it waiting for chunks that never come.
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let mut queue = lock(&self.shared);
        queue.chunks.push_back(Err(Error::Body {
            verb: self.origin.verb.to_string(),
            url: self.origin.url.clone(),
            detail: "the watch's reading task was stopped (its tokio runtime shut down)".into(),
        }));
        queue.ended = true;
        let consumer = queue.consumer.take();
        drop(queue);
        if let Some(consumer) = consumer {
            consumer.wake();
        }
    }
}

impl Future for Reader {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            {
                let mut queue = lock(&self.shared);
                if queue.closed {
                    drop(queue);
                    self.finished = true;
                    return Poll::Ready(());
                }
                // Also while waiting on the body, so a dropped consumer is noticed at once.
                remember(&mut queue.reader, cx);
                if queue.queued >= READ_AHEAD {
                    return Poll::Pending;
                }
            }
            let item = match self.body.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(item) => item,
            };
            let mut queue = lock(&self.shared);
            let ended = match item {
                Some(Ok(chunk)) => {
                    queue.queued += chunk.len();
                    queue.chunks.push_back(Ok(chunk));
                    false
                }
                Some(Err(err)) => {
                    queue.chunks.push_back(Err(err));
                    true
                }
                None => true,
            };
            queue.ended = ended;
            let consumer = queue.consumer.take();
            drop(queue);
            if let Some(consumer) = consumer {
                consumer.wake();
            }
            if ended {
                self.finished = true;
                return Poll::Ready(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            verb: http::Method::GET,
            url: "http://test/api/v1/pods?watch=true".into(),
        }
    }

    fn chunk() -> Result<Bytes, Error> {
        Ok(Bytes::from(vec![b' '; 64 << 10]))
    }

    #[test]
    fn the_reader_stops_when_the_consumer_falls_behind_and_goes_on_when_it_takes() {
        let pulled = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = pulled.clone();
        let body = futures::stream::iter((0..100).map(move |_| {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            chunk()
        }))
        .boxed();
        let shared = Shared::default();
        let mut reader = Reader {
            body,
            shared: shared.clone(),
            origin: origin(),
            finished: false,
        };
        let mut consumer = ReadAhead { shared };
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        assert!(Pin::new(&mut reader).poll(&mut cx).is_pending());
        let read = pulled.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(read, READ_AHEAD / (64 << 10), "read ahead: {read} chunks");
        let mut batch = VecDeque::new();
        assert_eq!(consumer.poll_batch(&mut cx, &mut batch), Poll::Ready(true));
        assert_eq!(batch.len(), read);
        batch.clear();
        assert!(Pin::new(&mut reader).poll(&mut cx).is_pending());
        assert_eq!(pulled.load(std::sync::atomic::Ordering::Relaxed), 2 * read);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dropping_the_consumer_drops_the_body() {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Bytes, Error>>(1);
        let body = futures::stream::poll_fn(move |cx| rx.poll_recv(cx)).boxed();
        let Ok(consumer) = ReadAhead::spawn(body, &origin()) else {
            panic!("inside a runtime the body is read ahead");
        };
        tx.send(chunk()).await.unwrap();
        drop(consumer);
        // The reader, waiting on the body, notices at once and drops it (and the connection).
        let closed = tokio::time::timeout(std::time::Duration::from_secs(30), tx.closed()).await;
        assert!(
            closed.is_ok(),
            "the body was still held after the consumer was dropped"
        );
    }
}
