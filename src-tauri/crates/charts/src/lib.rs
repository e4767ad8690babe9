//! Charts drawn in Rust with plotters, as SVG the UI shows in an <img>.
//!
//! Text is measured with a font shipped in `assets/fonts` (registered once
//! with plotters' ab_glyph backend), so charts look the same on a machine
//! with no system fonts. The SVG names a generic family, so the UI's own
//! font renders the labels.

use std::sync::OnceLock;

use chrono::NaiveDate;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use rebound_core::{Error, Result};

static FONT_REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Light or dark, to match the app's theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartTheme {
    #[default]
    Light,
    Dark,
}

struct Palette {
    text: RGBColor,
    grid: RGBColor,
    axis: RGBColor,
    series: RGBColor,
}

impl ChartTheme {
    fn palette(self) -> Palette {
        match self {
            ChartTheme::Light => Palette {
                text: RGBColor(0x5b, 0x61, 0x70),
                grid: RGBColor(0xe7, 0xe9, 0xf0),
                axis: RGBColor(0xc9, 0xcd, 0xd8),
                series: RGBColor(0x5b, 0x4b, 0xf5),
            },
            ChartTheme::Dark => Palette {
                text: RGBColor(0xa7, 0xae, 0xc0),
                grid: RGBColor(0x2a, 0x2f, 0x3d),
                axis: RGBColor(0x3c, 0x42, 0x53),
                series: RGBColor(0x8f, 0x84, 0xff),
            },
        }
    }
}

fn fonts() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font("sans-serif", FontStyle::Normal, FONT_REGULAR).is_ok()
            && register_font("sans-serif", FontStyle::Bold, FONT_BOLD).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Chart {
            chart: "any",
            reason: "the bundled font could not be loaded".into(),
        })
    }
}

/// Compact money for axis labels: 950, 1.2k, 3.4M, with the currency's symbol
/// for the common ones and its code otherwise.
pub fn compact_money(amount: f64, currency: &str) -> String {
    let symbol = match currency {
        "USD" | "CAD" | "AUD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        _ => "",
    };
    let abs = amount.abs();
    let (value, suffix) = if abs >= 1e6 {
        (amount / 1e6, "M")
    } else if abs >= 1e3 {
        (amount / 1e3, "k")
    } else {
        (amount, "")
    };
    let number = if suffix.is_empty() || value.abs() >= 100.0 || value.fract().abs() < 0.05 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    if symbol.is_empty() {
        format!("{number}{suffix} {currency}")
    } else {
        format!("{symbol}{number}{suffix}")
    }
}

