//! The in-process cache of anonymous published reads.
//!
//! An entry is reused only while the content generation it was built at is
//! still the database's, and only until the next scheduled change. The
//! generation is read after each request arrives, so no answer is older
//! than the request, whichever replica made the last change. Concurrent
//! requests share one read ([`GenerationProbe`]), so under load the cost is
//! one primary-key read per round of requests, not one per request.
//!
//! Concurrent misses for one key share one build (single flight): the first
//! builds, the others wait for its answer. After a change, a page read by
//! many at once is built once, not once per reader in flight.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::response::Response;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::conditional::Prepared;
use crate::service::{self, generation};

/// Entries and bytes held at most; past either, the cache starts again
/// empty (the working set of a Q&A site is a handful of pages and queries).
const MAX_ENTRIES: usize = 4096;
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Requests larger than this are answered but not cached.
const MAX_KEY_BYTES: usize = 16 * 1024;

/// A prepared answer and, when the cache was asked, `hit` or `miss`; or the
/// 500 to send when a handler's body could not be buffered.
pub type PreparedOrError = Result<(Arc<Prepared>, Option<&'static str>), Response>;

/// Whether the answer came from the response cache, for operators and tests.
pub const CACHE_STATUS: &str = "x-qanda-cache";

pub fn with_cache_status(mut response: Response, status: Option<&'static str>) -> Response {
    if let Some(status) = status {
        response
            .headers_mut()
            .insert(CACHE_STATUS, axum::http::HeaderValue::from_static(status));
    }
    response
}

/// What identifies one cached answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CacheKey {
    /// A GraphQL request: the exact query string (GET) or body (POST), and
    /// the response media type negotiated from `Accept`.
    Graphql {
        post: bool,
        media: &'static str,
        request: Bytes,
    },
    /// A public page's HTML, by slug.
    Page(String),
    /// A public page's search results: the slug and the raw query string.
    /// A variant of its own, because a slug is decoded from the path and may
    /// contain `/` or `?`: no slug can stand for a search.
    PageSearch { slug: String, query: String },
}

impl CacheKey {
    fn size(&self) -> usize {
        match self {
            CacheKey::Graphql { request, .. } => request.len(),
            CacheKey::Page(slug) => slug.len(),
            CacheKey::PageSearch { slug, query } => slug.len() + query.len(),
        }
    }
}

struct Entry {
    response: Arc<Prepared>,
    /// The next scheduled change after the entry was built.
    valid_until: Option<DateTime<Utc>>,
}

#[derive(Default)]
struct Store {
    generation: i64,
    entries: HashMap<CacheKey, Entry>,
    bytes: usize,
    /// Builds under way at this generation, for misses to share, each
    /// with its number.
    building: HashMap<CacheKey, (u64, Flight)>,
    /// The number of the next flight.
    flights: u64,
}

/// One build under way: followers wait on the receiver for the answer the
/// builder keeps. The builder dropping its sender without an answer (it
/// failed, was cancelled, or built something not to be kept) sends the
/// followers to build their own.
type Flight = tokio::sync::watch::Receiver<Option<Arc<Prepared>>>;

/// The builder's end of a flight: its number, and where the answer goes.
struct Leader {
    flight: u64,
    answer: tokio::sync::watch::Sender<Option<Arc<Prepared>>>,
}

/// The outcome of a peek.
pub enum Peek {
    Hit(Arc<Prepared>),
    /// Build the answer. `None` when it is not to be kept: caching is off,
    /// the request is too large to key, or the database could not be asked.
    Miss(Option<Missed>),
}

/// A peek that found nothing, with the generation it read (before any
/// content is read, so it may stamp what is built next).
pub struct Missed {
    key: CacheKey,
    generation: i64,
}

/// A miss's promise to store what it builds, stamped with the generation
/// read before the content was.
struct Fill {
    key: CacheKey,
    generation: i64,
    valid_until: Option<DateTime<Utc>>,
}

/// Hit, miss and build counts, for tests and metrics. A miss either builds
/// the answer or shares a concurrent build of it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub builds: u64,
}

pub struct ResponseCache {
    enabled: bool,
    db: DatabaseConnection,
    probe: GenerationProbe,
    store: Mutex<Store>,
    hits: AtomicU64,
    misses: AtomicU64,
    builds: AtomicU64,
    /// The counts last handed to the metrics recorder.
    reported: Mutex<CacheStats>,
}

/// What a miss does: build (and, as the leader, hand the answer to those
/// waiting), or wait for the build under way.
enum Turn {
    Build(Option<Leader>),
    Wait(Flight),
    Found(Arc<Prepared>),
}

