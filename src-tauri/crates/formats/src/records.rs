//! The typed records the parsers produce. Ids are strings (a 19-digit REES46
//! `category_id` stays exact), money is [`Money`] in integer minor units with its
//! currency, times are UTC microseconds with the original offset kept where the file
//! had one, and dates are ISO `YYYY-MM-DD` strings.

use crate::values::{DateRange, Money, Percent};
use serde::{Deserialize, Serialize};

/// One record handed to the importer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Event(Event),
    CampaignMetrics(CampaignMetrics),
    Ga4Row(Ga4Row),
    GscRow(GscRow),
    GscFilter(GscFilter),
    Order(Order),
    Product(Product),
    Contact(Contact),
    AbPerson(AbPerson),
    AbAggregate(AbAggregate),
    EditorEntity(EditorEntity),
}

/// Something a person did at a time.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Event {
    pub line: u64,
    /// Anonymous id: REES46 `user_session` owner is `user_id`; Retailrocket `visitorid`;
    /// GA4 `user_pseudo_id`.
    pub visitor_id: Option<String>,
    /// Signed-in id (GA4 `user_id`, REES46 `user_id`).
    pub user_id: Option<String>,
    pub email: Option<String>,
    pub timestamp_micros: i64,
    /// Normalised: page_view, view_item, add_to_cart, remove_from_cart, begin_checkout,
    /// purchase, ... ; unknown names are kept lower-case as written.
    pub event_name: String,
    /// The name as written in the file.
    pub raw_event_name: String,
    pub product_id: Option<String>,
    pub category_id: Option<String>,
    pub category_code: Option<String>,
    pub brand: Option<String>,
    pub price: Option<Money>,
    pub quantity: Option<i64>,
    pub session_id: Option<String>,
    pub transaction_id: Option<String>,
    /// The device category as the file wrote it ("mobile", "desktop", "tablet", "smart tv").
    pub device: Option<String>,
    /// The device's operating system (GA4 `device.operating_system`).
    pub device_os: Option<String>,
    /// The browser (GA4 `device.web_info.browser`).
    pub device_browser: Option<String>,
    pub source: Option<String>,
    pub page: Option<String>,
    pub items: Vec<EventItem>,
}

/// An item of a GA4 event (`items` repeated record).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EventItem {
    pub product_id: Option<String>,
    pub name: Option<String>,
    pub category: Option<String>,
    pub brand: Option<String>,
    pub price: Option<Money>,
    pub quantity: Option<i64>,
}

/// Maps the event names of the known logs to the product's vocabulary.
pub fn normalise_event_name(raw: &str) -> String {
    let lower = raw.trim().to_ascii_lowercase();
    match lower.as_str() {
        "view" | "product_view" | "view_item" | "detail" | "viewcontent" | "view_content" => {
            "view_item"
        }
        "cart" | "addtocart" | "add_to_cart" | "add-to-cart" | "addtobasket" => "add_to_cart",
        "remove_from_cart" | "removefromcart" | "remove_from_basket" => "remove_from_cart",
        "purchase" | "transaction" | "order" | "order_completed" => "purchase",
        "begin_checkout" | "checkout" | "initiatecheckout" | "initiate_checkout" => {
            "begin_checkout"
        }
        "page_view" | "pageview" | "screen_view" => "page_view",
        "sign_up" | "signup" | "completeregistration" => "sign_up",
        "start_trial" | "starttrial" => "start_trial",
        _ => return lower,
    }
    .to_string()
}

/// Where an ad-platform metric row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdPlatform {
    GoogleAds,
    Meta,
}

/// One row of an ad report: a campaign (or ad, or ad set by age and gender) over a day
/// or a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignMetrics {
    pub line: u64,
    pub platform: AdPlatform,
    pub campaign: String,
    pub campaign_id: Option<String>,
    pub ad_group: Option<String>,
    pub ad: Option<String>,
    pub status: Option<String>,
    pub campaign_type: Option<String>,
    /// The day for daily rows, otherwise the report period.
    pub date: Option<String>,
    pub period: DateRange,
    pub age: Option<String>,
    pub gender: Option<String>,
    pub impressions: Option<i64>,
    pub reach: Option<i64>,
    pub clicks: Option<i64>,
    pub cost: Option<Money>,
    pub conversions: Option<f64>,
    pub conversion_value: Option<Money>,
    pub ctr: Option<Percent>,
    pub search_impression_share: Option<Percent>,
    /// Other columns, as written, placeholders removed.
    pub other: Vec<(String, String)>,
}

/// One data row of a GA4 report or exploration section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ga4Row {
    pub line: u64,
    /// 1-based section number (multi-card "Report CSV Export" files have several).
    pub section: u32,
    pub cells: Vec<Ga4Cell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ga4Cell {
    pub column: String,
    pub text: String,
    /// The value as a number when it is one (GA4 writes raw unrounded numbers and
    /// fractions for rates). Dimension cells such as `0001` keep their text.
    pub number: Option<f64>,
}

