#!/usr/bin/env python3
"""Golden numbers for rebound-stats, computed with scipy and statsmodels.

Run from this folder:  python3 generate.py   (needs: pip install scipy statsmodels numpy pandas)
It writes expected.json beside this script. The Rust tests read that file and
match every number to 1e-6 (see the crate README for the tolerance rule).

Where scipy/statsmodels have a ready-made function it is used as the reference
(z-test, Welch t-test, intervals, Holm/BH, chi-square, power). Where they have
none, the reference is computed here by a different method than the Rust code:
  * Bayesian chance to beat control and expected loss: numerical integration of
    the posterior densities with scipy.integrate.quad (Rust uses the exact
    finite-sum formula for beta posteriors and the closed form for normals);
  * delta-method relative-lift interval: the gradient of g(a, b) = b / a - 1 is
    taken by central finite differences instead of the analytic derivative;
  * sequential (always-valid) interval: the normal-mixture martingale is
    integrated numerically over the mixing distribution and its boundary found
    with brentq (Rust uses Howard et al.'s closed form).
All random inputs come from a seeded generator, so the file is reproducible.
"""

import json
import math
import os

import numpy as np
import pandas as pd
import scipy
import statsmodels
from scipy import integrate, optimize, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

HERE = os.path.dirname(os.path.abspath(__file__))
COOKIE_CATS = os.path.normpath(
    os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "data", "exports", "cookie_cats.csv")
)
ALPHA = 0.05
SEQUENTIAL_TUNING_N = 5000.0
PRIOR = (1.0, 1.0)  # Beta(1, 1) prior for conversion rates


# ---------------------------------------------------------------------------
# independent helpers
# ---------------------------------------------------------------------------

def relative_lift_interval(m_a, v_a, m_b, v_b, crit):
    """Delta method for b/a - 1 with a numerically differentiated gradient."""
    g = lambda a, b: b / a - 1.0
    ha = 1e-6 * abs(m_a)
    hb = 1e-6 * max(abs(m_b), 1e-12)
    da = (g(m_a + ha, m_b) - g(m_a - ha, m_b)) / (2 * ha)
    db = (g(m_a, m_b + hb) - g(m_a, m_b - hb)) / (2 * hb)
    var = da * da * v_a + db * db * v_b
    lift = g(m_a, m_b)
    half = crit * math.sqrt(var)
    return lift, var, [lift - half, lift + half]


