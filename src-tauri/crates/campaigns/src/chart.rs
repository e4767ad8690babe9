//! The dashboard's chart: one KPI per row of a currency block (per day, week,
//! month, channel or campaign) as bars, drawn by plotters as SVG for the UI's
//! `<img>` and as PNG or SVG files for export. Text is measured with the
//! DejaVu font shipped in `assets/fonts`, as in `rebound-core::charts`, so the
//! chart draws the same on a machine with no fonts.

use std::path::Path;
use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};
use rebound_charts::{compact_money, ChartTheme};
use rebound_core::{Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::metrics::{CurrencyBlock, Kpis};

static FONT_REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");

/// Which KPI the chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartKpi {
    Cost,
    Revenue,
    Clicks,
    Impressions,
    Conversions,
    Roas,
    Ctr,
    Sends,
}

impl ChartKpi {
    pub fn parse(s: &str) -> Option<ChartKpi> {
        use ChartKpi::*;
        [
            Cost,
            Revenue,
            Clicks,
            Impressions,
            Conversions,
            Roas,
            Ctr,
            Sends,
        ]
        .into_iter()
        .find(|k| k.key() == s)
    }

    pub fn key(self) -> &'static str {
        match self {
            ChartKpi::Cost => "cost",
            ChartKpi::Revenue => "revenue",
            ChartKpi::Clicks => "clicks",
            ChartKpi::Impressions => "impressions",
            ChartKpi::Conversions => "conversions",
            ChartKpi::Roas => "roas",
            ChartKpi::Ctr => "ctr",
            ChartKpi::Sends => "sends",
        }
    }

    /// The figure to plot, in major units for money; `None` where the
    /// reports do not give it.
    fn value(self, k: &Kpis, currency: &str) -> Option<f64> {
        let s = &k.sums;
        let major = |m: Option<i64>| m.map(|m| rebound_core::money::to_major(m, currency));
        match self {
            ChartKpi::Cost => major(s.cost_minor),
            ChartKpi::Revenue => major(s.revenue_minor),
            ChartKpi::Clicks => s.clicks.map(|v| v as f64),
            ChartKpi::Impressions => s.impressions.map(|v| v as f64),
            ChartKpi::Conversions => s.conversions,
            ChartKpi::Roas => k.roas,
            ChartKpi::Ctr => k.ctr.map(|v| v * 100.0),
            ChartKpi::Sends => s.sends.map(|v| v as f64),
        }
    }

    fn format(self, v: f64, currency: &str) -> String {
        match self {
            ChartKpi::Cost | ChartKpi::Revenue => compact_money(v, currency),
            ChartKpi::Roas => format!("{v:.1}×"),
            ChartKpi::Ctr => format!("{v:.1}%"),
            _ if v >= 1e6 => format!("{:.1}M", v / 1e6),
            _ if v >= 1e3 => format!("{:.1}k", v / 1e3),
            _ => format!("{v:.0}"),
        }
    }
}

fn fonts() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    if *REGISTERED
        .get_or_init(|| register_font("sans-serif", FontStyle::Normal, FONT_REGULAR).is_ok())
    {
        Ok(())
    } else {
        Err(Error::Chart {
            chart: "campaign",
            reason: "the bundled font could not be loaded".into(),
        })
    }
}

fn colors(theme: ChartTheme) -> (RGBColor, RGBColor, RGBColor) {
    match theme {
        ChartTheme::Light => (
            RGBColor(0x5b, 0x61, 0x70),
            RGBColor(0xe7, 0xe9, 0xf0),
            RGBColor(0x5b, 0x4b, 0xf5),
        ),
        ChartTheme::Dark => (
            RGBColor(0xa7, 0xae, 0xc0),
            RGBColor(0x2a, 0x2f, 0x3d),
            RGBColor(0x8f, 0x84, 0xff),
        ),
    }
}

