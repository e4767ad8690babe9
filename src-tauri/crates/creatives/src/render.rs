//! A template, a format, a person and their picks → one SVG document, and
//! that SVG → PNG.
//!
//! The SVG is written by hand from a small set of shapes. Every piece of text
//! (titles, names, tokens' values) goes through [`escape`], colours are
//! validated `#rrggbb`, and the only `href`s are `data:` URLs of PNG/JPEG
//! files we sniffed and of our own logos: no script, no event attribute, no
//! network reference can come out of here. Rasterising loads only the bundled
//! DejaVu Sans and resolves no external file, so the same input gives the
//! same PNG bytes.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use base64::Engine;
use rebound_core::names::category_leaf;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::format::AdFormat;
use crate::images::{self, ImageOrigin};
use crate::money::format_price;
use crate::picks::{Pick, Product};
use crate::template::{logo_svg, TemplateDefinition};
use crate::text::{cut_to_chars, escape, wrap, FONT_FAMILY};
use crate::tokens::{self, Values};

/// The person an ad is rendered for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AdPerson {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(optional)]
    pub first_name: Option<String>,
    /// BCP 47, e.g. `en-US`; prices are formatted for it.
    pub locale: String,
}

/// One text field as it was drawn, for the linter and the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DrawnText {
    /// headline, description, call_to_action, business_name or price.
    pub field: String,
    /// Carousel card (0-based); 0 for single-image formats.
    pub card: u32,
    /// The text after tokens, before any cut.
    pub full: String,
    /// What the ad shows.
    pub shown: String,
    /// The platform's character limit, when the text went over it.
    #[ts(optional)]
    pub over_limit: Option<u32>,
    /// The text did not fit its box and ends in "…".
    pub cut_to_fit: bool,
    /// Tokens that were empty for this person and had no fallback.
    pub empty_tokens: Vec<String>,
}

/// Which image one card shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DrawnImage {
    pub card: u32,
    #[ts(type = "number")]
    pub product_id: i64,
    pub origin: ImageOrigin,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RenderedAd {
    pub format: AdFormat,
    pub width: u32,
    pub height: u32,
    pub svg: String,
    pub texts: Vec<DrawnText>,
    pub images: Vec<DrawnImage>,
    /// The products the ad shows, in order (carousel cards).
    #[ts(type = "Array<number>")]
    pub product_ids: Vec<i64>,
}

#[derive(Clone, Copy)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

const fn r(x: f32, y: f32, w: f32, h: f32) -> Rect {
    Rect { x, y, w, h }
}

/// Where things go in one single-image format (or one carousel card).
struct Layout {
    logo: Option<Rect>,
    /// Business name: box and font size.
    business: Option<(Rect, f32)>,
    image: Rect,
    image_radius: f32,
    text: Rect,
    headline: (f32, usize),
    price: f32,
    /// Font size and lines; 0 lines = no description in this format.
    description: (f32, usize),
    cta: Rect,
    cta_font: f32,
}