/// Revenue per day as an area chart. `points` are consecutive days with the
/// amount in major units (dollars, euros).
pub fn revenue_by_day_svg(
    points: &[(NaiveDate, f64)],
    currency: &str,
    theme: ChartTheme,
    size: (u32, u32),
) -> Result<String> {
    fonts()?;
    let fail = |e: &dyn std::fmt::Display| Error::Chart {
        chart: "revenue by day",
        reason: e.to_string(),
    };
    if points.is_empty() {
        return Err(fail(&"there is no revenue to draw"));
    }
    let palette = theme.palette();
    let first = points[0].0;
    let last = points[points.len() - 1].0;
    let top = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let y_max = nice_ceiling(top.max(1.0) * 1.08);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let label_style = ("sans-serif", 12).into_font().color(&palette.text);
        let mut chart = ChartBuilder::on(&root)
            .margin_top(12)
            .margin_right(16)
            .margin_left(4)
            .x_label_area_size(28)
            .y_label_area_size(60)
            .build_cartesian_2d(first..last, 0.0..y_max)
            .map_err(|e| fail(&e))?;
        let day_span = (last - first).num_days().max(1) as usize;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_max_light_lines(0)
            .bold_line_style(palette.grid)
            .axis_style(palette.axis)
            .x_labels(day_span.min(7))
            .y_labels(5)
            .x_label_style(label_style.clone())
            .y_label_style(label_style)
            .x_label_formatter(&|d: &NaiveDate| d.format("%b %-d").to_string())
            .y_label_formatter(&|v: &f64| compact_money(*v, currency))
            .draw()
            .map_err(|e| fail(&e))?;
        chart
            .draw_series(
                AreaSeries::new(points.iter().copied(), 0.0, palette.series.mix(0.14))
                    .border_style(ShapeStyle {
                        color: palette.series.to_rgba(),
                        filled: false,
                        stroke_width: 2,
                    }),
            )
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

/// The smallest 1, 2 or 5 times a power of ten at or above `v`.
fn nice_ceiling(v: f64) -> f64 {
    let magnitude = 10f64.powf(v.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= v {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

/// Colours of variants, control first.
const SERIES: [RGBColor; 5] = [
    RGBColor(0x8a, 0x90, 0xa2),
    RGBColor(0x5b, 0x4b, 0xf5),
    RGBColor(0xe2, 0x45, 0x7a),
    RGBColor(0x12, 0x9c, 0x8f),
    RGBColor(0xf2, 0x9d, 0x38),
];

fn series_color(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// One treatment's row in the forest plot.
struct ForestRow {
    name: String,
    lift: f64,
    interval: (f64, f64),
    sequential: Option<(f64, f64)>,
}

fn forest_rows(report: &rebound_stats::ExperimentReport) -> Vec<ForestRow> {
    report
        .variants
        .iter()
        .filter_map(|v| {
            let c = v.conversion.as_ref().or(v.value.as_ref())?;
            let interval = c.relative_interval.as_ref()?;
            Some(ForestRow {
                name: v.name.clone(),
                lift: c.relative_lift?,
                interval: (interval.lower, interval.upper),
                sequential: c
                    .sequential_relative_interval
                    .as_ref()
                    .map(|i| (i.lower, i.upper)),
            })
        })
        .collect()
}

fn draw_forest<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    rows: &[ForestRow],
    palette: &Palette,
) -> Result<()> {
    let e = |x: &dyn std::fmt::Display| Error::Chart {
        chart: "lift",
        reason: x.to_string(),
    };
    let lo = rows
        .iter()
        .flat_map(|r| [r.interval.0, r.sequential.map_or(r.interval.0, |s| s.0)])
        .fold(0.0_f64, f64::min);
    let hi = rows
        .iter()
        .flat_map(|r| [r.interval.1, r.sequential.map_or(r.interval.1, |s| s.1)])
        .fold(0.0_f64, f64::max);
    let pad = ((hi - lo) * 0.12).max(0.01);
    let k = rows.len() as f64;
    let label_style = ("sans-serif", 17).into_font().color(&palette.text);
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let mut chart = ChartBuilder::on(&root)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(260)
        .build_cartesian_2d((lo - pad)..(hi + pad), -0.5..(k - 0.5))
        .map_err(|x| e(&x))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_max_light_lines(0)
        .x_max_light_lines(0)
        .bold_line_style(palette.grid)
        .axis_style(palette.axis)
        .x_labels(7)
        .y_labels(rows.len().max(1))
        .x_label_style(label_style.clone())
        .y_label_style(label_style)
        .x_label_formatter(&|v: &f64| format!("{:+.0}%", v * 100.0))
        .y_label_formatter(&|v: &f64| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .x_desc("relative lift vs control")
        .draw()
        .map_err(|x| e(&x))?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.5), (0.0, k - 0.5)],
            ShapeStyle {
                color: palette.axis.to_rgba(),
                filled: false,
                stroke_width: 2,
            },
        )))
        .map_err(|x| e(&x))?;
    for (i, row) in rows.iter().enumerate() {
        let y = i as f64;
        let color = series_color(i + 1);
        if let Some((a, b)) = row.sequential {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(a, y - 0.18), (b, y - 0.18)],
                    ShapeStyle {
                        color: color.mix(0.45),
                        filled: false,
                        stroke_width: 2,
                    },
                )))
                .map_err(|x| e(&x))?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(row.interval.0, y), (row.interval.1, y)],
                ShapeStyle {
                    color: color.to_rgba(),
                    filled: false,
                    stroke_width: 4,
                },
            )))
            .map_err(|x| e(&x))?;
        chart
            .draw_series(std::iter::once(Circle::new(
                (row.lift, y),
                6,
                color.filled(),
            )))
            .map_err(|x| e(&x))?;
    }
    root.present().map_err(|x| e(&x))
}

