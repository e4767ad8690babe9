//! Reproducible draws: a number in `[0, 1)` from a seed, some labels and a
//! person, and the weighted pick of an arm from it. The sequence dry run and
//! the audience tests both split people with these, so a test on a flow's
//! random split and a dry run with the same seed put every person in the
//! same arm. Nothing here reads the clock or a global random source.

/// A reproducible number in `[0, 1)` from the seed, some labels and a person.
pub fn draw(seed: u64, labels: &[&str], person_id: i64) -> f64 {
    // FNV-1a over the labels, then splitmix64 with the seed and person.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for label in labels {
        for b in label.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let mut z = h ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (person_id as u64).rotate_left(32);
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The index of the weight that `x` (in `[0, 1)`) falls on when the weights
/// are laid end to end; the last one if rounding leaves `x` past them all.
pub fn pick_weighted(x: f64, weights: impl IntoIterator<Item = u32> + Clone) -> usize {
    let total: u32 = weights.clone().into_iter().sum();
    let point = x * f64::from(total);
    let mut acc = 0.0;
    let mut last = 0;
    for (i, w) in weights.into_iter().enumerate() {
        acc += f64::from(w);
        if point < acc {
            return i;
        }
        last = i;
    }
    last
}

/// A random split's arm for a person, as the sequence dry run draws it.
pub fn split_arm(
    seed: u64,
    flow: &str,
    step: &str,
    person_id: i64,
    weights: impl IntoIterator<Item = u32> + Clone,
) -> usize {
    pick_weighted(draw(seed, &[flow, step, "split"], person_id), weights)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_repeat_and_differ_by_seed_labels_and_person() {
        let a = draw(7, &["flow", "split-1", "split"], 42);
        assert_eq!(a, draw(7, &["flow", "split-1", "split"], 42));
        assert!((0.0..1.0).contains(&a));
        assert_ne!(a, draw(8, &["flow", "split-1", "split"], 42));
        assert_ne!(a, draw(7, &["flow", "split-2", "split"], 42));
        assert_ne!(a, draw(7, &["flow", "split-1", "split"], 43));
    }

    #[test]
    fn weighted_picks_follow_the_weights() {
        assert_eq!(pick_weighted(0.0, [1, 3]), 0);
        assert_eq!(pick_weighted(0.249, [1, 3]), 0);
        assert_eq!(pick_weighted(0.25, [1, 3]), 1);
        assert_eq!(pick_weighted(0.999, [1, 3]), 1);
        let mut counts = [0u32; 2];
        for person in 0..20_000 {
            counts[split_arm(3, "f", "s", person, [20, 80])] += 1;
        }
        let share = f64::from(counts[0]) / 20_000.0;
        assert!((share - 0.2).abs() < 0.015, "{share}");
    }
}