fn layout(format: AdFormat) -> Layout {
    match format {
        AdFormat::MetaSquare => Layout {
            logo: Some(r(48.0, 24.0, 64.0, 64.0)),
            business: Some((r(128.0, 24.0, 600.0, 64.0), 32.0)),
            image: r(0.0, 112.0, 1080.0, 588.0),
            image_radius: 0.0,
            text: r(48.0, 732.0, 680.0, 320.0),
            headline: (48.0, 2),
            price: 44.0,
            description: (30.0, 2),
            cta: r(752.0, 846.0, 280.0, 92.0),
            cta_font: 34.0,
        },
        AdFormat::MetaPortrait => Layout {
            logo: Some(r(48.0, 24.0, 64.0, 64.0)),
            business: Some((r(128.0, 24.0, 600.0, 64.0), 32.0)),
            image: r(0.0, 112.0, 1080.0, 820.0),
            image_radius: 0.0,
            text: r(48.0, 964.0, 680.0, 350.0),
            headline: (48.0, 2),
            price: 44.0,
            description: (30.0, 3),
            cta: r(752.0, 1100.0, 280.0, 92.0),
            cta_font: 34.0,
        },
        // Text stays out of the top 14% and bottom 20% that Stories overlay.
        AdFormat::MetaStory => Layout {
            logo: Some(r(80.0, 160.0, 88.0, 88.0)),
            business: Some((r(188.0, 160.0, 800.0, 88.0), 40.0)),
            image: r(60.0, 290.0, 960.0, 820.0),
            image_radius: 32.0,
            text: r(80.0, 1140.0, 920.0, 280.0),
            headline: (52.0, 2),
            price: 48.0,
            description: (32.0, 2),
            cta: r(80.0, 1436.0, 920.0, 96.0),
            cta_font: 40.0,
        },
        AdFormat::MetaCarousel => Layout {
            logo: None,
            business: None,
            image: r(0.0, 0.0, 1080.0, 760.0),
            image_radius: 0.0,
            text: r(40.0, 792.0, 660.0, 250.0),
            headline: (46.0, 2),
            price: 42.0,
            description: (0.0, 0),
            cta: r(730.0, 872.0, 310.0, 88.0),
            cta_font: 30.0,
        },
        AdFormat::GoogleSquare => Layout {
            logo: Some(r(53.0, 27.0, 71.0, 71.0)),
            business: Some((r(142.0, 27.0, 660.0, 71.0), 36.0)),
            image: r(0.0, 124.0, 1200.0, 654.0),
            image_radius: 0.0,
            text: r(53.0, 812.0, 756.0, 356.0),
            headline: (53.0, 2),
            price: 49.0,
            description: (33.0, 2),
            cta: r(836.0, 940.0, 311.0, 102.0),
            cta_font: 38.0,
        },
        AdFormat::GoogleLandscape => Layout {
            logo: Some(r(660.0, 32.0, 60.0, 60.0)),
            business: Some((r(736.0, 32.0, 432.0, 60.0), 30.0)),
            image: r(0.0, 0.0, 628.0, 628.0),
            image_radius: 0.0,
            text: r(660.0, 124.0, 508.0, 360.0),
            headline: (42.0, 3),
            price: 38.0,
            description: (26.0, 3),
            cta: r(660.0, 508.0, 300.0, 80.0),
            cta_font: 30.0,
        },
        AdFormat::Google300x250 => Layout {
            logo: Some(r(10.0, 7.0, 22.0, 22.0)),
            business: Some((r(38.0, 7.0, 250.0, 22.0), 13.0)),
            image: r(0.0, 36.0, 300.0, 126.0),
            image_radius: 0.0,
            text: r(12.0, 168.0, 166.0, 76.0),
            headline: (14.0, 2),
            price: 15.0,
            description: (0.0, 0),
            cta: r(186.0, 196.0, 104.0, 32.0),
            cta_font: 13.0,
        },
        AdFormat::Google160x600 => Layout {
            logo: Some(r(12.0, 14.0, 28.0, 28.0)),
            business: Some((r(46.0, 14.0, 108.0, 28.0), 12.0)),
            image: r(0.0, 56.0, 160.0, 200.0),
            image_radius: 0.0,
            text: r(12.0, 272.0, 136.0, 250.0),
            headline: (16.0, 4),
            price: 18.0,
            description: (13.0, 5),
            cta: r(12.0, 536.0, 136.0, 44.0),
            cta_font: 15.0,
        },
        AdFormat::Google728x90 => Layout {
            logo: Some(r(18.0, 21.0, 48.0, 48.0)),
            business: None,
            image: r(80.0, 0.0, 90.0, 90.0),
            image_radius: 0.0,
            text: r(186.0, 10.0, 364.0, 72.0),
            headline: (18.0, 2),
            price: 17.0,
            description: (0.0, 0),
            cta: r(564.0, 23.0, 148.0, 44.0),
            cta_font: 16.0,
        },
        AdFormat::Google320x50 => Layout {
            logo: None,
            business: None,
            image: r(0.0, 0.0, 50.0, 50.0),
            image_radius: 0.0,
            text: r(58.0, 4.0, 160.0, 44.0),
            headline: (13.0, 1),
            price: 12.0,
            description: (0.0, 0),
            cta: r(224.0, 9.0, 88.0, 32.0),
            cta_font: 12.0,
        },
    }
}

