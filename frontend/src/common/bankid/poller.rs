//! Following a BankID order, the same for a login and for every signature: the server is asked
//! where the order is every second (the QR code changes every second), one request at a time,
//! until the order is over or the page stops following it. Answers that arrive for an order the
//! page no longer follows are dropped; a few network failures in a row are waited out.

use std::future::Future;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;

/// How often an order is polled: the QR code changes every second.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Polls in a row without an answer before the order is given up.
pub const MAX_NETWORK_FAILURES: u32 = 10;

/// The order followed, and the polling of it. Cheap to copy.
#[derive(Clone, Copy)]
pub struct OrderPoller {
    /// The order's id, until it is over (then there is nothing to cancel).
    id: StoredValue<Option<String>>,
    ticker: StoredValue<Option<IntervalHandle>>,
    in_flight: StoredValue<bool>,
    network_failures: StoredValue<u32>,
    /// Bumped on every start and stop: answers that arrive for an older order are dropped.
    run: StoredValue<u32>,
}

impl OrderPoller {
    pub fn new() -> Self {
        OrderPoller {
            id: StoredValue::new(None),
            ticker: StoredValue::new(None),
            in_flight: StoredValue::new(false),
            network_failures: StoredValue::new(0),
            run: StoredValue::new(0),
        }
    }

    /// The current run (`None` once the page is gone): an order started now belongs to it.
    pub fn run(self) -> Option<u32> {
        self.run.try_get_value()
    }

    /// Whether `run` is still the current run.
    pub fn is_current(self, run: u32) -> bool {
        self.run.try_get_value() == Some(run)
    }

    /// Follows the order `id`: asks `poll` where it is now and every second after, one request
    /// at a time, and hands each answer of this run to `answer`; a network failure only when it
    /// is the [`MAX_NETWORK_FAILURES`]th in a row.
    pub fn follow<P, Fut>(
        self,
        id: String,
        poll: impl Fn(String) -> Fut + Copy + 'static,
        answer: impl Fn(Result<P, FetchError>) + Copy + 'static,
    ) where
        P: 'static,
        Fut: Future<Output = Result<P, FetchError>> + 'static,
    {
        self.id.set_value(Some(id));
        self.network_failures.set_value(0);
        self.poll(poll, answer);
        let ticker = set_interval_with_handle(move || self.poll(poll, answer), POLL_INTERVAL).ok();
        self.ticker.set_value(ticker);
    }

    /// Asks where the order is, unless a request is under way.
    fn poll<P, Fut>(self, poll: impl Fn(String) -> Fut + 'static, answer: impl Fn(Result<P, FetchError>) + 'static)
    where
        P: 'static,
        Fut: Future<Output = Result<P, FetchError>> + 'static,
    {
        if self.in_flight.try_get_value() != Some(false) {
            return;
        }
        let (Some(Some(id)), Some(run)) = (self.id.try_get_value(), self.run.try_get_value()) else {
            return;
        };
        self.in_flight.set_value(true);
        spawn_local(async move {
            let result = poll(id).await;
            self.in_flight.try_set_value(false);
            if !self.is_current(run) {
                return;
            }
            match result {
                Ok(progress) => {
                    self.network_failures.set_value(0);
                    answer(Ok(progress));
                }
                Err(FetchError::Network) => {
                    let failures = self.network_failures.get_value() + 1;
                    self.network_failures.set_value(failures);
                    if failures >= MAX_NETWORK_FAILURES {
                        answer(Err(FetchError::Network));
                    }
                }
                Err(e) => answer(Err(e)),
            }
        });
    }

    /// The order is over at the server: there is nothing to cancel any more.
    pub fn finished(self) {
        self.id.set_value(None);
    }

    /// Stops asking (the order, if any, is left as it is).
    pub fn stop_polling(self) {
        if let Some(Some(ticker)) = self.ticker.try_get_value() {
            ticker.clear();
        }
        self.ticker.try_set_value(None);
        self.in_flight.try_set_value(false);
    }

    /// Stops following: a new run (answers under way are dropped), no more polling, and the
    /// order's id when it is not over, for the caller to cancel it at the server. Also runs when
    /// the page goes away, so it only uses the `try_` accessors.
    pub fn stop(self) -> Option<String> {
        self.run.try_update_value(|run| *run = run.wrapping_add(1));
        self.stop_polling();
        let id = self.id.try_get_value().flatten();
        if id.is_some() {
            self.id.try_set_value(None);
        }
        id
    }
}

impl Default for OrderPoller {
    fn default() -> Self {
        Self::new()
    }
}
