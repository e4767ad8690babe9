//! Creative templates: the text (with tokens), colours, logo and business
//! name a brand fills its dynamic product ads with. A template is not tied to
//! one format: it renders to every format of both platforms, and remembers
//! the one it is usually previewed in.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::format::AdFormat;
use crate::tokens;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TemplateColors {
    /// `#rrggbb`: the ad's background.
    pub background: String,
    /// `#rrggbb`: headline and description.
    pub text: String,
    /// `#rrggbb`: price and call-to-action button.
    pub accent: String,
    /// `#rrggbb`: the call-to-action label on the accent colour.
    pub accent_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TemplateDefinition {
    pub name: String,
    pub headline: String,
    pub description: String,
    pub call_to_action: String,
    pub business_name: String,
    pub colors: TemplateColors,
    /// A logo from `assets/logos/` by name (see [`logos`]), or none.
    #[ts(optional)]
    pub logo: Option<String>,
    pub default_format: AdFormat,
}

/// A logo the templates can use, shipped in `assets/logos/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LogoChoice {
    pub name: String,
    pub label: String,
    /// The logo as an `data:image/svg+xml;base64,...` URL, for the picker.
    pub data_url: String,
}

const LOGOS: &[(&str, &str, &[u8])] = &[
    (
        "aperture-co",
        "Aperture & Co. (demo shop)",
        include_bytes!("../../../../assets/logos/aperture-co.svg"),
    ),
    (
        "rebound",
        "Rebound",
        include_bytes!("../../../../assets/logo.svg"),
    ),
];

/// The logo's SVG bytes by name.
pub fn logo_svg(name: &str) -> Option<&'static [u8]> {
    LOGOS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, b)| *b)
}

