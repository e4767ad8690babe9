//! Built-in flows: the seed article's journey (pricing page → ad with a
//! limited-time offer → e-mail with a case study → personalised demo ad)
//! and a classic abandoned-cart flow.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{
    AdPlatform, Condition, Duration, EmailTemplate, EventMatch, Flow, Goal, Message, SmsTemplate,
    SplitArm, Step, Trigger, Wait, SCHEMA_VERSION,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FlowTemplate {
    pub key: String,
    pub flow: Flow,
}

pub fn templates() -> Vec<FlowTemplate> {
    vec![
        FlowTemplate {
            key: "pricing_page_journey".into(),
            flow: pricing_page_journey(),
        },
        FlowTemplate {
            key: "abandoned_cart".into(),
            flow: abandoned_cart(),
        },
    ]
}

fn email(subjects: &[&str], preheader: &str, html: &str) -> Message {
    Message::Email(EmailTemplate {
        subjects: subjects.iter().map(|s| s.to_string()).collect(),
        preheader: preheader.to_string(),
        html: html.to_string(),
        text: None,
    })
}

/// The seed's synergy example as one journey.
pub fn pricing_page_journey() -> Flow {
    Flow {
        version: SCHEMA_VERSION,
        name: "Pricing page journey".into(),
        description: Some(
            "Retargeting re-engages in the moment, remarketing nurtures: a pricing-page visit brings an ad with a limited-time offer; without a purchase, an e-mail with a case study; whoever opens it sees a personalised demo ad.".into(),
        ),
        trigger: Trigger::Event {
            event: EventMatch::on_page("page_view", "/pricing"),
        },
        steps: vec![
            Step::Retarget {
                id: "offer-ad".into(),
                platform: AdPlatform::MetaAds,
                audience: "Pricing visitors: limited-time offer".into(),
                days: 7,
                creative: Some("Limited-time offer: 20% off the first year".into()),
            },
            Step::Wait {
                id: "wait-3-days".into(),
                wait: Wait::For {
                    duration: Duration::days(3),
                },
            },
            Step::Wait {
                id: "morning".into(),
                wait: Wait::UntilTime { hour: 9, minute: 0 },
            },
            Step::Message {
                id: "case-study".into(),
                message: email(
                    &[
                        "How teams like yours got more from Rebound, {{ first_name | default(\"there\") }}",
                        "A 5-minute case study for {{ first_name | default(\"you\") }}",
                    ],
                    "Real numbers from a customer who started where you are.",
                    "<h1>Hi {{ first_name | default(\"there\") }},</h1>\n<p>You were looking at our plans. Here is how a shop like yours doubled its repeat purchases in three months.</p>\n<blockquote>\"We stopped guessing who to bring back.\" — a customer in {{ country | default(\"your region\") }}</blockquote>\n<p><a href=\"https://example.com/case-study\">Read the case study</a></p>",
                ),
            },
            Step::Wait {
                id: "wait-2-days".into(),
                wait: Wait::For {
                    duration: Duration::days(2),
                },
            },
            Step::Branch {
                id: "re-engaged".into(),
                condition: Condition::Opened {
                    step: "case-study".into(),
                },
                yes: vec![Step::Retarget {
                    id: "demo-ad".into(),
                    platform: AdPlatform::GoogleAds,
                    audience: "Case-study readers: personalised demo".into(),
                    days: 14,
                    creative: Some("Book a demo tailored to your catalogue".into()),
                }],
                no: vec![Step::Exit {
                    id: "not-engaged".into(),
                }],
            },
        ],
        exit_on: vec![EventMatch::named("purchase")],
        goal: Some(Goal {
            event: EventMatch::named("purchase"),
            within_days: 14,
        }),
    }
}

/// Cart abandoners: a reminder an hour later, then an offer for openers and
/// an SMS for the rest; the offer's subject is an A/B split.
pub fn abandoned_cart() -> Flow {
    Flow {
        version: SCHEMA_VERSION,
        name: "Abandoned cart".into(),
        description: Some("Reminds people who left something in the cart, and stops as soon as they buy.".into()),
        trigger: Trigger::Event {
            event: EventMatch::named("add_to_cart"),
        },
        steps: vec![
            Step::Wait {
                id: "wait-1".into(),
                wait: Wait::For {
                    duration: Duration::hours(1),
                },
            },
            Step::Message {
                id: "cart-email-1".into(),
                message: email(
                    &["{{ first_name | default(\"Hi\") }}, you left something behind"],
                    "{{ cart.title | default(\"Your cart\") | sentence }} is still waiting for you.",
                    "<h1>Still thinking it over?</h1>\n<p>{{ first_name | default(\"Hi\") }}, your <b>{{ cart.title | default(\"item\") }}</b> ({{ cart.price | default(\"\") }}) is saved in your cart.</p>\n<p><a href=\"{{ cart.link | default(\"https://example.com/cart\") }}\">Back to my cart</a></p>",
                ),
            },
            Step::Branch {
                id: "opened-1".into(),
                condition: Condition::Opened {
                    step: "cart-email-1".into(),
                },
                yes: vec![
                    Step::Wait {
                        id: "wait-2".into(),
                        wait: Wait::For {
                            duration: Duration::days(1),
                        },
                    },
                    Step::Split {
                        id: "offer-test".into(),
                        arms: vec![
                            SplitArm {
                                name: "10% off".into(),
                                weight: 50,
                                steps: vec![Step::Message {
                                    id: "offer-10".into(),
                                    message: email(
                                        &["10% off your {{ cart.title | default(\"cart\") }}, today only"],
                                        "Use code BACK10 at checkout.",
                                        "<p>Take 10% off <b>{{ cart.title | default(\"your cart\") }}</b> with code <b>BACK10</b>.</p>",
                                    ),
                                }],
                            },
                            SplitArm {
                                name: "Free shipping".into(),
                                weight: 50,
                                steps: vec![Step::Message {
                                    id: "offer-shipping".into(),
                                    message: email(
                                        &["Free shipping on your {{ cart.title | default(\"cart\") }}"],
                                        "No code needed.",
                                        "<p>Your <b>{{ cart.title | default(\"order\") }}</b> ships free if you order today.</p>",
                                    ),
                                }],
                            },
                        ],
                    },
                ],
                no: vec![
                    Step::Wait {
                        id: "wait-3".into(),
                        wait: Wait::UntilTime { hour: 10, minute: 0 },
                    },
                    Step::Message {
                        id: "cart-sms".into(),
                        message: Message::Sms(SmsTemplate {
                            body: "{{ first_name | default(\"Hi\") }}, your cart is saved. Finish your order: example.com/cart".into(),
                        }),
                    },
                ],
            },
        ],
        exit_on: vec![EventMatch::named("purchase")],
        goal: Some(Goal {
            event: EventMatch::named("purchase"),
            within_days: 7,
        }),
    }
}
