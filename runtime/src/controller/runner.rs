//! `Controller`: feeds a work queue from the primary resource's changes and from its
//! triggers, runs reconciles on a fixed number of workers, applies their results to the
//! queue, and stops gracefully (running reconciles finish) on shutdown or lost leadership.

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{FutureExt, Stream, StreamExt};
use rest_core::meta::ListOptions;
use rest_core::{Resource, ResourceClient};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use super::action::Action;
use super::object_ref::{owners_of, ObjectRef};
use super::source::{watch_objects, TriggerEvent};
use crate::leader_election::Leadership;
use crate::workqueue::{NoMetrics, QueueConfig, QueueMetrics, WorkQueue};

type SourceFn<T> = Box<dyn Fn() -> BoxStream<'static, T> + Send + Sync>;

/// Why a reconcile did not succeed (it is retried with the key's backoff either way).
#[derive(Debug, thiserror::Error)]
pub enum ReconcileError<E: std::error::Error + 'static> {
    #[error("reconciling {key} failed: {source}")]
    Failed { key: ObjectRef, source: E },
    #[error("reconciling {key} panicked: {message}")]
    Panicked { key: ObjectRef, message: String },
}

/// One reconcile's outcome, as `run`'s stream yields it.
pub type ReconcileResult<E> = Result<(ObjectRef, Action), ReconcileError<E>>;

/// A controller for the primary kind `K` (kube-runtime's `Controller`).
pub struct Controller<K: Resource> {
    primary: SourceFn<TriggerEvent<K>>,
    triggers: Vec<SourceFn<Vec<ObjectRef>>>,
    concurrency: usize,
    metrics: Arc<dyn QueueMetrics>,
    leadership: Option<watch::Receiver<Leadership>>,
    shutdown: BoxFuture<'static, ()>,
}

enum Input<K> {
    Primary(TriggerEvent<K>),
    Keys(Vec<ObjectRef>),
}

enum Stop {
    Shutdown,
    LostLeadership,
    /// The leader elector is gone: this replica can never lead again.
    ElectorGone,
}

type Cache<K> = Arc<RwLock<HashMap<ObjectRef, Arc<K>>>>;

impl<K: Resource> Controller<K> {
    /// Reconciles the objects `api` and `opts` select.
    pub fn new(api: ResourceClient<K>, opts: ListOptions) -> Self {
        Self::for_source(move || watch_objects(api.clone(), opts.clone()))
    }

    /// Reconciles the objects of any source of changes (a shared informer's, a test's),
    /// made anew each time the controller (re)starts.
    pub fn for_source(
        source: impl Fn() -> BoxStream<'static, TriggerEvent<K>> + Send + Sync + 'static,
    ) -> Self {
        Controller {
            primary: Box::new(source),
            triggers: Vec::new(),
            concurrency: 4,
            metrics: Arc::new(NoMetrics),
            leadership: None,
            shutdown: futures::future::pending().boxed(),
        }
    }

    /// Also reconciles an object when one it owns (by `ownerReferences`) changes.
    pub fn owns<C: Resource>(self, api: ResourceClient<C>, opts: ListOptions) -> Self {
        self.watches(api, opts, owners_of::<K, C>)
    }

    /// Also reconciles the objects `map` names when an object of `C` changes.
    pub fn watches<C: Resource>(
        self,
        api: ResourceClient<C>,
        opts: ListOptions,
        map: impl Fn(&C) -> Vec<ObjectRef> + Send + Sync + 'static,
    ) -> Self {
        self.watches_source(move || watch_objects(api.clone(), opts.clone()), map)
    }

