//! Per-client rate limit for requests without credentials (public pages, login, failed
//! tokens): a token bucket per client, keyed by a keyed hash of its address. The key is
//! random and replaced every hour together with all buckets, so no address is ever kept,
//! not even in memory, beyond that hour; nothing is written anywhere.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use antq_app::AppError;

const ROTATE_EVERY: Duration = Duration::from_secs(3600);

struct Buckets {
    key: RandomState,
    since: Instant,
    tokens: HashMap<u64, (f64, Instant)>,
}

/// The limiter shared by all requests.
pub struct Limiter {
    rate: f64,
    burst: f64,
    inner: Mutex<Buckets>,
}

impl Limiter {
    /// `rate` requests per second on average, bursts up to `burst`.
    pub fn new(rate: f64, burst: f64) -> Self {
        Limiter {
            rate: rate.max(1e-6),
            burst: burst.max(1.0),
            inner: Mutex::new(Buckets { key: RandomState::new(), since: Instant::now(), tokens: HashMap::new() }),
        }
    }

    /// Takes one token for `client`; a 429 error with the wait when the bucket is empty.
    /// Requests whose address is unknown are not limited.
    pub fn check(&self, client: Option<IpAddr>) -> Result<(), AppError> {
        let Some(ip) = client else { return Ok(()) };
        let now = Instant::now();
        let mut b = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if now.duration_since(b.since) >= ROTATE_EVERY {
            *b = Buckets { key: RandomState::new(), since: now, tokens: HashMap::new() };
        }
        let h = b.key.hash_one(ip);
        let (rate, burst) = (self.rate, self.burst);
        let (tokens, last) = b.tokens.entry(h).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate).min(burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - *tokens) / rate).ceil().max(1.0) as u64;
            Err(AppError::TooManyAttempts(wait))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_limits_each_client_separately() {
        let l = Limiter::new(1.0, 3.0);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check(Some(a)).is_ok());
        }
        assert!(matches!(l.check(Some(a)), Err(AppError::TooManyAttempts(1))));
        assert!(l.check(Some(b)).is_ok());
        assert!(l.check(None).is_ok());
    }
}
