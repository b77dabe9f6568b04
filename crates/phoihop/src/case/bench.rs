//! What a kind's benchmark generator works with (feature `bench`, for `phoihop-bench`
//! only): a seeded generator from which any item can be made again on its own, and
//! draws with a skew. Each kind writes its own generated rows in its module
//! (`kinds/<kind>/bench.rs`), in bulk and behind the engine's back: a million cases
//! through the engine one by one would take hours and measure nothing we serve. The
//! measuring (timing, percentiles, printing) stays in `phoihop-bench`.

use crate::db::{Conn, DbError};

/// The ids a query of one column gives, in its order: the installation's agencies,
/// fields or localities that generated cases are spread over.
pub fn ids(c: &mut dyn Conn, sql: &str) -> Result<Vec<i64>, DbError> {
    c.query(sql, &[])?.iter().map(|r| r.get(0)).collect()
}

/// splitmix64: tiny, fast, good enough for text.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The generator of item `i` of stream `seed`.
    pub fn of(seed: u64, i: u64) -> Rng {
        let mut r = Rng(seed ^ i.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Ranks `0..n` drawn with probability proportional to `1 / (rank + 1)^s`.
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new(n: usize, s: f64) -> Zipf {
        Zipf::weighted((0..n).map(|r| 1.0 / ((r + 1) as f64).powf(s)))
    }

    pub fn weighted(weights: impl Iterator<Item = f64>) -> Zipf {
        let mut total = 0.0;
        let cumulative = weights
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Zipf { cumulative }
    }

    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}