/// A section of a GA4 download with its own header and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ga4Section {
    pub number: u32,
    pub heading: Option<String>,
    pub header: Vec<String>,
    pub period: DateRange,
    pub first_line: u64,
    pub rows: u64,
    /// Explorations: the grand total row, which is not data.
    pub grand_total: Vec<String>,
}

/// Which dimension a Search Console row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GscDimension {
    Date,
    Query,
    Page,
    Country,
    Device,
    SearchAppearance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GscRow {
    pub line: u64,
    pub dimension: GscDimension,
    pub key: String,
    pub clicks: i64,
    pub impressions: i64,
    /// Fraction: `1.2%` is 0.012.
    pub ctr: Option<f64>,
    pub position: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GscFilter {
    pub line: u64,
    pub filter: String,
    pub value: String,
}

/// A Shopify order with its line items (the export has one row per line item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub line: u64,
    /// As written, with its `#`: `#1051`.
    pub name: String,
    pub email: Option<String>,
    pub financial_status: Option<String>,
    pub fulfillment_status: Option<String>,
    pub accepts_marketing: Option<bool>,
    pub currency: Option<String>,
    pub subtotal: Option<Money>,
    pub shipping: Option<Money>,
    pub taxes: Option<Money>,
    pub total: Option<Money>,
    pub discount_code: Option<String>,
    pub discount_amount: Option<Money>,
    pub created_at_micros: Option<i64>,
    /// The offset the store wrote (`-0500` is -18000).
    pub created_at_offset_seconds: Option<i32>,
    pub source: Option<String>,
    pub line_items: Vec<LineItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    pub line: u64,
    pub quantity: i64,
    pub name: String,
    pub price: Option<Money>,
    pub sku: Option<String>,
    pub vendor: Option<String>,
}

/// Stock state, normalised from `in_stock`, `in stock`, `out of stock`, ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    InStock,
    OutOfStock,
    Preorder,
    Backorder,
    Other(String),
}

impl Availability {
    pub fn parse(text: &str) -> Option<Availability> {
        let t = text.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        Some(match t.as_str() {
            "" => return None,
            "in stock" | "instock" | "available for order" => Availability::InStock,
            "out of stock" | "outofstock" | "discontinued" => Availability::OutOfStock,
            "preorder" | "pre order" => Availability::Preorder,
            "backorder" | "back order" => Availability::Backorder,
            _ => Availability::Other(text.trim().to_string()),
        })
    }
}

/// A catalogue row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub line: u64,
    pub id: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub image_link: Option<String>,
    pub availability: Option<Availability>,
    pub price: Option<Money>,
    pub sale_price: Option<Money>,
    pub brand: Option<String>,
    pub condition: Option<String>,
    pub item_group_id: Option<String>,
    pub google_product_category: Option<String>,
    pub product_type: Option<String>,
    pub gtin: Option<String>,
    pub mpn: Option<String>,
    /// `shipping(country:price)` style columns split into named parts; an empty part
    /// means "all".
    pub sub_attributes: Vec<SubAttribute>,
    /// Other columns as written.
    pub other: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubAttribute {
    pub attribute: String,
    pub parts: Vec<(String, String)>,
}

/// A channel a person can consent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    Push,
    Phone,
    Ads,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consent {
    pub channel: Channel,
    pub granted: bool,
    /// The column it came from.
    pub column: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub line: u64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub external_id: Option<String>,
    pub consents: Vec<Consent>,
    pub other: Vec<(String, String)>,
}

/// One person's outcome in an A/B test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbPerson {
    pub line: u64,
    pub unit_id: String,
    pub variant: String,
    pub timestamp_micros: Option<i64>,
    /// Numeric and yes/no outcomes (yes is 1.0), by column name.
    pub metrics: Vec<(String, f64)>,
    /// The column [`crate::ab`] counts as the conversion (as `experiment
    /// analyze` would), when the file has one.
    pub outcome: Option<String>,
}

/// Totals for one variant (per day when the file has dates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbAggregate {
    pub line: u64,
    pub variant: String,
    pub date: Option<String>,
    pub spend: Option<Money>,
    /// Counts by column name (leading `#`/`of` and spaces removed), empty cells absent.
    pub metrics: Vec<(String, i64)>,
}

/// A Google Ads Editor row (campaign, ad group, keyword, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorEntity {
    pub line: u64,
    /// `campaign`, `keyword`, `ad_group` or `row`.
    pub entity: String,
    pub campaign: String,
    pub ad_group: Option<String>,
    pub keyword: Option<String>,
    pub budget: Option<Money>,
    /// Other non-empty columns; `;`-joined lists split, `[]` and ` -` dropped.
    pub attributes: Vec<(String, Vec<String>)>,
}