def sequential_halfwidth(variance_of_estimate, n_total, alpha, tuning_n):
    """Always-valid half-width by numerically solving mixture martingale = 1/alpha."""
    rho = math.sqrt((-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / tuning_n)
    s = math.sqrt(variance_of_estimate * n_total)
    n = float(n_total)

    def log_mixture(sum_z):
        # integral over lambda ~ N(0, rho^2) of exp(lambda * S - lambda^2 n / 2)
        prec = n + 1.0 / rho ** 2
        centre = sum_z / prec
        width = 1.0 / math.sqrt(prec)
        peak = centre * sum_z - centre ** 2 * n / 2 - centre ** 2 / (2 * rho ** 2)

        def f(lam):
            e = lam * sum_z - lam ** 2 * n / 2 - lam ** 2 / (2 * rho ** 2) - peak
            return math.exp(e) / (math.sqrt(2 * math.pi) * rho)

        val, _ = integrate.quad(f, centre - 40 * width, centre + 40 * width,
                                points=[centre], epsabs=0, epsrel=1e-13, limit=200)
        return math.log(val) + peak

    target = math.log(1.0 / alpha)
    hi = 1.0
    while log_mixture(hi) < target:
        hi *= 2
    root = optimize.brentq(lambda x: log_mixture(x) - target, 0.0, hi, xtol=1e-14, rtol=1e-15)
    return s * root / n


def beta_prob_greater(a1, b1, a2, b2):
    """P(X > Y) for X ~ Beta(a1, b1), Y ~ Beta(a2, b2) by quadrature."""
    x_dist, y_dist = stats.beta(a1, b1), stats.beta(a2, b2)
    lo = max(0.0, min(x_dist.mean() - 14 * x_dist.std(), y_dist.mean() - 14 * y_dist.std()))
    hi = min(1.0, max(x_dist.mean() + 14 * x_dist.std(), y_dist.mean() + 14 * y_dist.std()))
    val, _ = integrate.quad(lambda x: x_dist.pdf(x) * y_dist.cdf(x), lo, hi,
                            points=[x_dist.mean(), y_dist.mean()], epsabs=1e-14, epsrel=1e-12, limit=500)
    return val


def beta_expected_loss(a_keep, b_keep, a_other, b_other):
    """E[max(P_other - P_keep, 0)] by quadrature over P_keep of E[(P_other - y)+]."""
    keep, other = stats.beta(a_keep, b_keep), stats.beta(a_other, b_other)
    other_up = stats.beta(a_other + 1, b_other)
    m_other = other.mean()
    lo = max(0.0, min(keep.mean(), other.mean()) - 14 * max(keep.std(), other.std()))
    hi = min(1.0, max(keep.mean(), other.mean()) + 14 * max(keep.std(), other.std()))

    def inner(y):
        return m_other * other_up.sf(y) - y * other.sf(y)

    val, _ = integrate.quad(lambda y: keep.pdf(y) * inner(y), lo, hi,
                            points=[keep.mean(), other.mean()], epsabs=1e-15, epsrel=1e-12, limit=500)
    return val


def normal_bayes(m_a, v_a, m_b, v_b):
    """Chance to beat and expected losses for independent normal posteriors, by quadrature."""
    a, b = stats.norm(m_a, math.sqrt(v_a)), stats.norm(m_b, math.sqrt(v_b))
    sd = math.sqrt(v_a + v_b)
    lo, hi = min(m_a, m_b) - 14 * sd, max(m_a, m_b) + 14 * sd
    chance, _ = integrate.quad(lambda x: b.pdf(x) * a.cdf(x), lo, hi,
                               points=[m_a, m_b], epsabs=1e-14, epsrel=1e-12, limit=500)
    diff = stats.norm(m_b - m_a, sd)  # treatment minus control
    dlo, dhi = (m_b - m_a) - 14 * sd, (m_b - m_a) + 14 * sd
    loss_treatment, _ = integrate.quad(lambda d: max(-d, 0.0) * diff.pdf(d), dlo, dhi,
                                       points=[0.0, m_b - m_a], epsabs=1e-15, epsrel=1e-12, limit=500)
    loss_control, _ = integrate.quad(lambda d: max(d, 0.0) * diff.pdf(d), dlo, dhi,
                                     points=[0.0, m_b - m_a], epsabs=1e-15, epsrel=1e-12, limit=500)
    return chance, loss_treatment, loss_control


# ---------------------------------------------------------------------------
# cases
# ---------------------------------------------------------------------------

def proportion_case(name, n_a, c_a, n_b, c_b, alpha=ALPHA):
    z, p = proportions_ztest([c_b, c_a], [n_b, n_a], alternative="two-sided")
    lo, hi = confint_proportions_2indep(c_b, n_b, c_a, n_a, method="wald", compare="diff", alpha=alpha)
    p_a, p_b = c_a / n_a, c_b / n_b
    v_a, v_b = p_a * (1 - p_a) / n_a, p_b * (1 - p_b) / n_b
    crit = stats.norm.ppf(1 - alpha / 2)
    lift, var_rel, rel_ci = relative_lift_interval(p_a, v_a, p_b, v_b, crit)
    a_a, b_a = PRIOR[0] + c_a, PRIOR[1] + n_a - c_a
    a_b, b_b = PRIOR[0] + c_b, PRIOR[1] + n_b - c_b
    chance = beta_prob_greater(a_b, b_b, a_a, b_a)
    loss_treatment = beta_expected_loss(a_b, b_b, a_a, b_a)
    loss_control = beta_expected_loss(a_a, b_a, a_b, b_b)
    n_total = n_a + n_b
    seq_abs = sequential_halfwidth(v_a + v_b, n_total, alpha, SEQUENTIAL_TUNING_N)
    seq_rel = sequential_halfwidth(var_rel, n_total, alpha, SEQUENTIAL_TUNING_N)
    return {
        "name": name,
        "alpha": alpha,
        "control": {"n": n_a, "conversions": c_a},
        "treatment": {"n": n_b, "conversions": c_b},
        "rate_control": p_a,
        "rate_treatment": p_b,
        "z": float(z),
        "p_value": float(p),
        "absolute_lift": p_b - p_a,
        "absolute_interval": [float(lo), float(hi)],
        "relative_lift": lift,
        "relative_interval": rel_ci,
        "chance_to_beat_control": chance,
        "expected_loss": loss_treatment,
        "expected_loss_control": loss_control,
        "sequential_absolute_interval": [p_b - p_a - seq_abs, p_b - p_a + seq_abs],
        "sequential_relative_interval": [lift - seq_rel, lift + seq_rel],
    }


def mean_case_from_data(name, a, b, alpha=ALPHA):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    t, p = stats.ttest_ind(b, a, equal_var=False)
    cm = CompareMeans(DescrStatsW(b), DescrStatsW(a))
    lo, hi = cm.tconfint_diff(alpha=alpha, alternative="two-sided", usevar="unequal")
    n_a, n_b = len(a), len(b)
    m_a, m_b = a.mean(), b.mean()
    v_a, v_b = a.var(ddof=1) / n_a, b.var(ddof=1) / n_b
    df = (v_a + v_b) ** 2 / (v_a ** 2 / (n_a - 1) + v_b ** 2 / (n_b - 1))
    crit = stats.t.ppf(1 - alpha / 2, df)
    lift, var_rel, rel_ci = relative_lift_interval(m_a, v_a, m_b, v_b, crit)
    chance, loss_treatment, loss_control = normal_bayes(m_a, v_a, m_b, v_b)
    n_total = n_a + n_b
    seq_abs = sequential_halfwidth(v_a + v_b, n_total, alpha, SEQUENTIAL_TUNING_N)
    seq_rel = sequential_halfwidth(var_rel, n_total, alpha, SEQUENTIAL_TUNING_N)
    return {
        "name": name,
        "alpha": alpha,
        "control": {"n": n_a, "sum": math.fsum(a), "sum_squares": math.fsum(a * a)},
        "treatment": {"n": n_b, "sum": math.fsum(b), "sum_squares": math.fsum(b * b)},
        "mean_control": float(m_a),
        "mean_treatment": float(m_b),
        "t": float(t),
        "df": float(df),
        "p_value": float(p),
        "absolute_lift": float(m_b - m_a),
        "absolute_interval": [float(lo), float(hi)],
        "relative_lift": float(lift),
        "relative_interval": [float(x) for x in rel_ci],
        "chance_to_beat_control": chance,
        "expected_loss": loss_treatment,
        "expected_loss_control": loss_control,
        "sequential_absolute_interval": [float(m_b - m_a - seq_abs), float(m_b - m_a + seq_abs)],
        "sequential_relative_interval": [float(lift - seq_rel), float(lift + seq_rel)],
    }


def multiple_case(name, p_values):
    _, holm, _, _ = multipletests(p_values, method="holm")
    _, bh, _, _ = multipletests(p_values, method="fdr_bh")
    return {"name": name, "p_values": p_values, "holm": holm.tolist(), "bh": bh.tolist()}


def srm_case(name, counts, weights=None):
    total = sum(counts)
    w = weights if weights is not None else [1.0 / len(counts)] * len(counts)
    expected = [total * x for x in w]
    chi2, p = stats.chisquare(counts, f_exp=expected)
    return {"name": name, "counts": counts, "weights": weights, "chi2": float(chi2), "p_value": float(p)}


def cuped_case(name, seed, n_a, n_b, effect, alpha=ALPHA):
    rng = np.random.default_rng(seed)
    x_a = rng.normal(50, 10, n_a)
    x_b = rng.normal(50, 10, n_b)
    y_a = 0.8 * x_a + rng.normal(0, 6, n_a)
    y_b = 0.8 * x_b + effect + rng.normal(0, 6, n_b)
    # round so the inputs are short and exactly representable in the JSON
    x_a, x_b, y_a, y_b = (np.round(v, 3) for v in (x_a, x_b, y_a, y_b))
    x_all = np.concatenate([x_a, x_b])
    y_all = np.concatenate([y_a, y_b])
    cov = np.cov(y_all, x_all, ddof=1)
    theta = cov[0, 1] / cov[1, 1]
    x_bar = x_all.mean()
    adj_a = y_a - theta * (x_a - x_bar)
    adj_b = y_b - theta * (x_b - x_bar)
    t, p = stats.ttest_ind(adj_b, adj_a, equal_var=False)
    lo, hi = CompareMeans(DescrStatsW(adj_b), DescrStatsW(adj_a)).tconfint_diff(
        alpha=alpha, alternative="two-sided", usevar="unequal")
    v_a, v_b = adj_a.var(ddof=1) / n_a, adj_b.var(ddof=1) / n_b
    u_a, u_b = y_a.var(ddof=1) / n_a, y_b.var(ddof=1) / n_b
    df = (v_a + v_b) ** 2 / (v_a ** 2 / (n_a - 1) + v_b ** 2 / (n_b - 1))
    crit = stats.t.ppf(1 - alpha / 2, df)
    lift, _, rel_ci = relative_lift_interval(adj_a.mean(), v_a, adj_b.mean(), v_b, crit)
    unadjusted = mean_case_from_data(name + "_unadjusted", y_a, y_b, alpha)
    return {
        "name": name,
        "alpha": alpha,
        "rows": {
            "variant": ["control"] * n_a + ["treatment"] * n_b,
            "value": [float(v) for v in np.concatenate([y_a, y_b])],
            "covariate": [float(v) for v in np.concatenate([x_a, x_b])],
        },
        "theta": float(theta),
        "adjusted_mean_control": float(adj_a.mean()),
        "adjusted_mean_treatment": float(adj_b.mean()),
        "t": float(t),
        "df": float(df),
        "p_value": float(p),
        "absolute_lift": float(adj_b.mean() - adj_a.mean()),
        "absolute_interval": [float(lo), float(hi)],
        "relative_lift": float(lift),
        "relative_interval": [float(x) for x in rel_ci],
        "variance_reduction": float(1 - (v_a + v_b) / (u_a + u_b)),
        "unadjusted_p_value": unadjusted["p_value"],
    }


def effect_size_proportion(p1, rel):
    p2 = p1 * (1 + rel)
    return (p2 - p1) / math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / 2)