impl ResponseCache {
    pub fn new(db: DatabaseConnection, enabled: bool) -> ResponseCache {
        ResponseCache {
            enabled,
            probe: GenerationProbe::new(db.clone()),
            db,
            store: Mutex::new(Store::default()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            builds: AtomicU64::new(0),
            reported: Mutex::new(CacheStats::default()),
        }
    }

    /// What the counts have grown by since the last call. The metrics
    /// recorder is the process's, so each server adds its own growth to
    /// it rather than setting it (tests run many servers in one process).
    pub fn unreported(&self) -> CacheStats {
        let now = self.stats();
        let mut reported = self.reported.lock().unwrap_or_else(|e| e.into_inner());
        let grown = CacheStats {
            hits: now.hits - reported.hits,
            misses: now.misses - reported.misses,
            builds: now.builds - reported.builds,
        };
        *reported = now;
        grown
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            builds: self.builds.load(Ordering::Relaxed),
        }
    }

    /// Looks for a kept answer without yet counting a miss or reading the
    /// schedule. A handler peeks before it parses the request: a
    /// byte-identical request answered before is answered again at the cost
    /// of the generation read alone. On a miss the peek hands back what it
    /// read, for [`ResponseCache::after_peek`].
    pub async fn peek(&self, key: CacheKey) -> Peek {
        if !self.enabled || key.size() > MAX_KEY_BYTES {
            return Peek::Miss(None);
        }
        let generation = match self.probe.current().await {
            Ok(generation) => generation,
            Err(error) => {
                tracing::warn!(%error, "could not read the content generation; not caching");
                return Peek::Miss(None);
            }
        };
        if let Some(hit) = self.find(&key, generation) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Peek::Hit(hit);
        }
        Peek::Miss(Some(Missed { key, generation }))
    }

    /// Settles how long what is built may be kept.
    async fn fill(&self, missed: Missed) -> Option<Fill> {
        let Missed { key, generation } = missed;
        // Read before the content is, so a change scheduled for any moment
        // from now on ends the entry's life.
        match generation::next_scheduled_change(&self.db, service::now()).await {
            Ok(valid_until) => Some(Fill {
                key,
                generation,
                valid_until,
            }),
            Err(error) => {
                tracing::warn!(%error, "could not read the schedule; not caching");
                None
            }
        }
    }

    fn find(&self, key: &CacheKey, generation: i64) -> Option<Arc<Prepared>> {
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if generation != store.generation {
            // The content has changed since anything here was built. A
            // lower number counts too (a database restored from a backup):
            // only an entry built at exactly this generation is reused.
            *store = Store {
                generation,
                ..Store::default()
            };
            return None;
        }
        Self::live_entry(&mut store, key)
    }

    /// The entry for `key` in a store at the wanted generation, unless its
    /// scheduled end has come (then it is removed).
    fn live_entry(store: &mut Store, key: &CacheKey) -> Option<Arc<Prepared>> {
        let entry = store.entries.get(key)?;
        if entry.valid_until.is_some_and(|until| until <= Utc::now()) {
            store.bytes -= key.size() + entry.response.body.len();
            store.entries.remove(key);
            return None;
        }
        Some(entry.response.clone())
    }

    /// After a miss: the answer kept meanwhile, the build under way to
    /// wait for, or this request's turn to build (leading a flight others
    /// may join, when the store is at the generation the miss read).
    fn turn(&self, missed: &Missed) -> Turn {
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if missed.generation != store.generation {
            // Another request has seen a different generation since this
            // one looked: build alone, as the answer will not be kept.
            return Turn::Build(None);
        }
        if let Some(found) = Self::live_entry(&mut store, &missed.key) {
            return Turn::Found(found);
        }
        if let Some((_, flight)) = store.building.get(&missed.key) {
            // A closed flight's builder was cancelled (its client went
            // away): this request leads a new one instead.
            if flight.has_changed().is_ok() {
                return Turn::Wait(flight.clone());
            }
        }
        let (answer, flight) = tokio::sync::watch::channel(None);
        store.flights += 1;
        let number = store.flights;
        store.building.insert(missed.key.clone(), (number, flight));
        Turn::Build(Some(Leader {
            flight: number,
            answer,
        }))
    }

    /// Ends this leader's flight if it is still listed (it kept no answer,
    /// or was not the one to), so later misses build again.
    fn land(&self, key: &CacheKey, leader: &Leader) {
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if store
            .building
            .get(key)
            .is_some_and(|(number, _)| *number == leader.flight)
        {
            store.building.remove(key);
        }
    }

    /// The answer for `key` from the cache, or built by `build` (which says
    /// whether its answer may be kept) and kept. No key: built, not kept.
    /// Also says whether the cache was a hit or a miss, when it was asked.
    pub async fn through<F, Fut>(&self, key: Option<CacheKey>, build: F) -> PreparedOrError
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = (Response, bool)>,
    {
        let missed = match key {
            Some(key) => match self.peek(key).await {
                Peek::Hit(prepared) => return Ok((prepared, Some("hit"))),
                Peek::Miss(missed) => missed,
            },
            None => None,
        };
        self.after_peek(missed, build).await
    }

    /// Builds the answer after a [`ResponseCache::peek`] that missed, and
    /// keeps it if the peek allowed; `None` when the request turned out not
    /// to be cacheable.
    pub async fn after_peek<F, Fut>(&self, missed: Option<Missed>, build: F) -> PreparedOrError
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = (Response, bool)>,
    {
        let Some(missed) = missed else {
            return self.build(None, None, build).await;
        };
        let turn = self.turn(&missed);
        if let Turn::Found(prepared) = turn {
            // Kept since the peek (by a build that was under way then).
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok((prepared, Some("hit")));
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let leader = match turn {
            Turn::Found(_) => unreachable!("answered above"),
            Turn::Build(leader) => leader,
            Turn::Wait(mut flight) => {
                // The build under way was started at the generation this
                // request read after it arrived, as a hit's would have been.
                if let Ok(answer) = flight.wait_for(Option::is_some).await {
                    if let Some(prepared) = answer.clone() {
                        return Ok((prepared, Some("miss")));
                    }
                }
                // The builder kept nothing: build this one alone.
                None
            }
        };
        self.builds.fetch_add(1, Ordering::Relaxed);
        let key = missed.key.clone();
        let fill = self.fill(missed).await;
        // If this future is dropped mid-build (the client went away), the
        // leader's sender goes with it: the followers build their own, and
        // the next miss leads a new flight.
        let outcome = self.build(fill, leader.as_ref(), build).await;
        if let Some(leader) = &leader {
            // Handed over by `keep` when it could be; otherwise the
            // followers build their own once the sender is dropped.
            self.land(&key, leader);
        }
        outcome
    }

    /// Builds the answer, and keeps it when `fill` allows, handing it to
    /// the flight's followers.
    async fn build<F, Fut>(
        &self,
        fill: Option<Fill>,
        leader: Option<&Leader>,
        build: F,
    ) -> PreparedOrError
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = (Response, bool)>,
    {
        let (response, storable) = build().await;
        let mut prepared = Prepared::from_response(response).await?;
        // What the cache would not keep, no other cache should either.
        prepared.keepable = storable;
        let prepared = Arc::new(prepared);
        match fill {
            Some(fill) => {
                if storable {
                    self.keep(fill, prepared.clone(), leader);
                }
                Ok((prepared, Some("miss")))
            }
            None => Ok((prepared, None)),
        }
    }

    /// Keeps the answer and hands it to the followers of its flight, in
    /// one step under the lock, so a later miss finds one or the other.
    fn keep(&self, fill: Fill, response: Arc<Prepared>, leader: Option<&Leader>) {
        let key_size = fill.key.size();
        let size = key_size + response.body.len();
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(leader) = leader {
            // Those waiting read the generation this answer was built at.
            leader.answer.send_replace(Some(response.clone()));
        }
        if fill.generation != store.generation {
            // Another request has seen a different generation since this
            // one looked: keep nothing rather than guess which is newer.
            return;
        }
        if let Some(leader) = leader {
            if store
                .building
                .get(&fill.key)
                .is_some_and(|(number, _)| *number == leader.flight)
            {
                store.building.remove(&fill.key);
            }
        }
        if store.entries.len() >= MAX_ENTRIES || store.bytes + size > MAX_BYTES {
            store.entries.clear();
            store.bytes = 0;
        }
        let entry = Entry {
            response,
            valid_until: fill.valid_until,
        };
        // Two concurrent misses may store the same key: count it once.
        if let Some(old) = store.entries.insert(fill.key, entry) {
            store.bytes -= key_size + old.response.body.len();
        }
        store.bytes += size;
    }
}

