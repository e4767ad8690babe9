//! Built-in segment templates, the audiences the seed article names: cart
//! abandoners, product viewers without purchase, trial sign-ups not
//! converted, pricing-page visitors, high-intent versus casual browsers,
//! lapsed customers, and recent purchasers (to exclude from retargeting).
//!
//! Each is an ordinary definition the user can open and change. Remarketing
//! templates check e-mail consent and leave out people without it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{
    Channel, ConsentPolicy, CountCondition, CountOp, EventFilter, EventSpec, Purpose, RecencyOp,
    Rule, SegmentDefinition, Span, TextMatch, Window, SCHEMA_VERSION,
};

/// A template as the "new segment" screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Template {
    /// Stable key (`cart_abandoners`, ...).
    pub key: String,
    pub definition: SegmentDefinition,
}

/// The product category of the software subscription in the catalog.
pub const SOFTWARE_CATEGORY: &str = "Software";

fn definition(name: &str, description: &str, purpose: Purpose, rule: Rule) -> SegmentDefinition {
    let consent = match purpose {
        Purpose::Remarketing => Some(ConsentPolicy {
            channel: Channel::Email,
            include_without_consent: false,
        }),
        Purpose::Retargeting => None,
    };
    SegmentDefinition {
        version: SCHEMA_VERSION,
        name: name.to_string(),
        description: Some(description.to_string()),
        purpose,
        consent,
        rule,
    }
}

fn did(event: EventSpec, days: u32) -> Rule {
    Rule::Did {
        event,
        count: CountCondition::default(),
        window: Window::LastDays { days },
    }
}

fn did_not(event: EventSpec, days: u32) -> Rule {
    Rule::DidNot {
        event,
        window: Window::LastDays { days },
    }
}

fn all(rules: Vec<Rule>) -> Rule {
    Rule::All { rules }
}

fn software_purchase() -> EventSpec {
    EventSpec::named("purchase").with(EventFilter::Category {
        any_of: vec![SOFTWARE_CATEGORY.to_string()],
    })
}

/// Added to cart in the last 14 days, did not buy within 24 hours of it, and
/// has not bought since.
pub fn cart_abandoners() -> SegmentDefinition {
    definition(
        "Cart abandoners",
        "Added to cart in the last 14 days, no purchase within 24 hours and none since.",
        Purpose::Retargeting,
        // Not "no purchase in 14 days": someone who bought, then carted
        // again and left, has abandoned that later cart.
        Rule::NotFollowedBy {
            first: EventSpec::named("add_to_cart"),
            then: EventSpec::named("purchase"),
            within: Span::Hours(24),
            window: Window::LastDays { days: 14 },
            none_since: true,
        },
    )
}

/// Viewed a product in the last 7 days and bought nothing in those 7 days.
pub fn product_viewers_without_purchase() -> SegmentDefinition {
    definition(
        "Product viewers without purchase (7 days)",
        "Viewed a product in the last 7 days and did not buy in those 7 days.",
        Purpose::Retargeting,
        all(vec![
            did(EventSpec::named("view_item"), 7),
            did_not(EventSpec::named("purchase"), 7),
        ]),
    )
}

/// Started a trial in the last 30 days, more than a day ago, and has not
/// bought the software since.
pub fn trial_signups_not_converted() -> SegmentDefinition {
    definition(
        "Trial sign-ups not converted",
        "Started a trial in the last 30 days, more than a day ago, and has not bought a software plan since.",
        Purpose::Remarketing,
        Rule::NotFollowedBy {
            first: EventSpec::named("start_trial"),
            then: software_purchase(),
            within: Span::Hours(24),
            window: Window::LastDays { days: 30 },
            none_since: true,
        },
    )
}

/// Visited the pricing page in the last 14 days without buying the software.
pub fn pricing_page_visitors() -> SegmentDefinition {
    definition(
        "Pricing-page visitors",
        "Visited /pricing in the last 14 days and has not bought a software plan in those 14 days.",
        Purpose::Retargeting,
        all(vec![
            did(
                EventSpec::named("page_view").with(EventFilter::Page {
                    matches: TextMatch::Equals,
                    value: "/pricing".to_string(),
                }),
                14,
            ),
            did_not(software_purchase(), 14),
        ]),
    )
}

/// In the last 14 days: began a checkout, added to cart, or viewed at least
/// five products; and bought nothing.
pub fn high_intent_browsers() -> SegmentDefinition {
    definition(
        "High-intent browsers",
        "In the last 14 days began a checkout, added to cart or viewed 5+ products, and bought nothing.",
        Purpose::Retargeting,
        all(vec![
            Rule::Any {
                rules: vec![
                    did(EventSpec::named("begin_checkout"), 14),
                    did(EventSpec::named("add_to_cart"), 14),
                    Rule::Did {
                        event: EventSpec::named("view_item"),
                        count: CountCondition { op: CountOp::AtLeast, n: 5 },
                        window: Window::LastDays { days: 14 },
                    },
                ],
            },
            did_not(EventSpec::named("purchase"), 14),
        ]),
    )
}

/// Visited in the last 14 days, viewed at most two products, never carted
/// or bought in that time: the casual side of "high intent vs casual".
pub fn casual_browsers() -> SegmentDefinition {
    definition(
        "Casual browsers",
        "Visited in the last 14 days, viewed at most 2 products, no cart, no purchase.",
        Purpose::Retargeting,
        all(vec![
            did(EventSpec::named("page_view"), 14),
            Rule::Did {
                event: EventSpec::named("view_item"),
                count: CountCondition {
                    op: CountOp::AtMost,
                    n: 2,
                },
                window: Window::LastDays { days: 14 },
            },
            did_not(EventSpec::named("add_to_cart"), 14),
            did_not(EventSpec::named("purchase"), 14),
        ]),
    )
}

/// Bought before, but not in the last 60 days.
pub fn lapsed_customers() -> SegmentDefinition {
    definition(
        "Lapsed customers",
        "Bought before, but the last purchase was more than 60 days ago.",
        Purpose::Remarketing,
        Rule::Recency {
            event: EventSpec::named("purchase"),
            op: RecencyOp::MoreThanAgo,
            days: 60,
        },
    )
}

/// Bought in the last 30 days: exclude them from retargeting.
pub fn recent_purchasers() -> SegmentDefinition {
    definition(
        "Recent purchasers (exclude)",
        "Bought in the last 30 days. Use as an exclusion for retargeting audiences.",
        Purpose::Retargeting,
        did(EventSpec::named("purchase"), 30),
    )
}

/// Every template, in the order the "new segment" screen shows them.
pub fn templates() -> Vec<Template> {
    [
        ("cart_abandoners", cart_abandoners()),
        (
            "product_viewers_without_purchase",
            product_viewers_without_purchase(),
        ),
        ("trial_signups_not_converted", trial_signups_not_converted()),
        ("pricing_page_visitors", pricing_page_visitors()),
        ("high_intent_browsers", high_intent_browsers()),
        ("casual_browsers", casual_browsers()),
        ("lapsed_customers", lapsed_customers()),
        ("recent_purchasers", recent_purchasers()),
    ]
    .into_iter()
    .map(|(key, definition)| Template {
        key: key.to_string(),
        definition,
    })
    .collect()
}
