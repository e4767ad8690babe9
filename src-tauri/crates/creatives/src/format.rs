//! The platforms' ad formats: pixel sizes and text limits.
//!
//! Sizes are the platforms' recommended upload sizes. Text limits are the
//! platforms' own character limits for the fields we fill: Meta's headline
//! (40), primary text (125) and carousel card headline (32); Google's
//! responsive display short headline (30), description (90) and business
//! name (25). Fixed-size Google display ads carry their text inside the image,
//! so the same limits are applied to them. Call-to-action labels are kept to
//! what fits on the platforms' buttons (Meta 20, Google 15 characters).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Meta,
    Google,
}

/// One ad format a creative can be rendered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum AdFormat {
    /// Meta feed, 1:1, 1080×1080.
    #[serde(rename = "meta_square")]
    MetaSquare,
    /// Meta feed, 4:5, 1080×1350.
    #[serde(rename = "meta_portrait")]
    MetaPortrait,
    /// Meta Stories and Reels, 9:16, 1080×1920.
    #[serde(rename = "meta_story")]
    MetaStory,
    /// Meta carousel: up to 10 cards of 1080×1080, one product each.
    #[serde(rename = "meta_carousel")]
    MetaCarousel,
    /// Google responsive display, landscape 1.91:1, 1200×628.
    #[serde(rename = "google_landscape")]
    GoogleLandscape,
    /// Google responsive display, square 1:1, 1200×1200.
    #[serde(rename = "google_square")]
    GoogleSquare,
    /// Google medium rectangle, 300×250.
    #[serde(rename = "google_300x250")]
    Google300x250,
    /// Google leaderboard, 728×90.
    #[serde(rename = "google_728x90")]
    Google728x90,
    /// Google wide skyscraper, 160×600.
    #[serde(rename = "google_160x600")]
    Google160x600,
    /// Google mobile banner, 320×50.
    #[serde(rename = "google_320x50")]
    Google320x50,
}

/// Character limits of the text fields, per format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextLimits {
    pub headline: u32,
    pub description: u32,
    pub call_to_action: u32,
    pub business_name: u32,
}

/// What the UI and the CLI show about a format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FormatSpec {
    pub format: AdFormat,
    pub platform: Platform,
    /// "Meta 1:1", "Google 300×250", ...
    pub label: String,
    /// Pixel size of one image (one card for a carousel).
    pub width: u32,
    pub height: u32,
    /// How many products the format shows (carousel: up to 10 cards).
    pub max_products: u32,
    pub limits: TextLimits,
}

const META: TextLimits = TextLimits {
    headline: 40,
    description: 125,
    call_to_action: 20,
    business_name: 25,
};
const META_CAROUSEL: TextLimits = TextLimits {
    headline: 32,
    description: 125,
    call_to_action: 20,
    business_name: 25,
};
const GOOGLE: TextLimits = TextLimits {
    headline: 30,
    description: 90,
    call_to_action: 15,
    business_name: 25,
};

impl AdFormat {
    pub const ALL: [AdFormat; 10] = [
        AdFormat::MetaSquare,
        AdFormat::MetaPortrait,
        AdFormat::MetaStory,
        AdFormat::MetaCarousel,
        AdFormat::GoogleLandscape,
        AdFormat::GoogleSquare,
        AdFormat::Google300x250,
        AdFormat::Google728x90,
        AdFormat::Google160x600,
        AdFormat::Google320x50,
    ];

