//! Rate limits of survey intake, per hashed client address and per device cookie (GCRA via `governor`).
//!
//! The limiter state is an in-memory cache of this instance: behind a load balancer each instance limits
//! on its own, so the effective limit is at most the configured one times the number of instances. That is
//! acceptable for its purpose (slowing down scripted flooding); the durable anti-fraud rules (device
//! repeats, bursts) are decided from the database by the writer and hold across instances.

use super::IntakeConfig;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// The two keyed limiters.
pub struct Limits {
    per_source: DefaultKeyedRateLimiter<String>,
    per_device: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

fn quota(per_minute: u32, burst: u32) -> Quota {
    let rate = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(rate).allow_burst(burst)
}

impl Limits {
    pub fn new(config: &IntakeConfig) -> Limits {
        Limits {
            per_source: RateLimiter::keyed(quota(config.per_source_per_minute, config.per_source_burst)),
            per_device: RateLimiter::keyed(quota(config.per_device_per_minute, config.per_device_burst)),
            clock: DefaultClock::default(),
        }
    }

    /// `Err(wait)` when the source or the device has used up its allowance.
    pub fn check(&self, source: &str, device: Option<&str>) -> Result<(), Duration> {
        self.per_source.check_key(&source.to_string()).map_err(|n| n.wait_time_from(self.clock.now()))?;
        if let Some(d) = device {
            self.per_device.check_key(&d.to_string()).map_err(|n| n.wait_time_from(self.clock.now()))?;
        }
        Ok(())
    }

    /// Forgets keys whose allowance is full again, so the cache does not grow without bound.
    fn sweep(&self) {
        for l in [&self.per_source, &self.per_device] {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }

    /// Sweeps every minute while the limits are alive (needs a Tokio runtime).
    pub fn spawn_sweeper(limits: &Arc<Limits>) {
        let weak: Weak<Limits> = Arc::downgrade(limits);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            tick.tick().await;
            loop {
                tick.tick().await;
                match weak.upgrade() {
                    Some(l) => l.sweep(),
                    None => break,
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_each_key_separately() {
        let config = IntakeConfig {
            per_source_per_minute: 2,
            per_source_burst: 2,
            per_device_per_minute: 1,
            per_device_burst: 1,
            ..IntakeConfig::default()
        };
        let l = Limits::new(&config);
        assert!(l.check("a", None).is_ok());
        assert!(l.check("a", None).is_ok());
        assert!(l.check("a", None).is_err(), "third from one source within the burst window");
        assert!(l.check("b", Some("d1")).is_ok());
        assert!(l.check("c", Some("d1")).is_err(), "second from one device");
        assert!(l.check("c", Some("d2")).is_ok());
    }
}