/// Carousel geometry: outer padding, gap between cards, header height.
const CAROUSEL_PAD: f32 = 48.0;
const CAROUSEL_GAP: f32 = 32.0;
const CAROUSEL_HEADER: f32 = 250.0;

/// The canvas of a format showing `cards` products.
pub fn canvas_size(format: AdFormat, cards: usize) -> (u32, u32) {
    if format == AdFormat::MetaCarousel {
        let n = cards.max(1) as f32;
        let w = 2.0 * CAROUSEL_PAD + n * 1080.0 + (n - 1.0) * CAROUSEL_GAP;
        let h = CAROUSEL_HEADER + 1080.0 + CAROUSEL_PAD;
        (w as u32, h as u32)
    } else {
        format.size()
    }
}

struct Fill<'a> {
    product: Option<&'a Product>,
    person: &'a AdPerson,
    business: &'a str,
}

impl Values for Fill<'_> {
    fn value(&self, token: &str) -> Option<String> {
        let p = self.product;
        match token {
            "product.title" => p.map(|p| p.title.clone()),
            "product.brand" => p.and_then(|p| p.brand.clone()),
            "product.category" => p.and_then(|p| p.category.as_deref().and_then(category_leaf)),
            "product.price" => p.and_then(price_text(self.person)),
            "person.first_name" => self.person.first_name.clone(),
            "business.name" => Some(self.business.to_string()),
            _ => None,
        }
    }
}

fn price_text(person: &AdPerson) -> impl Fn(&Product) -> Option<String> + '_ {
    move |p: &Product| match (p.price_minor, p.currency.as_deref()) {
        (Some(minor), Some(currency)) if !currency.trim().is_empty() => {
            Some(format_price(minor, currency, &person.locale))
        }
        _ => None,
    }
}

struct Svg {
    out: String,
    clip: u32,
}

fn n(v: f32) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

impl Svg {
    fn rect(&mut self, b: Rect, radius: f32, fill: &str, extra: &str) {
        self.out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{}\"{extra}/>",
            n(b.x),
            n(b.y),
            n(b.w),
            n(b.h),
            n(radius),
            escape(fill)
        ));
    }

    /// Lines of text from the top of a box; returns the height used.
    #[allow(clippy::too_many_arguments)]
    fn lines(
        &mut self,
        lines: &[String],
        x: f32,
        top: f32,
        size: f32,
        bold: bool,
        fill: &str,
        anchor: &str,
    ) -> f32 {
        let line_height = size * 1.22;
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + size * 0.95 + i as f32 * line_height;
            self.out.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{} fill=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                n(x),
                n(baseline),
                n(size),
                if bold { " font-weight=\"bold\"" } else { "" },
                escape(fill),
                escape(line)
            ));
        }
        lines.len() as f32 * line_height
    }

    fn image(&mut self, b: Rect, radius: f32, data_url: &str) {
        self.clip += 1;
        let id = format!("c{}", self.clip);
        self.out.push_str(&format!(
            "<clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/></clipPath>",
            n(b.x),
            n(b.y),
            n(b.w),
            n(b.h),
            n(radius)
        ));
        self.rect(b, radius, "#ffffff", "");
        self.out.push_str(&format!(
            "<image clip-path=\"url(#{id})\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"xMidYMid meet\" href=\"{}\"/>",
            n(b.x),
            n(b.y),
            n(b.w),
            n(b.h),
            escape(data_url)
        ));
    }
}

