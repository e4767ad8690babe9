//! Rebound's sequences and journeys: remarketing flows over owned channels
//! (e-mail, SMS, push) and ad audiences, their message templates and
//! previews, the rules every flow obeys, and a deterministic dry run that
//! replays the workspace's history through a draft flow.
//!
//! - `model`: the flow JSON (versioned; a tree of steps) and its validation.
//! - `message`: minijinja templates rendered for a person; sandbox-ready
//!   previews; the generated plain-text part. `sms`: GSM-7/UCS-2 segments.
//! - `rules`: frequency caps, quiet hours, consent, send-time optimisation.
//! - `clock`: people's time zones, local times across DST, quiet hours.
//! - `engine`: the dry run over an in-memory `history`; `dry_run`: the same
//!   against a workspace (segment entries, other active flows, rules).
//! - `store`: flows and rules in the workspace, the flow export file.
//! - `export`: the audience as an ESP-ready CSV. `smtp`: the test e-mail.
//! - `templates`: the seed's pricing-page journey and an abandoned cart.
//!
//! The crate README documents the JSON, the engine's semantics and its limits.

#[cfg(test)]
mod bindings;
pub mod clock;
pub mod dry_run;
pub mod engine;
pub mod error;
pub mod export;
pub mod history;
pub mod message;
pub mod model;
pub mod rules;
pub mod sms;
pub mod smtp;
pub mod store;
pub mod templates;

pub use dry_run::{dry_run, resolve_segment};
pub use engine::{simulate, DryRun, DryRunOptions};
pub use error::{Error, Result};
pub use export::audience_csv;
pub use history::person_fields;
pub use message::{preview, MessagePreview, PersonFields};
pub use model::{parse_flow, Flow, Step, SCHEMA_VERSION};
pub use rules::SendingRules;
pub use sms::{sms_length, SmsLength};
pub use smtp::{SmtpSecurity, SmtpSettings};
pub use store::{
    delete_flow, export_json, get_flow, get_rules, list_flows, save_flow, save_rules, FlowStatus,
    SavedFlow,
};
pub use templates::{templates, FlowTemplate};
