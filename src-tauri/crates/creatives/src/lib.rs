//! Rebound's creatives: dynamic retargeting ads previewed per person.
//!
//! - `picks`: the products a person's ad shows (carted, viewed, co-bought,
//!   co-viewed; bought and out-of-stock left out), each with its reason.
//! - `format`: the Meta and Google formats, sizes and text limits.
//! - `template`: headline, description and call to action with tokens,
//!   colours, logo; the demo brand's built-ins.
//! - `tokens`: `{{product.title}}`, `{{product.price}}`, `{{person.first_name | fallback}}`.
//! - `money`: prices in the product's currency and the person's locale.
//! - `text`: DejaVu Sans metrics, wrapping, truncation, XML escaping.
//! - `images`: local product images only (feed paths or the images folder).
//! - `render`: SVG written by hand with every text escaped; PNG via resvg.
//! - `lint`: truncated text, missing image/price/link, text vs the feed.
//! - `preview`: one person, a segment sample grid, people to preview.
//! - `store`: templates in the workspace; the images folder setting.

#[cfg(test)]
mod bindings;
pub mod error;
pub mod format;
pub mod images;
pub mod lint;
pub mod money;
pub mod picks;
pub mod preview;
pub mod render;
pub mod store;
pub mod template;
pub mod text;
pub mod tokens;

pub use error::{Error, Result};
pub use format::{formats, AdFormat, FormatSpec, Platform, TextLimits};
pub use images::ImageOrigin;
pub use lint::{lint, Finding, Severity};
pub use money::format_price;
pub use picks::{catalog, picks_for_person, Catalog, Pick, PickKind, Product};
pub use preview::{
    load_person, preview, preview_grid, preview_moment, preview_with, suggested_people,
    suggestion_moment, CreativeFile, GridCell, Preview, PreviewGrid, PreviewPerson,
    SuggestedPerson, BEHAVIOUR_EVENTS,
};
pub use render::{
    canvas_size, render, svg_to_png, AdPerson, DrawnImage, DrawnText, ImageKind, RenderedAd,
};
pub use store::{
    delete_template, find_template, get_template, images_folder, list_templates, save_template,
    set_images_folder, SavedTemplate,
};
pub use template::{
    demo_templates, logos, starter_templates, LogoChoice, TemplateColors, TemplateDefinition,
};
pub use tokens::{token_help, TokenHelp};