/// Lucide icons (ISC licence) in a 24-unit box, by category keyword.
fn category_icon(category: &str) -> &'static [&'static str] {
    let c = category.to_ascii_lowercase();
    const CAMERA: &[&str] = &[
        "M13.997 4a2 2 0 0 1 1.76 1.05l.486.9A2 2 0 0 0 18.003 7H20a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2h1.997a2 2 0 0 0 1.759-1.048l.489-.904A2 2 0 0 1 10.004 4z",
        "M15 13a3 3 0 1 1-6 0a3 3 0 1 1 6 0z",
    ];
    const APERTURE: &[&str] = &[
        "M22 12a10 10 0 1 1-20 0a10 10 0 1 1 20 0z",
        "m14.31 8 5.74 9.94",
        "M9.69 8h11.48",
        "m7.38 12 5.74-9.94",
        "M9.69 16 3.95 6.06",
        "M14.31 16H2.83",
        "m16.62 12-5.74 9.94",
    ];
    const MIC: &[&str] = &[
        "M12 19v3",
        "M19 10v2a7 7 0 0 1-14 0v-2",
        "M12 2a3 3 0 0 1 3 3v7a3 3 0 0 1-6 0V5a3 3 0 0 1 3-3z",
    ];
    const LIGHT: &[&str] = &[
        "M15 14c.2-1 .7-1.7 1.5-2.5 1-.9 1.5-2.2 1.5-3.5A6 6 0 0 0 6 8c0 1 .2 2.2 1.5 3.5.7.7 1.3 1.5 1.5 2.5",
        "M9 18h6",
        "M10 22h4",
    ];
    const PLANE: &[&str] = &["M17.8 19.2 16 11l3.5-3.5C21 6 21.5 4 21 3c-1-.5-3 0-4.5 1.5L13 8 4.8 6.2c-.5-.1-.9.1-1.1.5l-.3.5c-.2.5-.1 1 .3 1.3L9 12l-2 3H4l-1 1 3 2 2 3 1-1v-3l3-2 3.5 5.3c.3.4.8.5 1.3.3l.5-.2c.4-.3.6-.7.5-1.2z"];
    const BAG: &[&str] = &[
        "M4 10a4 4 0 0 1 4-4h8a4 4 0 0 1 4 4v10a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2z",
        "M8 10h8",
        "M8 18h8",
        "M8 22v-6a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v6",
        "M9 6V4a2 2 0 0 1 2-2h2a2 2 0 0 1 2 2v2",
    ];
    const DRIVE: &[&str] = &[
        "M10 16h.01",
        "M2.212 11.577a2 2 0 0 0-.212.896V18a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-5.527a2 2 0 0 0-.212-.896L18.55 5.11A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z",
        "M21.946 12.013H2.054",
        "M6 16h.01",
    ];
    const VIDEO: &[&str] = &[
        "m16 13 5.223 3.482a.5.5 0 0 0 .777-.416V7.87a.5.5 0 0 0-.752-.432L16 10.5",
        "M4 6h10a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z",
    ];
    const SHOP: &[&str] = &[
        "M16 10a4 4 0 0 1-8 0",
        "M3.103 6.034h17.794",
        "M3.4 5.467a2 2 0 0 0-.4 1.2V20a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6.667a2 2 0 0 0-.4-1.2l-2-2.667A2 2 0 0 0 17 2H7a2 2 0 0 0-1.6.8z",
    ];
    if c.contains("camera") {
        CAMERA
    } else if c.contains("lens") || c.contains("filter") {
        APERTURE
    } else if c.contains("audio") || c.contains("mic") {
        MIC
    } else if c.contains("light") {
        LIGHT
    } else if c.contains("drone") {
        PLANE
    } else if c.contains("bag") || c.contains("case") {
        BAG
    } else if c.contains("memory") || c.contains("storage") {
        DRIVE
    } else if c.contains("tripod") || c.contains("gimbal") || c.contains("video") {
        VIDEO
    } else {
        SHOP
    }
}