    /// The id used in JSON, the CLI and file names.
    pub fn id(self) -> &'static str {
        match self {
            AdFormat::MetaSquare => "meta_square",
            AdFormat::MetaPortrait => "meta_portrait",
            AdFormat::MetaStory => "meta_story",
            AdFormat::MetaCarousel => "meta_carousel",
            AdFormat::GoogleLandscape => "google_landscape",
            AdFormat::GoogleSquare => "google_square",
            AdFormat::Google300x250 => "google_300x250",
            AdFormat::Google728x90 => "google_728x90",
            AdFormat::Google160x600 => "google_160x600",
            AdFormat::Google320x50 => "google_320x50",
        }
    }

    pub fn ids() -> Vec<&'static str> {
        AdFormat::ALL.iter().map(|f| f.id()).collect()
    }

    /// Parses an id; also accepts the short names people type
    /// (`1:1`, `4:5`, `9:16`, `carousel`, `1.91:1`, `300x250`, ...).
    pub fn parse(text: &str) -> Result<AdFormat> {
        let t = text.trim().to_ascii_lowercase();
        let found = AdFormat::ALL.iter().copied().find(|f| f.id() == t);
        found
            .or(match t.as_str() {
                "1:1" | "square" => Some(AdFormat::MetaSquare),
                "4:5" | "portrait" => Some(AdFormat::MetaPortrait),
                "9:16" | "story" | "stories" | "reels" => Some(AdFormat::MetaStory),
                "carousel" => Some(AdFormat::MetaCarousel),
                "1.91:1" | "landscape" => Some(AdFormat::GoogleLandscape),
                "300x250" => Some(AdFormat::Google300x250),
                "728x90" => Some(AdFormat::Google728x90),
                "160x600" => Some(AdFormat::Google160x600),
                "320x50" => Some(AdFormat::Google320x50),
                _ => None,
            })
            .ok_or_else(|| Error::UnknownFormat(text.to_string()))
    }

    pub fn platform(self) -> Platform {
        match self {
            AdFormat::MetaSquare
            | AdFormat::MetaPortrait
            | AdFormat::MetaStory
            | AdFormat::MetaCarousel => Platform::Meta,
            _ => Platform::Google,
        }
    }

    /// Pixel size of one image (one card of a carousel).
    pub fn size(self) -> (u32, u32) {
        match self {
            AdFormat::MetaSquare | AdFormat::MetaCarousel => (1080, 1080),
            AdFormat::MetaPortrait => (1080, 1350),
            AdFormat::MetaStory => (1080, 1920),
            AdFormat::GoogleLandscape => (1200, 628),
            AdFormat::GoogleSquare => (1200, 1200),
            AdFormat::Google300x250 => (300, 250),
            AdFormat::Google728x90 => (728, 90),
            AdFormat::Google160x600 => (160, 600),
            AdFormat::Google320x50 => (320, 50),
        }
    }

    pub fn limits(self) -> TextLimits {
        match self {
            AdFormat::MetaCarousel => META_CAROUSEL,
            f if f.platform() == Platform::Meta => META,
            _ => GOOGLE,
        }
    }

    pub fn max_products(self) -> u32 {
        if self == AdFormat::MetaCarousel {
            10
        } else {
            1
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AdFormat::MetaSquare => "Meta 1:1",
            AdFormat::MetaPortrait => "Meta 4:5",
            AdFormat::MetaStory => "Meta 9:16",
            AdFormat::MetaCarousel => "Meta carousel",
            AdFormat::GoogleLandscape => "Google 1.91:1",
            AdFormat::GoogleSquare => "Google 1:1",
            AdFormat::Google300x250 => "Google 300×250",
            AdFormat::Google728x90 => "Google 728×90",
            AdFormat::Google160x600 => "Google 160×600",
            AdFormat::Google320x50 => "Google 320×50",
        }
    }

    pub fn spec(self) -> FormatSpec {
        let (width, height) = self.size();
        FormatSpec {
            format: self,
            platform: self.platform(),
            label: self.label().to_string(),
            width,
            height,
            max_products: self.max_products(),
            limits: self.limits(),
        }
    }
}

/// Every format, in the order the UI offers them.
pub fn formats() -> Vec<FormatSpec> {
    AdFormat::ALL.iter().map(|f| f.spec()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_parse_and_serde() {
        for f in AdFormat::ALL {
            assert_eq!(AdFormat::parse(f.id()).unwrap(), f);
            assert_eq!(serde_json::to_value(f).unwrap(), f.id());
        }
        assert_eq!(AdFormat::parse("9:16").unwrap(), AdFormat::MetaStory);
        assert_eq!(AdFormat::parse("300X250").unwrap(), AdFormat::Google300x250);
        let err = AdFormat::parse("billboard").unwrap_err().to_string();
        assert!(
            err.contains("billboard") && err.contains("meta_square"),
            "{err}"
        );
    }

    #[test]
    fn sizes_and_aspect_ratios_are_the_platforms() {
        let ratio = |f: AdFormat| {
            let (w, h) = f.size();
            w as f64 / h as f64
        };
        assert_eq!(ratio(AdFormat::MetaSquare), 1.0);
        assert_eq!(ratio(AdFormat::MetaPortrait), 0.8);
        assert_eq!(ratio(AdFormat::MetaStory), 9.0 / 16.0);
        assert!((ratio(AdFormat::GoogleLandscape) - 1.91).abs() < 0.005);
        assert_eq!(ratio(AdFormat::GoogleSquare), 1.0);
        assert_eq!(AdFormat::Google300x250.size(), (300, 250));
        assert_eq!(AdFormat::Google728x90.size(), (728, 90));
        assert_eq!(AdFormat::Google160x600.size(), (160, 600));
        assert_eq!(AdFormat::Google320x50.size(), (320, 50));
        assert_eq!(AdFormat::MetaCarousel.max_products(), 10);
        assert_eq!(AdFormat::GoogleSquare.limits().headline, 30);
        assert_eq!(AdFormat::MetaSquare.limits().headline, 40);
        assert_eq!(AdFormat::MetaCarousel.limits().headline, 32);
    }
}
