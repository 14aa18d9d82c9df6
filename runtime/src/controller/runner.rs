//! `Controller`: feeds a work queue from the primary resource's changes and from its
//! triggers, runs reconciles on a fixed number of workers, applies their results to the
//! queue, and stops gracefully (running reconciles finish) on shutdown or lost leadership.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{FutureExt, Stream, StreamExt};
use rest_core::discovery::ApiResource;
use rest_core::meta::ListOptions;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use super::action::Action;
use super::owners::owners_of_resource;
use super::source::{primary_key, trigger, InformerFn, TriggerFn};
use crate::informer::{self, SharedInformer};
use crate::leader_election::Leadership;
use crate::lister_watcher::ListerWatcher;
use crate::object::{Object, ObjectRef};
use crate::store::Store;
use crate::watcher;
use crate::workqueue::{NoMetrics, QueueConfig, QueueMetrics, WorkQueue};

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

/// A controller for the primary kind `K` (kube-runtime's `Controller`): generated, derived
/// or dynamic ([`DynamicObject`](rest_core::dynamic::DynamicObject) through
/// [`Dynamic`](crate::lister_watcher::Dynamic)).
///
/// Every resource it watches is watched by a [`SharedInformer`]: the reconciler gets the
/// primary as its informer's store holds it, and informers passed in (`for_informer`,
/// `owns_informer`, `watches_informer`) are shared with their other users, so one watch
/// serves them all.
pub struct Controller<K: Object> {
    primary: InformerFn<K>,
    /// The primary's resource, what owner references are matched against.
    resource: ApiResource,
    triggers: Vec<TriggerFn>,
    concurrency: usize,
    metrics: Arc<dyn QueueMetrics>,
    leadership: Option<watch::Receiver<Leadership>>,
    shutdown: BoxFuture<'static, ()>,
}

enum Input {
    Key(ObjectRef),
    Keys(Vec<ObjectRef>),
}

enum Stop {
    Shutdown,
    LostLeadership,
    /// The leader elector is gone: this replica can never lead again.
    ElectorGone,
}

/// A new informer of `lw` selecting what `opts` selects, made per term (so a replica that
/// does not lead does not watch).
fn private_informer<L: ListerWatcher>(
    lw: L,
    opts: ListOptions,
) -> impl Fn() -> SharedInformer<L::Object> + Send + Sync + 'static {
    let config = watcher::Config {
        label_selector: opts.label_selector,
        field_selector: opts.field_selector,
        ..watcher::Config::default()
    };
    move || {
        SharedInformer::new(
            lw.clone(),
            informer::Config::default().watcher(config.clone()),
        )
    }
}

impl<K: Object> Controller<K> {
    /// Reconciles the objects `lw` (a `ResourceClient`, a `Dynamic`, ...) and the selectors
    /// of `opts` select, watched by an informer of the controller's own.
    pub fn new<L: ListerWatcher<Object = K>>(lw: L, opts: ListOptions) -> Self {
        let resource = lw.api_resource();
        Self::with_primary(Arc::new(private_informer(lw, opts)), resource)
    }

    /// Reconciles the objects `informer` watches, sharing its watch and store (from an
    /// [`InformerFactory`](crate::InformerFactory), for example) with its other users.
    pub fn for_informer(informer: SharedInformer<K>) -> Self {
        let resource = informer.api_resource().clone();
        Self::with_primary(Arc::new(move || informer.clone()), resource)
    }

    fn with_primary(primary: InformerFn<K>, resource: ApiResource) -> Self {
        Controller {
            primary,
            resource,
            triggers: Vec::new(),
            concurrency: 4,
            metrics: Arc::new(NoMetrics),
            leadership: None,
            shutdown: futures::future::pending().boxed(),
        }
    }

    /// Also reconciles an object when one it owns (by `ownerReferences`) of what `lw`
    /// lists changes.
    pub fn owns<L: ListerWatcher>(self, lw: L, opts: ListOptions) -> Self {
        let owner = self.resource.clone();
        self.watches(lw, opts, move |child| owners_of_resource(&owner, child))
    }

    /// As `owns`, on a shared informer.
    pub fn owns_informer<C: Object>(self, informer: SharedInformer<C>) -> Self {
        let owner = self.resource.clone();
        self.watches_informer(informer, move |child| owners_of_resource(&owner, child))
    }