/// A clean placeholder: a soft panel, the category's icon and the brand.
fn placeholder(svg: &mut Svg, b: Rect, radius: f32, product: Option<&Product>) {
    svg.rect(b, radius, "#f1f5f9", "");
    let icon = category_icon(product.and_then(|p| p.category.as_deref()).unwrap_or(""));
    let size = b.w.min(b.h) * 0.34;
    let brand = product.and_then(|p| p.brand.as_deref()).unwrap_or("");
    let brand_size = (b.w.min(b.h) * 0.085).max(9.0);
    let show_brand = !brand.is_empty() && b.h > 80.0;
    let block = size + if show_brand { brand_size * 1.8 } else { 0.0 };
    let x = b.x + (b.w - size) / 2.0;
    let y = b.y + (b.h - block) / 2.0;
    let scale = size / 24.0;
    svg.out.push_str(&format!(
        "<g transform=\"translate({} {}) scale({})\" fill=\"none\" stroke=\"#94a3b8\" stroke-width=\"1.5\" stroke-linecap=\"round\" stroke-linejoin=\"round\">",
        n(x),
        n(y),
        (scale * 1000.0).round() / 1000.0
    ));
    for d in icon {
        svg.out.push_str(&format!("<path d=\"{d}\"/>"));
    }
    svg.out.push_str("</g>");
    if show_brand {
        let label = wrap(&brand.to_uppercase(), b.w * 0.9, brand_size, true, 1);
        svg.lines(
            &label.lines,
            b.x + b.w / 2.0,
            y + size + brand_size * 0.6,
            brand_size,
            true,
            "#64748b",
            "middle",
        );
    }
}

fn logo(svg: &mut Svg, b: Rect, name: &str) {
    if let Some(bytes) = logo_svg(name) {
        let url = format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        );
        svg.out.push_str(&format!(
            "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" href=\"{url}\"/>",
            n(b.x),
            n(b.y),
            n(b.w),
            n(b.h)
        ));
    }
}

struct Ctx<'a> {
    template: &'a TemplateDefinition,
    format: AdFormat,
    person: &'a AdPerson,
    images: Option<&'a Path>,
    texts: Vec<DrawnText>,
    drawn_images: Vec<DrawnImage>,
}

