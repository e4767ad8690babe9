//! Message templates rendered for one person, and their previews.
//!
//! Templates are minijinja. The HTML body is auto-escaped (a product title
//! `<script>` prints as text); subject, preheader, plain text, SMS and push
//! are not HTML and are not escaped. Undefined values are "chainable": a
//! missing `cart.title` prints as nothing and `{{ first_name | default("there") }}`
//! falls back. A person's missing fields are left undefined (not null) so
//! `default` applies to them.
//!
//! The e-mail preview is a complete HTML document meant for an
//! `<iframe sandbox="" srcdoc=...>`: the sandbox runs no script, and the
//! document's Content-Security-Policy forbids every network fetch (images
//! only from `data:`), so an imported value cannot call home.

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{EmailTemplate, Message, PushTemplate, SmsTemplate};
use crate::sms::{sms_length, SmsLength};

/// Lock-screen limits for push: characters shown before truncation on
/// common devices (iOS and Android both cut titles around 50 and bodies
/// around 150 on the lock screen).
pub const PUSH_TITLE_LIMIT: u32 = 50;
pub const PUSH_BODY_LIMIT: u32 = 150;
/// Inbox lists cut subjects around 60 characters and preheaders around 100.
pub const SUBJECT_LIMIT: u32 = 60;
pub const PREHEADER_LIMIT: u32 = 100;

/// The CSP every preview document carries: nothing from the network.
pub const PREVIEW_CSP: &str =
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:";

/// A product as templates see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProductFields {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub image_link: Option<String>,
}