fn points(block: &CurrencyBlock, kpi: ChartKpi) -> Vec<(String, f64)> {
    block
        .rows
        .iter()
        .map(|r| {
            let v = kpi.value(&r.kpis, &block.currency).unwrap_or(0.0);
            (r.label.clone(), v)
        })
        .collect()
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    pts: &[(String, f64)],
    kpi: ChartKpi,
    currency: &str,
    theme: ChartTheme,
) -> Result<()> {
    let fail = |e: &dyn std::fmt::Display| Error::Chart {
        chart: "campaign",
        reason: e.to_string(),
    };
    let (text, grid, series) = colors(theme);
    let top = pts.iter().map(|p| p.1).fold(0.0_f64, f64::max).max(1e-9) * 1.1;
    let n = pts.len();
    let label_style = ("sans-serif", 12).into_font().color(&text);
    let mut chart = ChartBuilder::on(&root)
        .margin_top(12)
        .margin_right(16)
        .margin_left(4)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d((0..n).into_segmented(), 0.0..top)
        .map_err(|e| fail(&e))?;
    let step = n.div_ceil(8).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_max_light_lines(0)
        .bold_line_style(grid)
        .axis_style(grid)
        .x_labels(n + 1)
        .y_labels(5)
        .x_label_style(label_style.clone())
        .y_label_style(label_style)
        .x_label_formatter(&|x: &SegmentValue<usize>| match x {
            SegmentValue::CenterOf(i) if *i < n && i % step == 0 => {
                pts[*i].0.chars().take(18).collect()
            }
            _ => String::new(),
        })
        .y_label_formatter(&|v: &f64| kpi.format(*v, currency))
        .draw()
        .map_err(|e| fail(&e))?;
    chart
        .draw_series(
            Histogram::vertical(&chart)
                .style(series.filled())
                .margin(if n > 40 { 1 } else { 4 })
                .data(pts.iter().enumerate().map(|(i, (_, v))| (i, *v))),
        )
        .map_err(|e| fail(&e))?;
    root.present().map_err(|e| fail(&e))?;
    Ok(())
}

const SIZE: (u32, u32) = (880, 300);

/// The chart as SVG.
pub fn chart_svg(block: &CurrencyBlock, kpi: ChartKpi, theme: ChartTheme) -> Result<String> {
    fonts()?;
    let pts = points(block, kpi);
    if pts.is_empty() {
        return Err(Error::Chart {
            chart: "campaign",
            reason: format!("there are no {} rows to draw", block.currency),
        });
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(root, &pts, kpi, &block.currency, theme)?;
    }
    Ok(svg)
}

/// Writes the chart to `path`: PNG (on white) when it ends in `.png`, SVG otherwise.
pub fn export_chart(block: &CurrencyBlock, kpi: ChartKpi, path: &Path) -> Result<()> {
    let png = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if !png {
        let svg = chart_svg(block, kpi, ChartTheme::Light)?;
        return std::fs::write(path, svg).map_err(|source| Error::Io {
            op: "write",
            path: path.to_path_buf(),
            source,
        });
    }
    fonts()?;
    let pts = points(block, kpi);
    if pts.is_empty() {
        return Err(Error::Chart {
            chart: "campaign",
            reason: format!("there are no {} rows to draw", block.currency),
        });
    }
    let root = BitMapBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(|e| Error::Chart {
        chart: "campaign",
        reason: e.to_string(),
    })?;
    draw(root, &pts, kpi, &block.currency, ChartTheme::Light)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{metrics, Grouping, MetricsQuery};
    use rebound_demo::DemoOptions;

    /// A yen shop's bars are whole yen (no hundredths of a yen): the bars of
    /// cost and revenue add up to the block's totals as they are stored.
    #[tokio::test]
    async fn a_yen_chart_draws_whole_yen() {
        let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let mut options = DemoOptions::new(300, 3, end);
        options.currency = "JPY".into();
        let (ws, _dir) = rebound_testsupport::demo_with(options).await;
        let query = MetricsQuery {
            from: "2026-09-02".into(),
            to: "2026-11-30".into(),
            by: Grouping::Week,
            campaign_id: None,
        };
        let report = metrics(&ws, &query).await.unwrap();
        let block = &report.blocks[0];
        assert_eq!(block.currency, "JPY");
        for (kpi, total) in [
            (ChartKpi::Cost, block.totals.sums.cost_minor),
            (ChartKpi::Revenue, block.totals.sums.revenue_minor),
        ] {
            let drawn: f64 = points(block, kpi).iter().map(|p| p.1).sum();
            let total = total.unwrap() as f64;
            assert!(total > 10_000.0, "{total}");
            assert_eq!(drawn, total);
        }
        let svg = chart_svg(block, ChartKpi::Cost, ChartTheme::Light).unwrap();
        // The axis counts thousands of yen ("120.0k"), not hundreds of them.
        let labels: Vec<&str> = svg
            .split("</text>")
            .filter_map(|t| t.rsplit('>').next())
            .map(str::trim)
            .collect();
        assert!(
            labels.iter().any(|l| l.ends_with('k') && l.len() > 1),
            "{labels:?}"
        );
    }
}