def power_cases():
    power = NormalIndPower()
    out = []
    specs = [
        ("proportion_10pct_rel10", {"baseline_rate": 0.10}, 0.10, 0.05, 0.80, 2),
        ("proportion_2pct_rel5_three_variants", {"baseline_rate": 0.02}, 0.05, 0.05, 0.90, 3),
        ("proportion_50pct_rel2_alpha1pct", {"baseline_rate": 0.50}, 0.02, 0.01, 0.80, 2),
        ("mean_20_sd15_rel5", {"baseline_mean": 20.0, "standard_deviation": 15.0}, 0.05, 0.05, 0.80, 2),
        ("mean_52_sd195_rel3_four_variants", {"baseline_mean": 52.0, "standard_deviation": 195.0}, 0.03, 0.05, 0.80, 4),
    ]
    for name, baseline, rel, alpha, target, variants in specs:
        alpha_adj = alpha / (variants - 1)
        if "baseline_rate" in baseline:
            d = effect_size_proportion(baseline["baseline_rate"], rel)
        else:
            d = baseline["baseline_mean"] * rel / baseline["standard_deviation"]
        n = power.solve_power(effect_size=d, nobs1=None, alpha=alpha_adj, power=target,
                              ratio=1.0, alternative="two-sided")
        out.append({"name": name, **baseline, "relative_mde": rel, "alpha": alpha, "power": target,
                    "variants": variants, "n_per_variant": float(n)})
    return out