    /// As `watches`, from any source of changes.
    pub fn watches_source<C: Send + 'static>(
        mut self,
        source: impl Fn() -> BoxStream<'static, TriggerEvent<C>> + Send + Sync + 'static,
        map: impl Fn(&C) -> Vec<ObjectRef> + Send + Sync + 'static,
    ) -> Self {
        let map = Arc::new(map);
        self.triggers.push(Box::new(move || {
            let map = map.clone();
            source()
                .map(move |event| match event {
                    TriggerEvent::Apply(o) | TriggerEvent::Delete(o) => map(&o),
                    TriggerEvent::Restarted(all) => all.iter().flat_map(|o| map(o)).collect(),
                })
                .boxed()
        }));
        self
    }

    /// How many reconciles may run at once (on different keys; one key never runs twice
    /// at once). Default 4.
    pub fn concurrency(mut self, workers: usize) -> Self {
        self.concurrency = workers.max(1);
        self
    }

    /// Where the work queue's metrics go.
    pub fn queue_metrics(mut self, metrics: Arc<dyn QueueMetrics>) -> Self {
        self.metrics = metrics;
        self
    }

    /// Runs only while this replica leads (see `LeaderElector::subscribe`): watches and
    /// reconciles start when it starts leading, and stop (running reconciles finish) when
    /// it stops.
    pub fn run_only_while_leading(mut self, leadership: watch::Receiver<Leadership>) -> Self {
        self.leadership = Some(leadership);
        self
    }

    /// Stops gracefully when `signal` resolves: no new reconciles start, running ones
    /// finish, then `run`'s stream ends.
    pub fn graceful_shutdown_on(
        mut self,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> Self {
        self.shutdown = signal.boxed();
        self
    }

    /// Starts the controller; its stream yields every reconcile's outcome and ends after
    /// shutdown. Errors are retried with the key's backoff (client-go's default: 5 ms
    /// doubling to 1000 s, within 10 retries per second overall); `RequeueAfter` queues the
    /// key again after the delay. Poll the stream: it also keeps the controller alive.
    pub fn run<F, Fut, E, C>(self, reconcile: F, context: Arc<C>) -> Running<E>
    where
        F: Fn(Arc<K>, Arc<C>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Action, E>> + Send + 'static,
        E: std::error::Error + Send + 'static,
        C: Send + Sync + 'static,
    {
        let (results, receiver) = mpsc::unbounded_channel();
        let driver = tokio::spawn(self.drive(Arc::new(reconcile), context, results));
        Running { receiver, driver }
    }

    async fn drive<F, Fut, E, C>(
        mut self,
        reconcile: Arc<F>,
        context: Arc<C>,
        results: mpsc::UnboundedSender<ReconcileResult<E>>,
    ) where
        F: Fn(Arc<K>, Arc<C>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Action, E>> + Send + 'static,
        E: std::error::Error + Send + 'static,
        C: Send + Sync + 'static,
    {
        let mut shutdown =
            std::mem::replace(&mut self.shutdown, futures::future::pending().boxed());
        loop {
            if let Some(leadership) = self.leadership.as_mut() {
                tokio::select! {
                    _ = &mut shutdown => return,
                    led = leadership.wait_for(|l| l.leading) => if led.is_err() { return },
                }
            }
            let stop = self
                .term(&reconcile, &context, &results, &mut shutdown)
                .await;
            match stop {
                Stop::Shutdown | Stop::ElectorGone => return,
                Stop::LostLeadership => continue,
            }
        }
    }

    /// One run: from start (or gaining leadership) to shutdown (or losing it).
    async fn term<F, Fut, E, C>(
        &mut self,
        reconcile: &Arc<F>,
        context: &Arc<C>,
        results: &mpsc::UnboundedSender<ReconcileResult<E>>,
        shutdown: &mut BoxFuture<'static, ()>,
    ) -> Stop
    where
        F: Fn(Arc<K>, Arc<C>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Action, E>> + Send + 'static,
        E: std::error::Error + Send + 'static,
        C: Send + Sync + 'static,
    {
        let queue = WorkQueue::with_config(QueueConfig {
            rate_limiter: None,
            metrics: self.metrics.clone(),
        });
        let cache: Cache<K> = Arc::default();
        let mut inputs: Vec<BoxStream<'static, Input<K>>> =
            vec![(self.primary)().map(Input::Primary).boxed()];
        inputs.extend(self.triggers.iter().map(|t| t().map(Input::Keys).boxed()));
        // In a JoinSet, so the feeder (and its watches) end with this run even if the run
        // itself is dropped.
        let mut feeder = JoinSet::new();
        feeder.spawn(feed(
            futures::stream::select_all(inputs),
            queue.clone(),
            cache.clone(),
        ));
        let stopping = Arc::new(AtomicBool::new(false));
        let mut workers = JoinSet::new();
        for _ in 0..self.concurrency {
            workers.spawn(work(
                queue.clone(),
                cache.clone(),
                stopping.clone(),
                reconcile.clone(),
                context.clone(),
                results.clone(),
            ));
        }
        let lost = async {
            match self.leadership.as_mut() {
                Some(l) => match l.wait_for(|l| !l.leading).await {
                    Ok(_) => Stop::LostLeadership,
                    Err(_) => Stop::ElectorGone,
                },
                None => futures::future::pending().await,
            }
        };
        let stop = tokio::select! {
            _ = shutdown => Stop::Shutdown,
            stop = lost => stop,
        };
        feeder.abort_all();
        stopping.store(true, Ordering::SeqCst);
        queue.shut_down();
        while workers.join_next().await.is_some() {}
        stop
    }
}

/// Keeps the cache of primaries and queues every key a change names.
async fn feed<K: Resource>(
    mut inputs: impl Stream<Item = Input<K>> + Unpin,
    queue: WorkQueue<ObjectRef>,
    cache: Cache<K>,
) {
    while let Some(input) = inputs.next().await {
        match input {
            Input::Primary(TriggerEvent::Apply(obj)) => {
                let key = ObjectRef::from_obj(&obj);
                write(&cache).insert(key.clone(), Arc::new(obj));
                queue.add(key);
            }
            Input::Primary(TriggerEvent::Delete(obj)) => {
                write(&cache).remove(&ObjectRef::from_obj(&obj));
            }
            Input::Primary(TriggerEvent::Restarted(all)) => {
                let fresh: HashMap<ObjectRef, Arc<K>> = all
                    .into_iter()
                    .map(|o| (ObjectRef::from_obj(&o), Arc::new(o)))
                    .collect();
                let keys: Vec<ObjectRef> = fresh.keys().cloned().collect();
                *write(&cache) = fresh;
                for key in keys {
                    queue.add(key);
                }
            }
            Input::Keys(keys) => {
                for key in keys {
                    queue.add(key);
                }
            }
        }
    }
}

/// One worker: takes a key, reconciles the object cached for it, and queues the key again
/// as the result asks; stops taking keys once the controller is stopping.
async fn work<K, F, Fut, E, C>(
    queue: WorkQueue<ObjectRef>,
    cache: Cache<K>,
    stopping: Arc<AtomicBool>,
    reconcile: Arc<F>,
    context: Arc<C>,
    results: mpsc::UnboundedSender<ReconcileResult<E>>,
) where
    K: Resource,
    F: Fn(Arc<K>, Arc<C>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Action, E>> + Send + 'static,
    E: std::error::Error + Send + 'static,
    C: Send + Sync + 'static,
{
    while let Some(key) = queue.get().await {
        if stopping.load(Ordering::SeqCst) {
            queue.done(&key);
            break;
        }
        let obj = read(&cache).get(&key).cloned();
        let Some(obj) = obj else {
            // Deleted (or not listed yet): nothing to reconcile; finalizers see deletions.
            queue.forget(&key);
            queue.done(&key);
            continue;
        };
        let outcome = AssertUnwindSafe(reconcile(obj, context.clone()))
            .catch_unwind()
            .await;
        let result = match outcome {
            Ok(Ok(action)) => {
                queue.forget(&key);
                if let Action::RequeueAfter(after) = action {
                    queue.add_after(key.clone(), after);
                }
                Ok((key.clone(), action))
            }
            Ok(Err(source)) => {
                tracing::debug!(%key, error = %source, "reconcile failed; retrying with backoff");
                queue.add_rate_limited(key.clone());
                Err(ReconcileError::Failed {
                    key: key.clone(),
                    source,
                })
            }
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".to_owned());
                tracing::error!(%key, %message, "reconcile panicked; retrying with backoff");
                queue.add_rate_limited(key.clone());
                Err(ReconcileError::Panicked {
                    key: key.clone(),
                    message,
                })
            }
        };
        queue.done(&key);
        // Nobody listening is fine: the controller runs for its effects.
        let _ = results.send(result);
    }
}

fn read<K>(cache: &Cache<K>) -> std::sync::RwLockReadGuard<'_, HashMap<ObjectRef, Arc<K>>> {
    cache.read().unwrap_or_else(|p| p.into_inner())
}

fn write<K>(cache: &Cache<K>) -> std::sync::RwLockWriteGuard<'_, HashMap<ObjectRef, Arc<K>>> {
    cache.write().unwrap_or_else(|p| p.into_inner())
}

/// A running controller: the stream of its reconciles' outcomes. Dropping it stops the
/// controller at once (running reconciles are abandoned); for a graceful stop use
/// `graceful_shutdown_on` and poll this to its end.
pub struct Running<E: std::error::Error + 'static> {
    receiver: mpsc::UnboundedReceiver<ReconcileResult<E>>,
    driver: tokio::task::JoinHandle<()>,
}

impl<E: std::error::Error + 'static> Stream for Running<E> {
    type Item = ReconcileResult<E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.receiver.poll_recv(cx)
    }
}

impl<E: std::error::Error + 'static> Drop for Running<E> {
    fn drop(&mut self) {
        self.driver.abort();
    }
}
