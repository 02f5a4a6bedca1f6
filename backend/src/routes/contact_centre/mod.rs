//! The contact centre's read-only look-up of a case's status by reference.
//!
//! References are random (`shared::reference`), so they cannot be walked; a
//! look-up that finds a case is written to its access log, and one that finds
//! none is logged (`warn`, with the staff member's name and their misses in
//! the last hour, never the reference tried). Each staff member has a bounded
//! number of look-ups and of misses per hour ([`Lookups`]), so a stolen
//! contact-centre login cannot be used to search for cases unnoticed and
//! unbounded.

pub mod lookup_case_status;

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

/// Most look-ups one staff member makes in an hour (a busy contact centre
/// answers a call every few minutes).
pub const MAX_LOOKUPS_PER_HOUR: usize = 300;
/// Most look-ups that found no case one staff member makes in an hour: a few
/// mistyped references are normal, a series is a search.
pub const MAX_MISSES_PER_HOUR: usize = 20;
const WINDOW: Duration = Duration::from_secs(3600);

/// Each staff member's look-ups of the last hour (per instance).
#[derive(Debug, Default)]
pub struct Lookups(Mutex<HashMap<Uuid, Recent>>);

#[derive(Debug, Default)]
struct Recent {
    all: VecDeque<Instant>,
    misses: VecDeque<Instant>,
}

impl Recent {
    fn forget_before(&mut self, cutoff: Instant) {
        for q in [&mut self.all, &mut self.misses] {
            while q.front().is_some_and(|t| *t < cutoff) {
                q.pop_front();
            }
        }
    }
}

impl Lookups {
    /// Takes one look-up for `staff` at `now`, or the seconds until one is
    /// allowed again when a bound of the last hour is reached.
    pub fn take(&self, staff: Uuid, now: Instant) -> Result<(), u32> {
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let cutoff = now.checked_sub(WINDOW).unwrap_or(now);
        map.retain(|_, r| {
            r.forget_before(cutoff);
            !r.all.is_empty()
        });
        let recent = map.entry(staff).or_default();
        let full = |q: &VecDeque<Instant>, max: usize| (q.len() >= max).then(|| q.front().copied()).flatten();
        if let Some(oldest) =
            full(&recent.misses, MAX_MISSES_PER_HOUR).or_else(|| full(&recent.all, MAX_LOOKUPS_PER_HOUR))
        {
            let wait = (oldest + WINDOW).saturating_duration_since(now).as_secs().max(1);
            return Err(u32::try_from(wait).unwrap_or(u32::MAX));
        }
        recent.all.push_back(now);
        Ok(())
    }

    /// Records that `staff`'s look-up at `now` found no case; their misses in the last hour.
    pub fn missed(&self, staff: Uuid, now: Instant) -> usize {
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let recent = map.entry(staff).or_default();
        recent.misses.push_back(now);
        recent.misses.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misses_are_bounded_per_hour_and_per_person_and_the_bound_opens_as_the_hour_passes() {
        let lookups = Lookups::default();
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let t0 = Instant::now();
        for i in 0..MAX_MISSES_PER_HOUR {
            let t = t0 + Duration::from_secs(i as u64);
            assert_eq!(lookups.take(a, t), Ok(()));
            lookups.missed(a, t);
        }
        let wait = lookups.take(a, t0 + Duration::from_secs(60)).expect_err("bounded");
        assert_eq!(wait, 3540);
        assert_eq!(lookups.take(b, t0 + Duration::from_secs(60)), Ok(()), "another person is not affected");
        assert_eq!(lookups.take(a, t0 + WINDOW + Duration::from_secs(1)), Ok(()), "the oldest miss is an hour old");
    }

    #[test]
    fn look_ups_that_find_cases_are_bounded_too() {
        let lookups = Lookups::default();
        let a = Uuid::now_v7();
        let t0 = Instant::now();
        for _ in 0..MAX_LOOKUPS_PER_HOUR {
            assert_eq!(lookups.take(a, t0), Ok(()));
        }
        assert!(lookups.take(a, t0).is_err());
    }
}