impl Ctx<'_> {
    /// Tokens → text → platform limit → box. Returns the lines to draw.
    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        field: &str,
        card: u32,
        source: &str,
        product: Option<&Product>,
        limit: Option<u32>,
        width: f32,
        size: f32,
        bold: bool,
        max_lines: usize,
    ) -> Vec<String> {
        self.fitted(
            field,
            card,
            source,
            product,
            limit,
            width,
            (size, size),
            bold,
            max_lines,
        )
        .0
    }

    /// Like `field`, but first tries smaller sizes down to `sizes.1` (in 6%
    /// steps) before cutting the text; returns the lines and the size used.
    #[allow(clippy::too_many_arguments)]
    fn fitted(
        &mut self,
        field: &str,
        card: u32,
        source: &str,
        product: Option<&Product>,
        limit: Option<u32>,
        width: f32,
        sizes: (f32, f32),
        bold: bool,
        max_lines: usize,
    ) -> (Vec<String>, f32) {
        let pieces =
            tokens::parse(source).unwrap_or_else(|_| vec![tokens::Piece::Text(source.to_string())]);
        let filled = tokens::fill(
            &pieces,
            &Fill {
                product,
                person: self.person,
                business: &self.template.business_name,
            },
        );
        let (text, over_limit) =
            match limit.and_then(|l| cut_to_chars(&filled.text, l).map(|c| (c, l))) {
                Some((cut, l)) => (cut, Some(l)),
                None => (filled.text.clone(), None),
            };
        let (mut size, min) = sizes;
        let mut wrapped = wrap(&text, width, size, bold, max_lines);
        while wrapped.truncated && size * 0.94 >= min {
            size = (size * 0.94 * 10.0).round() / 10.0;
            wrapped = wrap(&text, width, size, bold, max_lines);
        }
        self.texts.push(DrawnText {
            field: field.to_string(),
            card,
            full: filled.text,
            shown: wrapped.lines.join(" "),
            over_limit,
            cut_to_fit: wrapped.truncated,
            empty_tokens: filled.empty_tokens,
        });
        (wrapped.lines, size)
    }

    fn product_image(
        &mut self,
        svg: &mut Svg,
        b: Rect,
        radius: f32,
        card: u32,
        product: Option<&Product>,
    ) {
        let Some(product) = product else {
            placeholder(svg, b, radius, None);
            return;
        };
        let resolved = images::resolve(product, self.images);
        match &resolved.data_url {
            Some(url) => svg.image(b, radius, url),
            None => placeholder(svg, b, radius, Some(product)),
        }
        self.drawn_images.push(DrawnImage {
            card,
            product_id: product.id,
            origin: resolved.origin,
        });
    }

    /// One single-image ad (or carousel card) at offset (dx, dy).
    fn unit(
        &mut self,
        svg: &mut Svg,
        l: &Layout,
        dx: f32,
        dy: f32,
        card: u32,
        product: Option<&Product>,
    ) {
        let t = self.template;
        let colors = &t.colors;
        let limits = self.format.limits();
        let at = |b: Rect| r(b.x + dx, b.y + dy, b.w, b.h);
        if let (Some(b), Some(name)) = (l.logo, t.logo.as_deref()) {
            logo(svg, at(b), name);
        }
        if let Some((b, size)) = l.business {
            let b = at(b);
            let lines = self.field(
                "business_name",
                card,
                &t.business_name,
                product,
                Some(limits.business_name),
                b.w,
                size,
                true,
                1,
            );
            svg.lines(
                &lines,
                b.x,
                b.y + (b.h - size * 1.22) / 2.0,
                size,
                true,
                &colors.text,
                "start",
            );
        }
        self.product_image(svg, at(l.image), l.image_radius, card, product);

        let text = at(l.text);
        let mut y = text.y;
        let (size, max) = l.headline;
        let (lines, size) = self.fitted(
            "headline",
            card,
            &t.headline,
            product,
            Some(limits.headline),
            text.w,
            (size, size * 0.85),
            true,
            max,
        );
        y += svg.lines(&lines, text.x, y, size, true, &colors.text, "start");
        if let Some(price) = product.and_then(price_text(self.person)) {
            y += size * 0.15;
            let wrapped = wrap(&price, text.w, l.price, true, 1);
            self.texts.push(DrawnText {
                field: "price".into(),
                card,
                full: price.clone(),
                shown: wrapped.lines.join(" "),
                over_limit: None,
                cut_to_fit: wrapped.truncated,
                empty_tokens: Vec::new(),
            });
            y += svg.lines(
                &wrapped.lines,
                text.x,
                y,
                l.price,
                true,
                &colors.accent,
                "start",
            );
        }
        let (size, max) = l.description;
        if max > 0 {
            y += size * 0.4;
            let room = ((text.y + text.h - y) / (size * 1.22)).floor().max(0.0) as usize;
            let lines = self.field(
                "description",
                card,
                &t.description,
                product,
                Some(limits.description),
                text.w,
                size,
                false,
                max.min(room),
            );
            svg.lines(&lines, text.x, y, size, false, &colors.text, "start");
        }

        let cta = at(l.cta);
        svg.rect(cta, cta.h.min(cta.w) * 0.18, &colors.accent, "");
        let (lines, size) = self.fitted(
            "call_to_action",
            card,
            &t.call_to_action,
            product,
            Some(limits.call_to_action),
            cta.w - l.cta_font * 1.2,
            (l.cta_font, l.cta_font * 0.7),
            true,
            1,
        );
        svg.lines(
            &lines,
            cta.x + cta.w / 2.0,
            cta.y + (cta.h - size * 1.22) / 2.0,
            size,
            true,
            &colors.accent_text,
            "middle",
        );
    }
}

