//! Shared informers (client-go's `SharedIndexInformer` and `SharedInformerFactory`): one
//! watch and one store per resource and selector, however many consumers subscribe; each
//! subscriber gets the current state first, then every change, in order, on its own stream.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use futures::{Stream, StreamExt};
use rest_core::discovery::ApiResource;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::lister_watcher::ListerWatcher;
use crate::object::Object;
use crate::store::{Change, Indexers, Store, Transform, Writer};
use crate::watcher::{self, watcher};

/// How a shared informer watches and stores.
pub struct Config<K> {
    pub watcher: watcher::Config,
    pub indexers: Indexers<K>,
    /// Applied to each object before it is stored and handed to subscribers.
    pub transform: Option<Transform<K>>,
    /// Every this often, each subscriber gets a [`Change::Resync`] of every stored object
    /// (client-go's resync period); `None` (the default) never.
    pub resync: Option<Duration>,
}

impl<K: Object> Default for Config<K> {
    fn default() -> Self {
        Config {
            watcher: watcher::Config::default(),
            indexers: Indexers::default(),
            transform: None,
            resync: None,
        }
    }
}

impl<K: Object> Config<K> {
    pub fn watcher(mut self, watcher: watcher::Config) -> Self {
        self.watcher = watcher;
        self
    }

    pub fn indexers(mut self, indexers: Indexers<K>) -> Self {
        self.indexers = indexers;
        self
    }

    pub fn transform(mut self, transform: impl Fn(&mut K) + Send + Sync + 'static) -> Self {
        self.transform = Some(Arc::new(transform));
        self
    }

    pub fn resync(mut self, every: Duration) -> Self {
        self.resync = Some(every);
        self
    }
}

type Subscribers<K> = Arc<Mutex<Vec<mpsc::UnboundedSender<Change<K>>>>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

struct Inner<K> {
    store: Store<K>,
    subscribers: Subscribers<K>,
    task: JoinHandle<()>,
    what: String,
    resource: ApiResource,
}

impl<K> Drop for Inner<K> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One watch and store shared by every subscriber; the watch stops when the last handle
/// (and the factory that made it) is dropped.
pub struct SharedInformer<K> {
    inner: Arc<Inner<K>>,
}

impl<K> Clone for SharedInformer<K> {
    fn clone(&self) -> Self {
        SharedInformer {
            inner: self.inner.clone(),
        }
    }
}

impl<K> std::fmt::Debug for SharedInformer<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedInformer")
            .field("watching", &self.inner.what)
            .field("subscribers", &lock(&self.inner.subscribers).len())
            .finish()
    }
}

impl<K: Object> SharedInformer<K> {
    /// Starts watching (on the current tokio runtime) what `lw` lists.
    pub fn new<L: ListerWatcher<Object = K>>(lw: L, config: Config<K>) -> Self {
        let mut writer = Writer::new(config.indexers);
        if let Some(t) = config.transform {
            writer = writer.transform(move |o: &mut K| t(o));
        }
        let store = writer.as_reader();
        let subscribers: Subscribers<K> = Arc::default();
        let what = lw.describe();
        let resource = lw.api_resource();
        let task = tokio::spawn(run(
            watcher(lw, config.watcher),
            writer,
            subscribers.clone(),
            config.resync,
            what.clone(),
        ));
        SharedInformer {
            inner: Arc::new(Inner {
                store,
                subscribers,
                task,
                what,
                resource,
            }),
        }
    }

    /// The resource watched.
    pub fn api_resource(&self) -> &ApiResource {
        &self.inner.resource
    }

    /// The informer's store (client-go's `GetIndexer`).
    pub fn store(&self) -> Store<K> {
        self.inner.store.clone()
    }

