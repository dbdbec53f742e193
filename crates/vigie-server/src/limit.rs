//! The login rate limit: after [`MAX_FAILURES`] failed logins within [`WINDOW`] from one
//! address or for one user name, further attempts are refused (429 with `Retry-After`) until
//! the oldest failure leaves the window. Kept in memory; bounded by pruning old entries.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per key within [`WINDOW`].
pub const MAX_FAILURES: usize = 5;
/// The window of the count.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Keys kept before old ones are pruned.
const MAX_KEYS: usize = 100_000;

/// Failed logins per key (`ip:<addr>`, `user:<name>`).
#[derive(Default)]
pub(crate) struct LoginLimiter(Mutex<HashMap<String, VecDeque<Instant>>>);

impl LoginLimiter {
    /// `Err(seconds)` when any of `keys` has used up its failures.
    pub(crate) fn check(&self, keys: &[String], now: Instant) -> Result<(), u64> {
        let Ok(mut map) = self.0.lock() else {
            return Ok(());
        };
        let mut wait = Duration::ZERO;
        for key in keys {
            if let Some(failures) = map.get_mut(key) {
                forget_old(failures, now);
                if failures.len() >= MAX_FAILURES
                    && let Some(oldest) = failures.front()
                {
                    wait = wait.max(WINDOW.saturating_sub(now - *oldest));
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.as_secs().max(1))
        }
    }

    /// Counts a failure against each of `keys`.
    pub(crate) fn fail(&self, keys: &[String], now: Instant) {
        let Ok(mut map) = self.0.lock() else {
            return;
        };
        if map.len() > MAX_KEYS {
            map.retain(|_, f| {
                forget_old(f, now);
                !f.is_empty()
            });
        }
        for key in keys {
            let failures = map.entry(key.clone()).or_default();
            forget_old(failures, now);
            failures.push_back(now);
        }
    }
}

fn forget_old(failures: &mut VecDeque<Instant>, now: Instant) {
    while failures.front().is_some_and(|t| now - *t >= WINDOW) {
        failures.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_a_minute_then_a_wait() {
        let limiter = LoginLimiter::default();
        let keys = ["ip:1.2.3.4".to_owned(), "user:bob".to_owned()];
        let t0 = Instant::now();
        for i in 0..MAX_FAILURES {
            assert_eq!(limiter.check(&keys, t0), Ok(()), "attempt {i}");
            limiter.fail(&keys, t0);
        }
        assert_eq!(limiter.check(&keys, t0), Err(60));
        // Another name from the same address is refused too; another address for another
        // name is not.
        assert!(limiter.check(&["ip:1.2.3.4".into()], t0).is_err());
        assert_eq!(
            limiter.check(&["ip:5.6.7.8".into(), "user:al".into()], t0),
            Ok(())
        );
        assert_eq!(limiter.check(&keys, t0 + Duration::from_secs(45)), Err(15));
        assert_eq!(limiter.check(&keys, t0 + WINDOW), Ok(()));
    }
}