def mde_cases():
    power = NormalIndPower()
    out = []
    specs = [
        ("proportion_10pct_n20000", {"baseline_rate": 0.10}, 20000, 0.05, 0.80, 2),
        ("proportion_3pct_n5000_three_variants", {"baseline_rate": 0.03}, 5000, 0.05, 0.80, 3),
        ("mean_20_sd15_n5000", {"baseline_mean": 20.0, "standard_deviation": 15.0}, 5000, 0.05, 0.80, 2),
    ]
    for name, baseline, n, alpha, target, variants in specs:
        alpha_adj = alpha / (variants - 1)
        if "baseline_rate" in baseline:
            p1 = baseline["baseline_rate"]
            upper = (1 - p1) / p1 * 0.999999
            f = lambda r: power.power(effect_size_proportion(p1, r), nobs1=n, alpha=alpha_adj,
                                      ratio=1.0, alternative="two-sided") - target
            rel = optimize.brentq(f, 1e-9, upper, xtol=1e-15, rtol=1e-15)
        else:
            # solve_power(effect_size=None) stops at a loose tolerance (about 3e-5
            # relative here), so solve statsmodels' own power function tightly.
            scale = baseline["baseline_mean"] / baseline["standard_deviation"]
            f = lambda r: power.power(r * scale, nobs1=n, alpha=alpha_adj, ratio=1.0,
                                      alternative="two-sided") - target
            rel = optimize.brentq(f, 1e-9, 100.0, xtol=1e-15, rtol=1e-15)
        out.append({"name": name, **baseline, "n_per_variant": n, "alpha": alpha, "power": target,
                    "variants": variants, "relative_mde": float(rel)})
    return out


