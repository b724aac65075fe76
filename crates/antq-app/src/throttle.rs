//! Login throttling: per account and per client address, with exponential back-off.
//!
//! Kept in memory only (client addresses are never written anywhere). A restart forgets the
//! counters, which an attacker cannot trigger; several servers behind one database each keep
//! their own, which multiplies the allowance by their number and no more.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many failures are free before back-off starts, and the longest wait.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Free failures.
    pub free: u32,
    /// The longest wait.
    pub max_wait: Duration,
}

/// Per account: five tries, then 1 s, 2 s, 4 s … up to 15 minutes.
pub const ACCOUNT: Policy = Policy { free: 5, max_wait: Duration::from_secs(15 * 60) };
/// Per client address: more room (many officers behind one office gateway).
pub const ADDRESS: Policy = Policy { free: 30, max_wait: Duration::from_secs(15 * 60) };

#[derive(Debug)]
struct Entry {
    failures: u32,
    blocked_until: Option<Instant>,
    last: Instant,
}

/// Failure counters by key.
#[derive(Debug, Default)]
pub struct Throttle {
    map: Mutex<HashMap<String, Entry>>,
}

/// Entries idle this long are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(3600);
/// Bound on memory: beyond this many keys, idle ones are swept.
const MAX_KEYS: usize = 100_000;

impl Throttle {
    /// `Err(wait)` while `key` is blocked.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(key).and_then(|e| e.blocked_until) {
            Some(until) if until > now => Err(until - now),
            _ => Ok(()),
        }
    }

    /// Counts a failure for `key`; past the free ones, blocks it for a doubling time.
    pub fn fail(&self, key: &str, policy: Policy, now: Instant) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, e| now.duration_since(e.last) < FORGET_AFTER);
        }
        let e = map.entry(key.to_string()).or_insert(Entry { failures: 0, blocked_until: None, last: now });
        if now.duration_since(e.last) >= FORGET_AFTER {
            e.failures = 0;
        }
        e.failures += 1;
        e.last = now;
        if e.failures > policy.free {
            let exp = (e.failures - policy.free - 1).min(20);
            let wait = Duration::from_secs(1u64 << exp).min(policy.max_wait);
            e.blocked_until = Some(now + wait);
        }
    }

    /// Forgets `key` (after a successful login).
    pub fn clear(&self, key: &str) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_exponentially_after_free_tries() {
        let t = Throttle::default();
        let t0 = Instant::now();
        for _ in 0..5 {
            assert!(t.check("u:a", t0).is_ok());
            t.fail("u:a", ACCOUNT, t0);
        }
        assert!(t.check("u:a", t0).is_ok(), "five failures are free");
        t.fail("u:a", ACCOUNT, t0);
        assert_eq!(t.check("u:a", t0), Err(Duration::from_secs(1)));
        t.fail("u:a", ACCOUNT, t0);
        assert_eq!(t.check("u:a", t0), Err(Duration::from_secs(2)));
        for _ in 0..30 {
            t.fail("u:a", ACCOUNT, t0);
        }
        assert_eq!(t.check("u:a", t0), Err(ACCOUNT.max_wait));
        assert!(t.check("u:b", t0).is_ok(), "other keys unaffected");
        t.clear("u:a");
        assert!(t.check("u:a", t0).is_ok());
    }
}