fn forest_size(rows: usize) -> (u32, u32) {
    (760, 90 + 56 * rows.max(1) as u32)
}

/// Forest plot of each treatment's relative lift: the dot is the estimate,
/// the thick bar the fixed-horizon interval, the thin bar below it the
/// always-valid (sequential) interval.
pub fn forest_svg(report: &rebound_stats::ExperimentReport, theme: ChartTheme) -> Result<String> {
    fonts()?;
    let rows = forest_rows(report);
    if rows.is_empty() {
        return Err(Error::Chart {
            chart: "lift",
            reason: "no treatment has an interval to plot".into(),
        });
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, forest_size(rows.len())).into_drawing_area();
        draw_forest(root, &rows, &theme.palette())?;
    }
    Ok(svg)
}

/// The forest plot as a PNG file, on white.
pub fn forest_png(report: &rebound_stats::ExperimentReport, path: &std::path::Path) -> Result<()> {
    fonts()?;
    let rows = forest_rows(report);
    if rows.is_empty() {
        return Err(Error::Chart {
            chart: "lift",
            reason: "no treatment has an interval to plot".into(),
        });
    }
    let root = BitMapBackend::new(path, forest_size(rows.len())).into_drawing_area();
    root.fill(&WHITE).map_err(|x| Error::Chart {
        chart: "lift",
        reason: x.to_string(),
    })?;
    draw_forest(root, &rows, &ChartTheme::Light.palette())
}

/// Posterior density of each variant's conversion rate (Beta(1 + c, 1 + n − c)).
pub fn posterior_svg(data: &rebound_stats::ExperimentData, theme: ChartTheme) -> Result<String> {
    use statrs::distribution::{Beta, Continuous};
    fonts()?;
    let fail = |reason: String| Error::Chart {
        chart: "posterior",
        reason,
    };
    let posteriors: Vec<(String, Beta, f64, f64)> = data
        .variants
        .iter()
        .filter_map(|v| {
            let c = v.conversions? as f64;
            let n = v.n as f64;
            let (a, b) = (1.0 + c, 1.0 + n - c);
            let beta = Beta::new(a, b).ok()?;
            let mean = a / (a + b);
            let sd = (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt();
            Some((v.name.clone(), beta, mean, sd))
        })
        .collect();
    if posteriors.is_empty() {
        return Err(fail("no variant has conversions".into()));
    }
    let lo = posteriors
        .iter()
        .map(|p| p.2 - 4.5 * p.3)
        .fold(f64::INFINITY, f64::min)
        .max(0.0);
    let hi = posteriors
        .iter()
        .map(|p| p.2 + 4.5 * p.3)
        .fold(0.0_f64, f64::max)
        .min(1.0);
    let steps = 240;
    let curves: Vec<(String, Vec<(f64, f64)>)> = posteriors
        .iter()
        .map(|(name, beta, _, _)| {
            let points = (0..=steps)
                .map(|i| {
                    let x = lo + (hi - lo) * i as f64 / steps as f64;
                    let y = beta.pdf(x);
                    (x, if y.is_finite() { y } else { 0.0 })
                })
                .collect();
            (name.clone(), points)
        })
        .collect();
    let top = curves
        .iter()
        .flat_map(|c| c.1.iter().map(|p| p.1))
        .fold(0.0_f64, f64::max)
        * 1.1;
    let palette = theme.palette();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 300)).into_drawing_area();
        let label_style = ("sans-serif", 17).into_font().color(&palette.text);
        let mut chart = ChartBuilder::on(&root)
            .margin(14)
            .x_label_area_size(44)
            .y_label_area_size(20)
            .build_cartesian_2d(lo..hi, 0.0..top.max(1e-9))
            .map_err(|x| fail(x.to_string()))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_max_light_lines(0)
            .x_max_light_lines(0)
            .bold_line_style(palette.grid)
            .axis_style(palette.axis)
            .y_labels(0)
            .x_labels(7)
            .x_label_style(label_style.clone())
            .x_label_formatter(&|v: &f64| format!("{:.1}%", v * 100.0))
            .x_desc("conversion rate")
            .draw()
            .map_err(|x| fail(x.to_string()))?;
        for (i, (name, points)) in curves.into_iter().enumerate() {
            let color = series_color(i);
            chart
                .draw_series(AreaSeries::new(points, 0.0, color.mix(0.12)).border_style(
                    ShapeStyle {
                        color: color.to_rgba(),
                        filled: false,
                        stroke_width: 2,
                    },
                ))
                .map_err(|x| fail(x.to_string()))?
                .label(name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(label_style)
            .border_style(palette.grid)
            .draw()
            .map_err(|x| fail(x.to_string()))?;
        root.present().map_err(|x| fail(x.to_string()))?;
    }
    Ok(svg)
}