/// Reads the content generation for many concurrent requests at once.
///
/// A request needs a read that *started after it arrived* (a read already
/// in flight may predate a change the request must see). Reads run one at
/// a time; a request waits for the current read to end and then either
/// finds that a read started after its arrival has completed, or starts one
/// itself, which every request waiting meanwhile shares.
struct GenerationProbe {
    db: DatabaseConnection,
    one_at_a_time: tokio::sync::Mutex<()>,
    started: AtomicU64,
    /// The sequence number of the last completed read, and what it read.
    completed: Mutex<(u64, i64)>,
}

impl GenerationProbe {
    fn new(db: DatabaseConnection) -> GenerationProbe {
        GenerationProbe {
            db,
            one_at_a_time: tokio::sync::Mutex::new(()),
            started: AtomicU64::new(0),
            completed: Mutex::new((0, 0)),
        }
    }

    fn completed_since(&self, needed: u64) -> Option<i64> {
        let (seq, generation) = *self.completed.lock().unwrap_or_else(|e| e.into_inner());
        (seq >= needed).then_some(generation)
    }

    async fn current(&self) -> crate::error::AppResult<i64> {
        let needed = self.started.load(Ordering::SeqCst) + 1;
        let _turn = self.one_at_a_time.lock().await;
        if let Some(generation) = self.completed_since(needed) {
            return Ok(generation);
        }
        let seq = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let generation = generation::current(&self.db).await?;
        *self.completed.lock().unwrap_or_else(|e| e.into_inner()) = (seq, generation);
        Ok(generation)
    }
}