    /// Also reconciles the objects `map` names when an object `lw` lists changes.
    pub fn watches<L: ListerWatcher>(
        mut self,
        lw: L,
        opts: ListOptions,
        map: impl Fn(&L::Object) -> Vec<ObjectRef> + Send + Sync + 'static,
    ) -> Self {
        self.triggers.push(trigger(private_informer(lw, opts), map));
        self
    }

    /// As `watches`, on a shared informer.
    pub fn watches_informer<C: Object>(
        mut self,
        informer: SharedInformer<C>,
        map: impl Fn(&C) -> Vec<ObjectRef> + Send + Sync + 'static,
    ) -> Self {
        self.triggers.push(trigger(move || informer.clone(), map));
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
        // Held for the term: the primary's watch lives as long as this handle (or the
        // informer's other users).
        let primary = (self.primary)();
        let store = primary.store();
        // Subscribing first delivers every stored object (or the first list, when it
        // completes): each term starts by reconciling everything.
        let mut inputs: Vec<BoxStream<'static, Input>> = vec![primary
            .subscribe()
            .filter_map(|change| futures::future::ready(primary_key(&change).map(Input::Key)))
            .boxed()];
        inputs.extend(self.triggers.iter().map(|t| t().map(Input::Keys).boxed()));
        // In a JoinSet, so the feeder (and the subscriptions it holds) end with this run
        // even if the run itself is dropped.
        let mut feeder = JoinSet::new();
        feeder.spawn(feed(futures::stream::select_all(inputs), queue.clone()));
        let stopping = Arc::new(AtomicBool::new(false));
        let mut workers = JoinSet::new();
        for _ in 0..self.concurrency {
            workers.spawn(work(
                queue.clone(),
                store.clone(),
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

/// Queues every key a change names: what has arrived is queued together (a list brings
/// thousands of changes at once), so the queue is locked once per batch rather than per key.
async fn feed(mut inputs: impl Stream<Item = Input> + Unpin, queue: WorkQueue<ObjectRef>) {
    const BATCH: usize = 512;
    let mut keys = Vec::with_capacity(BATCH);
    while let Some(input) = inputs.next().await {
        let mut next = Some(input);
        while let Some(input) = next.take() {
            match input {
                Input::Key(key) => keys.push(key),
                Input::Keys(more) => keys.extend(more),
            }
            if keys.len() < BATCH {
                next = inputs.next().now_or_never().flatten();
            }
        }
        queue.add_all(keys.drain(..));
    }
}

/// One worker: takes a key, reconciles the object the primary's store holds for it, and queues the key again
/// as the result asks; stops taking keys once the controller is stopping.
async fn work<K, F, Fut, E, C>(
    queue: WorkQueue<ObjectRef>,
    store: Store<K>,
    stopping: Arc<AtomicBool>,
    reconcile: Arc<F>,
    context: Arc<C>,
    results: mpsc::UnboundedSender<ReconcileResult<E>>,
) where
    K: Object,
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
        let Some(obj) = store.get(&key) else {
            // Deleted (or not listed yet): nothing to reconcile; finalizers see deletions.
            queue.forget(&key);
            queue.done(&key);
            continue;
        };
        let outcome = AssertUnwindSafe(reconcile(obj, context.clone()))
            .catch_unwind()
            .await;
        // The queue's bookkeeping first, `done` last (as client-go's workers do); the key
        // then moves into the result.
        let result = match outcome {
            Ok(Ok(action)) => {
                queue.forget(&key);
                if let Action::RequeueAfter(after) = action {
                    queue.add_after(key.clone(), after);
                }
                queue.done(&key);
                Ok((key, action))
            }
            Ok(Err(source)) => {
                tracing::debug!(%key, error = %source, "reconcile failed; retrying with backoff");
                queue.add_rate_limited(key.clone());
                queue.done(&key);
                Err(ReconcileError::Failed { key, source })
            }
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".to_owned());
                tracing::error!(%key, %message, "reconcile panicked; retrying with backoff");
                queue.add_rate_limited(key.clone());
                queue.done(&key);
                Err(ReconcileError::Panicked { key, message })
            }
        };
        // Nobody listening is fine: the controller runs for its effects.
        let _ = results.send(result);
    }
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
