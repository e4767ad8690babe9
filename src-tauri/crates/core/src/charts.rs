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

use crate::{Error, Result};

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
}