/// Cumulative conversion rate of each variant by day: lines that settle as
/// data accumulates, and a reminder of why peeking early misleads.
pub fn cumulative_svg(
    series: &[(String, Vec<(NaiveDate, f64)>)],
    theme: ChartTheme,
) -> Result<String> {
    fonts()?;
    let fail = |reason: String| Error::Chart {
        chart: "cumulative conversion",
        reason,
    };
    let first = series.iter().filter_map(|s| s.1.first().map(|p| p.0)).min();
    let last = series.iter().filter_map(|s| s.1.last().map(|p| p.0)).max();
    let (Some(first), Some(last)) = (first, last) else {
        return Err(fail("there are no exposures by day".into()));
    };
    let last = if last == first {
        first + chrono::Duration::days(1)
    } else {
        last
    };
    let top = series
        .iter()
        .flat_map(|s| s.1.iter().map(|p| p.1))
        .fold(0.0_f64, f64::max)
        * 1.15;
    let palette = theme.palette();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 300)).into_drawing_area();
        let label_style = ("sans-serif", 17).into_font().color(&palette.text);
        let mut chart = ChartBuilder::on(&root)
            .margin(14)
            .x_label_area_size(44)
            .y_label_area_size(54)
            .build_cartesian_2d(first..last, 0.0..top.max(0.01))
            .map_err(|x| fail(x.to_string()))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_max_light_lines(0)
            .bold_line_style(palette.grid)
            .axis_style(palette.axis)
            .x_labels(6)
            .y_labels(5)
            .x_label_style(label_style.clone())
            .y_label_style(label_style.clone())
            .x_label_formatter(&|d: &NaiveDate| d.format("%b %-d").to_string())
            .y_label_formatter(&|v: &f64| format!("{:.0}%", v * 100.0))
            .draw()
            .map_err(|x| fail(x.to_string()))?;
        for (i, (name, points)) in series.iter().enumerate() {
            let color = series_color(i);
            chart
                .draw_series(LineSeries::new(
                    points.iter().copied(),
                    ShapeStyle {
                        color: color.to_rgba(),
                        filled: false,
                        stroke_width: 2,
                    },
                ))
                .map_err(|x| fail(x.to_string()))?
                .label(name.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font(label_style)
            .border_style(palette.grid)
            .draw()
            .map_err(|x| fail(x.to_string()))?;
        root.present().map_err(|x| fail(x.to_string()))?;
    }
    Ok(svg)
}

/// One day of a segment's membership, for [`membership_svg`].
pub struct MembershipPoint {
    pub day: NaiveDate,
    pub members: u64,
    pub entries: u64,
    pub exits: u64,
}

