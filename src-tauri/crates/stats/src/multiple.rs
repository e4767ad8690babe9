//! Corrections for many variants compared with one control.
//!
//! With k treatments each tested at α, the chance that at least one shows a
//! false "win" grows towards 1 − (1 − α)^k. Two standard corrections:
//! - Holm (1979): step-down Bonferroni; controls the family-wise error rate
//!   (the chance of any false win). The verdict uses it.
//! - Benjamini–Hochberg (1995): controls the false discovery rate (the share
//!   of false wins among the wins); less strict, for exploring.
//!
//! Both return adjusted p-values in the input order, as statsmodels'
//! `multipletests(method="holm" | "fdr_bh")` does, capped at 1.

/// Holm step-down adjusted p-values.
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let order = sorted_order(p_values);
    let mut adjusted = vec![0.0; m];
    let mut running_max: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        let candidate = ((m - rank) as f64 * p_values[i]).min(1.0);
        running_max = running_max.max(candidate);
        adjusted[i] = running_max;
    }
    adjusted
}

/// Benjamini–Hochberg step-up adjusted p-values.
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let order = sorted_order(p_values);
    let mut adjusted = vec![0.0; m];
    let mut running_min: f64 = 1.0;
    for (rank, &i) in order.iter().enumerate().rev() {
        let candidate = (p_values[i] * m as f64 / (rank + 1) as f64).min(1.0);
        running_min = running_min.min(candidate);
        adjusted[i] = running_min;
    }
    adjusted
}

fn sorted_order(p_values: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..p_values.len()).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_input_gives_empty_output() {
        assert!(holm(&[]).is_empty());
        assert!(benjamini_hochberg(&[]).is_empty());
    }

    #[test]
    fn corrected_p_values_never_fall_below_the_raw_ones() {
        let p = [0.3, 0.001, 0.04, 0.02, 0.9];
        for (raw, (h, b)) in p
            .iter()
            .zip(holm(&p).iter().zip(benjamini_hochberg(&p).iter()))
        {
            assert!(h >= raw && b >= raw && h >= b);
        }
    }
}