pub fn logos() -> Vec<LogoChoice> {
    use base64::Engine;
    LOGOS
        .iter()
        .map(|(name, label, bytes)| LogoChoice {
            name: (*name).to_string(),
            label: (*label).to_string(),
            data_url: format!(
                "data:image/svg+xml;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            ),
        })
        .collect()
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

impl TemplateDefinition {
    /// Checks names, colours, the logo and every token; errors name the field
    /// and, for tokens, the column.
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, reason: String| Error::InvalidTemplate {
            template: self.name.clone(),
            field: field.to_string(),
            reason,
        };
        let name = self.name.trim();
        if name.is_empty() {
            return Err(bad("name", "a template needs a name".into()));
        }
        if name.chars().count() > 80 {
            return Err(bad("name", "keep the name under 80 characters".into()));
        }
        for (field, text) in [
            ("headline", &self.headline),
            ("description", &self.description),
            ("call_to_action", &self.call_to_action),
        ] {
            tokens::parse(text)
                .map_err(|e| bad(&format!("{field}, column {}", e.column), e.reason))?;
        }
        if self.headline.trim().is_empty() {
            return Err(bad("headline", "the headline cannot be empty".into()));
        }
        if self.call_to_action.trim().is_empty() {
            return Err(bad(
                "call_to_action",
                "the call to action cannot be empty".into(),
            ));
        }
        for (field, value) in [
            ("colors.background", &self.colors.background),
            ("colors.text", &self.colors.text),
            ("colors.accent", &self.colors.accent),
            ("colors.accent_text", &self.colors.accent_text),
        ] {
            if !is_hex_colour(value) {
                return Err(bad(
                    field,
                    format!("{value:?} is not a colour like #1f2937"),
                ));
            }
        }
        if let Some(logo) = &self.logo {
            if logo_svg(logo).is_none() {
                let known: Vec<&str> = LOGOS.iter().map(|(n, _, _)| *n).collect();
                return Err(bad(
                    "logo",
                    format!("no logo named {logo:?}; the logos are {}", known.join(", ")),
                ));
            }
        }
        Ok(())
    }
}

/// A neutral template to start from: a business name to replace, no logo,
/// plain colours, copy that reads right with or without a first name.
fn starter(
    name: &str,
    headline: &str,
    description: &str,
    call_to_action: &str,
    default_format: AdFormat,
) -> TemplateDefinition {
    TemplateDefinition {
        name: name.into(),
        headline: headline.into(),
        description: description.into(),
        call_to_action: call_to_action.into(),
        business_name: "Your shop".into(),
        colors: TemplateColors {
            background: "#ffffff".into(),
            text: "#1f2937".into(),
            accent: "#2563eb".into(),
            accent_text: "#ffffff".into(),
        },
        logo: None,
        default_format,
    }
}

/// The templates a marketer's own workspace starts with.
pub fn starter_templates() -> Vec<TemplateDefinition> {
    vec![
        starter(
            "Starter · Still thinking",
            "{{product.title}}",
            "Still thinking it over, {{person.first_name | }}? It is still here for you.",
            "Shop now",
            AdFormat::MetaSquare,
        ),
        starter(
            "Starter · Back to your cart",
            "Still in your cart",
            "{{product.title}} is waiting for you, {{person.first_name | }}. Check out in a minute.",
            "Complete order",
            AdFormat::GoogleLandscape,
        ),
        starter(
            "Starter · Picked for you",
            "More from {{product.brand | our shop}}",
            "Picked for you, {{person.first_name | }}: more like what you looked at.",
            "See more",
            AdFormat::MetaCarousel,
        ),
    ]
}

/// The demo brand's templates, added to a workspace that has the demo data.
pub fn demo_templates() -> Vec<TemplateDefinition> {
    vec![
        TemplateDefinition {
            name: "Aperture & Co. · Still thinking".into(),
            headline: "{{product.title}}".into(),
            description: "Still thinking it over, {{person.first_name | }}? Free 2-day shipping and 30-day returns.".into(),
            call_to_action: "Shop now".into(),
            business_name: "Aperture & Co.".into(),
            colors: TemplateColors {
                background: "#ffffff".into(),
                text: "#111827".into(),
                accent: "#e4572e".into(),
                accent_text: "#ffffff".into(),
            },
            logo: Some("aperture-co".into()),
            default_format: AdFormat::MetaSquare,
        },
        TemplateDefinition {
            name: "Aperture & Co. · Complete your kit".into(),
            headline: "Complete your kit: {{product.brand}}".into(),
            description: "Picked for you, {{person.first_name | }}: gear that goes with what you shoot.".into(),
            call_to_action: "See the gear".into(),
            business_name: "Aperture & Co.".into(),
            colors: TemplateColors {
                background: "#0f172a".into(),
                text: "#f8fafc".into(),
                accent: "#fbbf24".into(),
                accent_text: "#111827".into(),
            },
            logo: Some("aperture-co".into()),
            default_format: AdFormat::MetaCarousel,
        },
        TemplateDefinition {
            name: "Aperture & Co. · Back to your cart".into(),
            headline: "Still in your cart".into(),
            description: "{{product.title}} is waiting, {{person.first_name | }}. Check out in a minute.".into(),
            call_to_action: "Complete order".into(),
            business_name: "Aperture & Co.".into(),
            colors: TemplateColors {
                background: "#fff7ed".into(),
                text: "#1c1917".into(),
                accent: "#0f766e".into(),
                accent_text: "#ffffff".into(),
            },
            logo: Some("aperture-co".into()),
            default_format: AdFormat::GoogleLandscape,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_are_valid() {
        for t in demo_templates().into_iter().chain(starter_templates()) {
            t.validate().unwrap();
        }
    }

    #[test]
    fn validation_names_the_field() {
        let mut t = demo_templates().remove(0);
        t.colors.accent = "orange".into();
        let err = t.validate().unwrap_err().to_string();
        assert!(
            err.contains("colors.accent") && err.contains("orange"),
            "{err}"
        );
        let mut t = demo_templates().remove(0);
        t.description = "Hi {{person.name}}".into();
        let err = t.validate().unwrap_err().to_string();
        assert!(err.contains("description, column 4"), "{err}");
        let mut t = demo_templates().remove(0);
        t.logo = Some("../../etc/passwd".into());
        assert!(t
            .validate()
            .unwrap_err()
            .to_string()
            .contains("no logo named"));
    }
}