/// A segment's audience over time: its size per day as an area (top), and
/// that day's entries (up) and exits (down) as bars (bottom).
pub fn membership_svg(
    points: &[MembershipPoint],
    theme: ChartTheme,
    size: (u32, u32),
) -> Result<String> {
    fonts()?;
    let fail = |e: &dyn std::fmt::Display| Error::Chart {
        chart: "membership over time",
        reason: e.to_string(),
    };
    let (Some(first_point), Some(last_point)) = (points.first(), points.last()) else {
        return Err(fail(&"there are no days to draw"));
    };
    let palette = theme.palette();
    let first = first_point.day;
    let last = last_point.day.succ_opt().unwrap_or(last_point.day);
    let top = points.iter().map(|p| p.members).max().unwrap_or(0) as f64;
    let y_max = nice_ceiling(top.max(1.0) * 1.08);
    let flow = points
        .iter()
        .map(|p| p.entries.max(p.exits))
        .max()
        .unwrap_or(0) as f64;
    let flow_max = nice_ceiling(flow.max(1.0) * 1.1);
    let entries_color = RGBColor(0x12, 0x9c, 0x8f);
    let exits_color = RGBColor(0xe2, 0x45, 0x7a);
    let day_span = (last - first).num_days().max(1) as usize;
    let count_label = |v: &f64| {
        let a = v.abs();
        if a >= 1e6 {
            format!("{:.1}M", v / 1e6)
        } else if a >= 1e4 {
            format!("{:.0}k", v / 1e3)
        } else if a >= 1e3 {
            format!("{:.1}k", v / 1e3)
        } else {
            format!("{v:.0}")
        }
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let (upper, lower) = root.split_vertically(size.1 * 62 / 100);
        let label_style = ("sans-serif", 12).into_font().color(&palette.text);
        let mut chart = ChartBuilder::on(&upper)
            .margin_top(12)
            .margin_right(16)
            .margin_left(4)
            .x_label_area_size(8)
            .y_label_area_size(56)
            .build_cartesian_2d(first..last, 0.0..y_max)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_max_light_lines(0)
            .bold_line_style(palette.grid)
            .axis_style(palette.axis)
            .x_labels(0)
            .x_label_formatter(&|_: &NaiveDate| String::new())
            .y_labels(4)
            .y_label_style(label_style.clone())
            .y_label_formatter(&count_label)
            .y_desc("members")
            .draw()
            .map_err(|e| fail(&e))?;
        chart
            .draw_series(
                AreaSeries::new(
                    points.iter().map(|p| (p.day, p.members as f64)),
                    0.0,
                    palette.series.mix(0.14),
                )
                .border_style(ShapeStyle {
                    color: palette.series.to_rgba(),
                    filled: false,
                    stroke_width: 2,
                }),
            )
            .map_err(|e| fail(&e))?;
        let mut flows = ChartBuilder::on(&lower)
            .margin_top(6)
            .margin_right(16)
            .margin_left(4)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(first..last, -flow_max..flow_max)
            .map_err(|e| fail(&e))?;
        flows
            .configure_mesh()
            .disable_x_mesh()
            .y_max_light_lines(0)
            .bold_line_style(palette.grid)
            .axis_style(palette.axis)
            .x_labels(day_span.min(7))
            .y_labels(3)
            .x_label_style(label_style.clone())
            .y_label_style(label_style)
            .x_label_formatter(&|d: &NaiveDate| d.format("%b %-d").to_string())
            .y_label_formatter(&count_label)
            .y_desc("in / out")
            .draw()
            .map_err(|e| fail(&e))?;
        let bar = |p: &MembershipPoint, value: f64, color: RGBColor| {
            let next = p.day.succ_opt().unwrap_or(p.day);
            Rectangle::new([(p.day, 0.0), (next, value)], color.mix(0.8).filled())
        };
        flows
            .draw_series(
                points
                    .iter()
                    .filter(|p| p.entries > 0)
                    .map(|p| bar(p, p.entries as f64, entries_color)),
            )
            .map_err(|e| fail(&e))?;
        flows
            .draw_series(
                points
                    .iter()
                    .filter(|p| p.exits > 0)
                    .map(|p| bar(p, -(p.exits as f64), exits_color)),
            )
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_money_reads_like_a_dashboard() {
        assert_eq!(compact_money(950.0, "USD"), "$950");
        assert_eq!(compact_money(1_250.0, "USD"), "$1.2k");
        assert_eq!(compact_money(20_000.0, "EUR"), "€20k");
        assert_eq!(compact_money(3_400_000.0, "GBP"), "£3.4M");
        assert_eq!(compact_money(1_500.0, "CHF"), "1.5k CHF");
    }

    #[test]
    fn nice_ceiling_rounds_up_to_round_numbers() {
        assert_eq!(nice_ceiling(7.3), 10.0);
        assert_eq!(nice_ceiling(1_830.0), 2_000.0);
        assert_eq!(nice_ceiling(2_100.0), 2_500.0);
        assert_eq!(nice_ceiling(41_000.0), 50_000.0);
    }

    #[test]
    fn revenue_chart_is_an_svg_with_axis_labels_and_no_script() {
        let start = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let points: Vec<_> = (0..30)
            .map(|i| {
                (
                    start + chrono::Duration::days(i),
                    1_000.0 + (i as f64 * 37.0) % 400.0,
                )
            })
            .collect();
        let svg = revenue_by_day_svg(&points, "USD", ChartTheme::Dark, (800, 260)).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("Oct 1"), "x labels name days");
        assert!(
            svg.contains("$1.5k") || svg.contains("$1k"),
            "y labels are money"
        );
        assert!(
            svg.contains("#8F84FF") || svg.contains("#8f84ff"),
            "dark palette used"
        );
        assert!(!svg.to_lowercase().contains("<script"));
    }

    #[test]
    fn empty_series_is_an_error_not_a_panic() {
        let err = revenue_by_day_svg(&[], "USD", ChartTheme::Light, (800, 260)).unwrap_err();
        assert!(err.to_string().contains("no revenue"));
    }

    /// The SVG with every decimal number rounded to a whole one, so a
    /// snapshot holds the drawing (shapes, colours, labels, positions to the
    /// pixel) and not the last digits of a float.
    fn sanitized(svg: &str) -> String {
        let mut out = String::with_capacity(svg.len());
        let mut number = String::new();
        let flush = |number: &mut String, out: &mut String| {
            if number.contains('.') && !number.ends_with('.') {
                match number.parse::<f64>() {
                    Ok(x) => out.push_str(&format!("{}", x.round())),
                    Err(_) => out.push_str(number),
                }
            } else {
                out.push_str(number);
            }
            number.clear();
        };
        for c in svg.chars() {
            if c.is_ascii_digit() || (c == '.' && !number.is_empty()) {
                number.push(c);
            } else {
                flush(&mut number, &mut out);
                out.push(c);
            }
        }
        flush(&mut number, &mut out);
        out
    }

    #[test]
    fn charts_draw_as_their_snapshots() {
        let start = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let days = |amount: fn(i64) -> f64| -> Vec<(NaiveDate, f64)> {
            (0..14)
                .map(|i| (start + chrono::Duration::days(i), amount(i)))
                .collect()
        };
        let usd = days(|i| 1_000.0 + (i as f64 * 37.0) % 400.0);
        let svg = revenue_by_day_svg(&usd, "USD", ChartTheme::Light, (640, 240)).unwrap();
        insta::assert_snapshot!("revenue_by_day_usd_light", sanitized(&svg));
        // Yen have no minor unit: 150,000 yen a day is drawn as ¥150k, not ¥1.5k.
        let jpy = days(|i| 150_000.0 + (i as f64 * 5_000.0));
        let svg = revenue_by_day_svg(&jpy, "JPY", ChartTheme::Dark, (640, 240)).unwrap();
        assert!(svg.contains("¥150k") || svg.contains("¥200k"), "yen labels");
        insta::assert_snapshot!("revenue_by_day_jpy_dark", sanitized(&svg));
        let points: Vec<MembershipPoint> = (0..10)
            .map(|i| MembershipPoint {
                day: start + chrono::Duration::days(i),
                members: 200 + (i as u64) * 15,
                entries: 20 + (i as u64 % 3) * 5,
                exits: 5 + (i as u64 % 2) * 3,
            })
            .collect();
        let svg = membership_svg(&points, ChartTheme::Light, (640, 240)).unwrap();
        insta::assert_snapshot!("membership_light", sanitized(&svg));
    }
}
