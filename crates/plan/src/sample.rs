//! Fast draws of whole numbers for the model: binomial and Poisson by
//! inversion when the mean is small (the common case: a monthly hazard of a
//! few per cent in a team-sized group), else rand_distr's exact samplers.

use rand::Rng;
use rand_distr::Distribution;

/// Successes in `n` trials of probability `p`.
pub fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u32, p: f64) -> u32 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        return n - binomial(rng, n, 1.0 - p);
    }
    let mean = f64::from(n) * p;
    if mean < 25.0 {
        // Inversion: walk up the distribution from 0 until it passes u.
        let q = 1.0 - p;
        let ratio = p / q;
        let mut pmf = q.powi(n as i32);
        let mut cdf = pmf;
        let u: f64 = rng.gen();
        let mut k = 0u32;
        while u > cdf && k < n {
            pmf *= f64::from(n - k) / f64::from(k + 1) * ratio;
            cdf += pmf;
            k += 1;
            if pmf < 1e-300 {
                break;
            }
        }
        return k;
    }
    rand_distr::Binomial::new(u64::from(n), p).map_or(0, |b| b.sample(rng) as u32)
}

/// A Poisson count with mean `lambda`.
pub fn poisson<R: Rng + ?Sized>(rng: &mut R, lambda: f64) -> u32 {
    if lambda <= 0.0 || !lambda.is_finite() {
        return 0;
    }
    if lambda < 30.0 {
        let mut pmf = (-lambda).exp();
        let mut cdf = pmf;
        let u: f64 = rng.gen();
        let mut k = 0u32;
        while u > cdf && k < 1000 {
            k += 1;
            pmf *= lambda / f64::from(k);
            cdf += pmf;
        }
        return k;
    }
    rand_distr::Poisson::new(lambda).map_or(0, |d| d.sample(rng) as u32)
}

/// A draw from Gamma(shape, scale): the uncertainty of a rate with
/// `shape` events over `1/scale` of exposure.
pub fn gamma<R: Rng + ?Sized>(rng: &mut R, shape: f64, scale: f64) -> f64 {
    rand_distr::Gamma::new(shape, scale).map_or(0.0, |g| g.sample(rng))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn mean_and_variance(draws: &[u32]) -> (f64, f64) {
        let n = draws.len() as f64;
        let mean = draws.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
        let var = draws.iter().map(|&x| (f64::from(x) - mean).powi(2)).sum::<f64>() / n;
        (mean, var)
    }

    #[test]
    fn binomial_and_poisson_draws_have_the_right_mean_and_variance() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for (n, p) in [(120, 0.015), (40, 0.3), (500, 0.2), (7, 0.9)] {
            let draws: Vec<u32> = (0..40_000).map(|_| binomial(&mut rng, n, p)).collect();
            let (m, v) = mean_and_variance(&draws);
            let (em, ev) = (f64::from(n) * p, f64::from(n) * p * (1.0 - p));
            assert!((m - em).abs() < 0.05 * em.max(1.0), "binomial({n}, {p}): mean {m} not {em}");
            assert!((v - ev).abs() < 0.1 * ev.max(1.0), "binomial({n}, {p}): variance {v} not {ev}");
            assert!(draws.iter().all(|&x| x <= n));
        }
        for lambda in [0.4, 3.0, 45.0] {
            let draws: Vec<u32> = (0..40_000).map(|_| poisson(&mut rng, lambda)).collect();
            let (m, v) = mean_and_variance(&draws);
            assert!((m - lambda).abs() < 0.05 * lambda.max(1.0) && (v - lambda).abs() < 0.1 * lambda.max(1.0));
        }
    }
}