    /// A stream of changes: first an `Added` for each object stored now and `Synced` (when
    /// the store is ready; otherwise both come when the first list completes), then every
    /// change as it is applied.
    pub fn subscribe(&self) -> Subscription<K> {
        let (tx, rx) = mpsc::unbounded_channel();
        // Under the lock the informer applies events with: nothing slips between the
        // snapshot and the first change sent.
        let mut subscribers = lock(&self.inner.subscribers);
        if self.inner.store.is_ready() {
            for obj in self.inner.store.list() {
                let _ = tx.send(Change::Added(obj));
            }
            let _ = tx.send(Change::Synced);
        }
        subscribers.push(tx);
        Subscription { rx }
    }

    /// How many subscriptions are open.
    pub fn subscribers(&self) -> usize {
        lock(&self.inner.subscribers)
            .iter()
            .filter(|s| !s.is_closed())
            .count()
    }
}

async fn run<K: Object>(
    events: impl Stream<Item = Result<watcher::Event<K>, watcher::Error>> + Send,
    mut writer: Writer<K>,
    subscribers: Subscribers<K>,
    resync: Option<Duration>,
    what: String,
) {
    let mut events = std::pin::pin!(events);
    let mut ticker = resync.map(|every| {
        let mut t = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        t
    });
    let store = writer.as_reader();
    let mut changes = Vec::new();
    loop {
        let tick = async {
            match &mut ticker {
                Some(t) => {
                    t.tick().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            item = events.next() => match item {
                Some(Ok(event)) => {
                    let mut subs = lock(&subscribers);
                    writer.apply_changes(event, &mut changes);
                    deliver(&mut subs, changes.drain(..));
                }
                Some(Err(err)) => tracing::warn!(%what, "{err}"),
                None => return,
            },
            _ = tick => {
                if store.is_ready() {
                    let mut subs = lock(&subscribers);
                    deliver(&mut subs, store.list().into_iter().map(Change::Resync));
                }
            }
        }
    }
}

fn deliver<K>(
    subscribers: &mut Vec<mpsc::UnboundedSender<Change<K>>>,
    changes: impl Iterator<Item = Change<K>>,
) {
    for change in changes {
        for s in subscribers.iter() {
            let _ = s.send(change.clone());
        }
    }
    subscribers.retain(|s| !s.is_closed());
}

/// One subscriber's changes ([`SharedInformer::subscribe`]); dropping it unsubscribes.
pub struct Subscription<K> {
    rx: mpsc::UnboundedReceiver<Change<K>>,
}

impl<K> Stream for Subscription<K> {
    type Item = Change<K>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Change<K>>> {
        self.rx.poll_recv(cx)
    }
}

impl<K> std::fmt::Debug for Subscription<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Subscription")
    }
}

/// Shared informers by what they watch (client-go's `SharedInformerFactory`): asking twice for
/// the same resource, namespace and selectors gives the same informer, so one watch serves all.
#[derive(Default)]
pub struct InformerFactory {
    informers: Mutex<HashMap<(TypeId, String), Box<dyn Any + Send + Sync>>>,
}

impl std::fmt::Debug for InformerFactory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<String> = lock(&self.informers)
            .keys()
            .map(|(_, k)| k.clone())
            .collect();
        f.debug_struct("InformerFactory")
            .field("informers", &keys)
            .finish()
    }
}

impl InformerFactory {
    pub fn new() -> Self {
        InformerFactory::default()
    }

    /// The informer of what `lw` lists with `config`'s selectors: started on first request;
    /// later requests get it as it is (their indexers, transform and resync are not used).
    pub fn informer<L: ListerWatcher>(
        &self,
        lw: L,
        config: Config<L::Object>,
    ) -> SharedInformer<L::Object> {
        let key = (
            TypeId::of::<L::Object>(),
            format!(
                "{} labels={:?} fields={:?}",
                lw.describe(),
                config.watcher.label_selector,
                config.watcher.field_selector
            ),
        );
        let mut informers = lock(&self.informers);
        if let Some(existing) = informers
            .get(&key)
            .and_then(|b| b.downcast_ref::<SharedInformer<L::Object>>())
        {
            return existing.clone();
        }
        let informer = SharedInformer::new(lw, config);
        informers.insert(key, Box::new(informer.clone()));
        informer
    }
}
