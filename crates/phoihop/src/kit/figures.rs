//! Installation-wide figures kept a few seconds on this node. They change rarely and
//! cost a count over every account or every locality, so a home page that every
//! signed-in person opens should not count them each time.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

type Kept = (Instant, Box<dyn Any + Send>);

/// This node's figures, each under the name of whoever counted them.
#[derive(Default)]
pub struct FiguresCache(Mutex<HashMap<&'static str, Kept>>);

impl FiguresCache {
    /// How long figures are kept.
    pub const TTL: Duration = Duration::from_secs(5);

    /// The figures kept under `key` while younger than [`Self::TTL`]; otherwise what
    /// `count` finds, kept from now on. Counting happens outside the lock: two requests
    /// that miss together both count, as they would with no cache.
    pub fn get_or_count<T, E>(
        &self,
        key: &'static str,
        count: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E>
    where
        T: Clone + Send + 'static,
    {
        if let Some(figures) = self.fresh::<T>(key) {
            return Ok(figures);
        }
        let figures = count()?;
        self.lock()
            .insert(key, (Instant::now(), Box::new(figures.clone())));
        Ok(figures)
    }

    fn fresh<T: Clone + 'static>(&self, key: &'static str) -> Option<T> {
        let kept = self.lock();
        let (at, figures) = kept.get(key)?;
        if at.elapsed() >= Self::TTL {
            return None;
        }
        figures.downcast_ref::<T>().cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, Kept>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::FiguresCache;

    #[test]
    fn figures_are_counted_once_while_fresh() {
        let cache = FiguresCache::default();
        let mut counted = 0;
        for _ in 0..3 {
            let figures = cache.get_or_count("org", || -> Result<_, ()> {
                counted += 1;
                Ok([9_i64, 4])
            });
            assert_eq!(figures, Ok([9, 4]));
        }
        assert_eq!(counted, 1);
    }

    #[test]
    fn a_failed_count_is_not_kept() {
        let cache = FiguresCache::default();
        assert_eq!(
            cache.get_or_count::<i64, _>("org", || Err("down")),
            Err("down")
        );
        assert_eq!(cache.get_or_count("org", || Ok::<_, &str>(7_i64)), Ok(7));
    }
}