def sequential_cases():
    out = []
    for variance, n, alpha in [(0.0004, 2000, 0.05), (2.5e-6, 90189, 0.05), (1.3, 150, 0.10), (0.01, 5000, 0.01)]:
        h = sequential_halfwidth(variance, n, alpha, SEQUENTIAL_TUNING_N)
        fixed = stats.norm.ppf(1 - alpha / 2) * math.sqrt(variance)
        out.append({"variance": variance, "n_total": n, "alpha": alpha, "tuning_n": SEQUENTIAL_TUNING_N,
                    "halfwidth": h, "fixed_halfwidth": float(fixed)})
    return out


def cookie_cats():
    df = pd.read_csv(COOKIE_CATS)
    a = df[df.version == "gate_30"]
    b = df[df.version == "gate_40"]
    result = {"control": "gate_30", "treatment": "gate_40",
              "srm": srm_case("cookie_cats", [len(a), len(b)])}
    for metric in ["retention_1", "retention_7"]:
        result[metric] = proportion_case("cookie_cats_" + metric, len(a), int(a[metric].sum()),
                                         len(b), int(b[metric].sum()))
    result["sum_gamerounds"] = mean_case_from_data("cookie_cats_sum_gamerounds",
                                                   a.sum_gamerounds.values, b.sum_gamerounds.values)
    return result


def main():
    rng = np.random.default_rng(20240601)
    mean_cases = [
        mean_case_from_data("equal_variances", np.round(rng.normal(10.0, 3.0, 400), 4),
                            np.round(rng.normal(10.5, 3.0, 420), 4)),
        mean_case_from_data("unequal_variances_small", np.round(rng.normal(5.0, 1.0, 50), 4),
                            np.round(rng.normal(5.6, 4.0, 30), 4)),
        mean_case_from_data("revenue_skewed", np.round(rng.lognormal(3.0, 1.0, 2000), 2),
                            np.round(rng.lognormal(3.05, 1.0, 1800), 2)),
        mean_case_from_data("negative_effect", np.round(rng.normal(100.0, 20.0, 1000), 3),
                            np.round(rng.normal(97.0, 25.0, 1100), 3)),
    ]
    proportion_cases = [
        proportion_case("balanced_positive", 10000, 1000, 10000, 1100),
        proportion_case("unequal_sizes", 5231, 412, 4877, 455),
        proportion_case("negative_lift", 2000, 300, 2100, 260),
        proportion_case("low_rate", 50000, 45, 50000, 70),
        proportion_case("alpha_10pct", 3000, 150, 3000, 171, alpha=0.10),
    ]
    multiple = [
        multiple_case("four_variants", [0.01, 0.04, 0.03, 0.20]),
        multiple_case("ties_and_ones", [0.002, 0.002, 0.5, 1.0, 0.04]),
        multiple_case("single", [0.03]),
        multiple_case("nine_variants", [0.0001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212]),
    ]
    srm = [
        srm_case("balanced_ok", [50000, 50500]),
        srm_case("three_arms", [1000, 1100, 950]),
        srm_case("weighted_split", [5100, 2400, 2500], [0.5, 0.25, 0.25]),
        srm_case("clear_mismatch", [10000, 10500]),
    ]
    out = {
        "generator": "golden/generate.py",
        "versions": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__,
                     "numpy": np.__version__},
        "tolerance": 1e-6,
        "sequential_tuning_n": SEQUENTIAL_TUNING_N,
        "proportion_cases": proportion_cases,
        "mean_cases": mean_cases,
        "multiple_cases": multiple,
        "srm_cases": srm,
        "cuped_cases": [cuped_case("cuped_positive", 7, 300, 320, 1.2),
                        cuped_case("cuped_null", 11, 250, 240, 0.0)],
        "power_cases": power_cases(),
        "mde_cases": mde_cases(),
        "sequential_cases": sequential_cases(),
        "cookie_cats": cookie_cats(),
    }
    with open(os.path.join(HERE, "expected.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