/// Renders the template for a person and their picks (the first pick, or up
/// to 10 for a carousel). `images` is the folder local product images are
/// looked up in.
pub fn render(
    template: &TemplateDefinition,
    format: AdFormat,
    person: &AdPerson,
    picks: &[Pick],
    images: Option<&Path>,
) -> RenderedAd {
    let products: Vec<&Product> = picks
        .iter()
        .take(format.max_products() as usize)
        .map(|p| &p.product)
        .collect();
    let (width, height) = canvas_size(format, products.len());
    let mut svg = Svg {
        out: String::with_capacity(64 * 1024),
        clip: 0,
    };
    let colors = &template.colors;
    svg.out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"{FONT_FAMILY}, sans-serif\">"
    ));
    svg.rect(
        r(0.0, 0.0, width as f32, height as f32),
        0.0,
        &colors.background,
        "",
    );
    let mut ctx = Ctx {
        template,
        format,
        person,
        images,
        texts: Vec::new(),
        drawn_images: Vec::new(),
    };
    let l = layout(format);
    if format == AdFormat::MetaCarousel {
        // Header: logo, business name and the primary text, once.
        let pad = CAROUSEL_PAD;
        if let Some(name) = template.logo.as_deref() {
            logo(&mut svg, r(pad, 40.0, 88.0, 88.0), name);
        }
        let lines = ctx.field(
            "business_name",
            0,
            &template.business_name,
            products.first().copied(),
            Some(format.limits().business_name),
            width as f32 - 300.0,
            38.0,
            true,
            1,
        );
        svg.lines(&lines, pad + 112.0, 60.0, 38.0, true, &colors.text, "start");
        let lines = ctx.field(
            "description",
            0,
            &template.description,
            products.first().copied(),
            Some(format.limits().description),
            (width as f32 - 2.0 * pad).min(2000.0),
            32.0,
            false,
            2,
        );
        svg.lines(&lines, pad, 150.0, 32.0, false, &colors.text, "start");
        let cards: Vec<Option<&Product>> = if products.is_empty() {
            vec![None]
        } else {
            products.iter().map(|p| Some(*p)).collect()
        };
        for (i, product) in cards.into_iter().enumerate() {
            let dx = pad + i as f32 * (1080.0 + CAROUSEL_GAP);
            let dy = CAROUSEL_HEADER;
            svg.rect(
                r(dx, dy, 1080.0, 1080.0),
                24.0,
                &colors.background,
                " stroke=\"#cbd5e1\" stroke-width=\"2\"",
            );
            ctx.unit(&mut svg, &l, dx, dy, i as u32, product);
        }
    } else {
        ctx.unit(&mut svg, &l, 0.0, 0.0, 0, products.first().copied());
    }
    svg.out.push_str("</svg>");
    RenderedAd {
        format,
        width,
        height,
        svg: svg.out,
        texts: ctx.texts,
        images: ctx.drawn_images,
        product_ids: products.iter().map(|p| p.id).collect(),
    }
}

fn options() -> &'static resvg::usvg::Options<'static> {
    static OPTIONS: OnceLock<resvg::usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(crate::text::REGULAR.to_vec());
        db.load_font_data(crate::text::BOLD.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        let mut opt = resvg::usvg::Options {
            font_family: FONT_FAMILY.to_string(),
            fontdb: Arc::new(db),
            ..Default::default()
        };
        // Only data: URLs are ever resolved: no file and no network reference.
        opt.image_href_resolver.resolve_string = Box::new(|_, _| None);
        opt
    })
}

/// The file type an ad is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImageKind {
    Png,
    Svg,
}

impl ImageKind {
    /// SVG when the path ends in `.svg` (any case), PNG otherwise.
    pub fn for_path(path: &Path) -> ImageKind {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("svg") => ImageKind::Svg,
            _ => ImageKind::Png,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Svg => "svg",
        }
    }

    /// The bytes of a rendered SVG as this kind of file.
    pub fn encode(self, svg: &str) -> Result<Vec<u8>> {
        match self {
            ImageKind::Svg => Ok(svg.as_bytes().to_vec()),
            ImageKind::Png => svg_to_png(svg),
        }
    }
}

/// Rasterises an SVG we rendered to PNG bytes at its own size.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>> {
    let tree =
        resvg::usvg::Tree::from_str(svg, options()).map_err(|e| Error::Render(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
            Error::Render(format!(
                "cannot allocate {}×{} pixels",
                size.width(),
                size.height()
            ))
        })?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| Error::Render(e.to_string()))
}

#[cfg(test)]
mod image_kind_tests {
    use super::*;

    #[test]
    fn the_extension_decides_and_png_is_the_default() {
        assert_eq!(ImageKind::for_path(Path::new("ad.SVG")), ImageKind::Svg);
        assert_eq!(ImageKind::for_path(Path::new("ad.png")), ImageKind::Png);
        assert_eq!(ImageKind::for_path(Path::new("ad")), ImageKind::Png);
        assert_eq!(ImageKind::Svg.encode("<svg/>").unwrap(), b"<svg/>".to_vec());
    }
}