/// What a template can use about one person. Missing values are omitted,
/// so templates see them as undefined and their fallbacks apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct PersonFields {
    #[ts(type = "number")]
    pub person_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub locale: Option<String>,
    pub time_zone: String,
    /// The person's last viewed product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_viewed: Option<ProductFields>,
    /// The product the person last added to the cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cart: Option<ProductFields>,
    /// `people.properties`, as imported.
    #[ts(type = "Record<string, unknown>")]
    pub properties: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EmailPreview {
    /// Which subject variant this person gets (0-based).
    pub subject_variant: u32,
    pub subject: String,
    pub preheader: String,
    /// A complete, sandbox-ready HTML document with the CSP.
    pub html_document: String,
    /// The plain-text part (given, or generated from the HTML).
    pub text: String,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SmsPreview {
    pub text: String,
    pub length: SmsLength,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PushPreview {
    pub title: String,
    pub body: String,
    pub title_characters: u32,
    pub body_characters: u32,
    pub title_limit: u32,
    pub body_limit: u32,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "channel", rename_all = "snake_case")]
pub enum MessagePreview {
    Email(EmailPreview),
    Sms(SmsPreview),
    Push(PushPreview),
}

/// `{{ cart.title | sentence }}`: the first letter in upper case, the rest
/// as written, for a value that starts a sentence ("samsung tv is still
/// waiting" reads "Samsung tv is still waiting"). Unlike `capitalize`, it
/// never lowers the rest ("JBL speaker" stays as it is).
fn sentence(value: String) -> String {
    let mut chars = value.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => value,
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.add_filter("sentence", sentence);
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env
}

/// Renders one template text. `name` ends in `.html` for auto-escaping and
/// names the field in errors ("subject 2", "body.html").
pub fn render(name: &str, source: &str, person: &PersonFields) -> Result<String> {
    let env = environment();
    env.render_named_str(name, source, person)
        .map_err(|e| template_error(name, &e))
}

fn template_error(name: &str, e: &minijinja::Error) -> Error {
    let line = e.line().map(|l| format!("line {l}: ")).unwrap_or_default();
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    Error::Template {
        what: name
            .trim_end_matches(".html")
            .trim_end_matches(".txt")
            .to_string(),
        reason: format!("{line}{}{detail}", e.kind()),
    }
}

/// Variables the template uses that have no value for this person (their
/// fallback, or nothing, is shown), as warnings.
fn missing_values(name: &str, source: &str, person: &PersonFields) -> Vec<String> {
    let env = environment();
    let Ok(template) = env.template_from_named_str(name, source) else {
        return Vec::new();
    };
    let context = serde_json::to_value(person).expect("person fields serialise");
    let mut names: Vec<String> = template.undeclared_variables(true).into_iter().collect();
    names.sort();
    names
        .into_iter()
        .filter(|path| {
            let mut at = &context;
            for part in path.split('.') {
                match at.get(part) {
                    Some(next) => at = next,
                    None => return true,
                }
            }
            false
        })
        .map(|path| format!("{path} has no value for this person: its fallback is shown"))
        .collect()
}

/// The plain-text part generated from HTML, wrapped at 78 columns.
pub fn html_to_text(html: &str) -> Result<String> {
    html2text::from_read(html.as_bytes(), 78)
        .map(|t| t.trim_end().to_string())
        .map_err(|e| Error::Template {
            what: "the plain-text part".into(),
            reason: e.to_string(),
        })
}

/// A complete HTML document around a rendered body, for a sandboxed frame.
pub fn preview_document(preheader: &str, body_html: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"{PREVIEW_CSP}\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<style>body{{margin:0;padding:16px;font-family:Helvetica,Arial,sans-serif;color:#1f2933;background:#fff}}img{{max-width:100%}}</style>\
</head><body><div style=\"display:none;max-height:0;overflow:hidden\">{}</div>{body_html}</body></html>",
        escape_html(preheader)
    )
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Which subject variant a person gets: even split, reproducible.
pub fn subject_variant(variants: usize, seed: u64, step_id: &str, person_id: i64) -> usize {
    if variants <= 1 {
        return 0;
    }
    (crate::engine::draw(seed, &["subject", step_id], person_id) * variants as f64) as usize
        % variants
}

pub fn preview_email(
    template: &EmailTemplate,
    person: &PersonFields,
    variant: usize,
) -> Result<EmailPreview> {
    let variant = variant.min(template.subjects.len().saturating_sub(1));
    let subject_source = template
        .subjects
        .get(variant)
        .ok_or_else(|| Error::Template {
            what: "subject".into(),
            reason: "the e-mail has no subject".into(),
        })?;
    let subject_name = format!("subject {}.txt", variant + 1);
    let subject = render(&subject_name, subject_source, person)?;
    let preheader = render("preheader.txt", &template.preheader, person)?;
    let body = render("body.html", &template.html, person)?;
    let text = match &template.text {
        Some(t) => render("text.txt", t, person)?,
        None => html_to_text(&body)?,
    };
    let mut warnings = Vec::new();
    for (name, source) in [
        (subject_name.as_str(), subject_source.as_str()),
        ("preheader.txt", template.preheader.as_str()),
        ("body.html", template.html.as_str()),
    ] {
        for w in missing_values(name, source, person) {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
    }
    if subject.chars().count() as u32 > SUBJECT_LIMIT {
        warnings.push(format!(
            "the subject has {} characters; inboxes cut it after about {SUBJECT_LIMIT}",
            subject.chars().count()
        ));
    }
    if preheader.trim().is_empty() {
        warnings.push("there is no preheader: inboxes show the start of the body instead".into());
    } else if preheader.chars().count() as u32 > PREHEADER_LIMIT {
        warnings.push(format!(
            "the preheader has {} characters; inboxes show about {PREHEADER_LIMIT}",
            preheader.chars().count()
        ));
    }
    Ok(EmailPreview {
        subject_variant: variant as u32,
        subject: subject.trim().to_string(),
        preheader: preheader.trim().to_string(),
        html_document: preview_document(preheader.trim(), &body),
        text,
        warnings,
    })
}

pub fn preview_sms(template: &SmsTemplate, person: &PersonFields) -> Result<SmsPreview> {
    let text = render("sms.txt", &template.body, person)?;
    let length = sms_length(&text);
    let mut warnings = missing_values("sms.txt", &template.body, person);
    if length.segments > 1 {
        warnings.push(format!(
            "this text is {} segments ({}): each is billed as one SMS",
            length.segments,
            match length.encoding {
                crate::sms::SmsEncoding::Gsm7 => "GSM-7".to_string(),
                crate::sms::SmsEncoding::Ucs2 =>
                    format!("UCS-2 because of {}", length.non_gsm_characters.join(" ")),
            }
        ));
    }
    Ok(SmsPreview {
        text,
        length,
        warnings,
    })
}

pub fn preview_push(template: &PushTemplate, person: &PersonFields) -> Result<PushPreview> {
    let title = render("push title.txt", &template.title, person)?;
    let body = render("push body.txt", &template.body, person)?;
    let mut warnings = missing_values("push title.txt", &template.title, person);
    warnings.extend(missing_values("push body.txt", &template.body, person));
    let title_characters = title.chars().count() as u32;
    let body_characters = body.chars().count() as u32;
    if title_characters > PUSH_TITLE_LIMIT {
        warnings.push(format!(
            "the title has {title_characters} characters; lock screens cut it after {PUSH_TITLE_LIMIT}"
        ));
    }
    if body_characters > PUSH_BODY_LIMIT {
        warnings.push(format!(
            "the text has {body_characters} characters; lock screens cut it after {PUSH_BODY_LIMIT}"
        ));
    }
    Ok(PushPreview {
        title,
        body,
        title_characters,
        body_characters,
        title_limit: PUSH_TITLE_LIMIT,
        body_limit: PUSH_BODY_LIMIT,
        warnings,
    })
}

/// The preview of any message for a person (subject variant `variant`).
pub fn preview(message: &Message, person: &PersonFields, variant: usize) -> Result<MessagePreview> {
    Ok(match message {
        Message::Email(e) => MessagePreview::Email(preview_email(e, person, variant)?),
        Message::Sms(s) => MessagePreview::Sms(preview_sms(s, person)?),
        Message::Push(p) => MessagePreview::Push(preview_push(p, person)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann() -> PersonFields {
        PersonFields {
            person_id: 7,
            first_name: Some("Ann".into()),
            time_zone: "Europe/Berlin".into(),
            cart: Some(ProductFields {
                id: "p1".into(),
                title: "Lens <script>alert(1)</script> & cap".into(),
                price: Some("199.00 USD".into()),
                link: None,
                image_link: None,
            }),
            ..Default::default()
        }
    }

    fn email() -> EmailTemplate {
        EmailTemplate {
            subjects: vec![
                "{{ first_name | default(\"Hi there\") }}, your cart is waiting".into(),
                "Still thinking about {{ cart.title }}?".into(),
            ],
            preheader: "{{ cart.title | default(\"Your items\") }} are saved".into(),
            html: "<h1>Hi {{ first_name | default(\"there\") }}</h1><p>You left <b>{{ cart.title }}</b> ({{ cart.price }}).</p><p>{{ coupon | default(\"No code needed\") }}</p>".into(),
            text: None,
        }
    }

    #[test]
    fn html_is_escaped_text_parts_are_not() {
        let p = preview_email(&email(), &ann(), 1).unwrap();
        assert_eq!(
            p.subject,
            "Still thinking about Lens <script>alert(1)</script> & cap?"
        );
        assert!(
            p.html_document
                .contains("Lens &lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; cap"),
            "{}",
            p.html_document
        );
        assert!(!p.html_document.contains("<script>"));
        assert!(p.html_document.contains(PREVIEW_CSP));
        // The generated plain text reads the escaped title back as text.
        assert!(
            p.text.contains("Lens <script>alert(1)</script> & cap"),
            "{}",
            p.text
        );
        assert!(p.text.contains("Hi Ann"));
        assert!(
            p.warnings.iter().any(|w| w.starts_with("coupon")),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn missing_values_fall_back() {
        let nobody = PersonFields {
            person_id: 9,
            time_zone: "UTC".into(),
            ..Default::default()
        };
        let p = preview_email(&email(), &nobody, 0).unwrap();
        assert_eq!(p.subject, "Hi there, your cart is waiting");
        assert_eq!(p.preheader, "Your items are saved");
        assert!(p.text.contains("Hi there"), "{}", p.text);
        assert!(p.warnings.iter().any(|w| w.starts_with("first_name")));
        assert!(p.warnings.iter().any(|w| w.starts_with("cart.title")));
    }

    /// REES46 titles are lower case ("samsung tv"): at a sentence's start
    /// the filter raises the first letter only.
    #[test]
    fn sentence_raises_the_first_letter_only() {
        let mut shopper = ann();
        shopper.cart.as_mut().unwrap().title = "samsung tv".into();
        let source = "{{ cart.title | default(\"your cart\") | sentence }} is still waiting.";
        assert_eq!(
            render("preheader", source, &shopper).unwrap(),
            "Samsung tv is still waiting."
        );
        shopper.cart.as_mut().unwrap().title = "JBL speaker".into();
        assert_eq!(
            render("preheader", source, &shopper).unwrap(),
            "JBL speaker is still waiting."
        );
        shopper.cart = None;
        assert_eq!(
            render("preheader", source, &shopper).unwrap(),
            "Your cart is still waiting."
        );
    }

    #[test]
    fn syntax_errors_name_the_field_and_line() {
        let mut t = email();
        t.html = "<p>ok</p>\n<p>{{ first_name </p>".into();
        let err = preview_email(&t, &ann(), 0).unwrap_err().to_string();
        assert!(err.contains("body") && err.contains("line 2"), "{err}");
    }

    #[test]
    fn sms_and_push_report_their_limits() {
        let s = preview_sms(
            &SmsTemplate {
                body: "Hi {{ first_name }}, your {{ cart.title }} is waiting 🛒".into(),
            },
            &ann(),
        )
        .unwrap();
        assert_eq!(s.length.encoding, crate::sms::SmsEncoding::Ucs2);
        assert!(s.text.starts_with("Hi Ann, your Lens <script>"));
        let p = preview_push(
            &PushTemplate {
                title: "{{ first_name }}, {{ cart.title }} is almost gone from our shelves".into(),
                body: "Tap to finish".into(),
            },
            &ann(),
        )
        .unwrap();
        assert!(p.title_characters > PUSH_TITLE_LIMIT);
        assert!(p.warnings.iter().any(|w| w.contains("title")));
    }

    #[test]
    fn subject_variants_split_evenly_and_reproducibly() {
        let picks: Vec<usize> = (0..2000)
            .map(|id| subject_variant(2, 42, "email-1", id))
            .collect();
        let ones = picks.iter().filter(|v| **v == 1).count();
        assert!((900..1100).contains(&ones), "{ones}");
        assert_eq!(
            picks,
            (0..2000)
                .map(|id| subject_variant(2, 42, "email-1", id))
                .collect::<Vec<_>>()
        );
    }
}
