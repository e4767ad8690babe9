//! Rebound's segment engine: behaviour-based audiences for retargeting and
//! remarketing, evaluated per person across devices.
//!
//! - `model`: the rule model (versioned JSON, documented window semantics).
//! - `columns`, `eval`: the engine proper: a column-wise in-memory copy of the
//!   workspace's people, events and consent (kept while it is open and read
//!   again when it changes), and a rule tree decided person by person on it.
//! - `compile`: the same rule tree as one SQLite query with bound parameters
//!   (what the DuckDB benchmark runs, and a second engine the tests check).
//! - `engine`: live count, members, sample, breakdowns, membership over time,
//!   overlap, consent filtering; every call takes its "as of" time as input.
//! - `store`: saved segments in the workspace, JSON export and import.
//! - `templates`: the audiences from the seed article.
//! - `reference`: a brute-force evaluator the property tests hold both engines to.
//! - `person`: one person's ids, devices and cross-device timeline.
//! - `moment`: the default "as of" (the end of the events a rule is about)
//!   and what to say when a count is zero.
//! - `vocabulary`: the values the rule builder's pickers offer.
//! - `chart`: membership over time with its SVG chart.
//!
//! The crate README documents the JSON schema and the window semantics.

#[cfg(test)]
mod bindings;
pub mod chart;
mod columns;
pub mod compile;
pub mod engine;
pub mod error;
mod eval;
pub mod model;
pub mod moment;
pub mod person;
pub mod reference;
pub mod store;
pub mod templates;
pub mod vocabulary;

pub use chart::{membership_chart, MembershipChart};
pub use columns::{cancel_reading, reading, EngineReading};
pub use compile::{compile, CompiledSegment, Library, Param};
pub use engine::{
    breakdowns, compile_in, count, count_explained, load_library, member_ids, members,
    membership_over_time, overlap, prepare, sample, sql_member_ids, BreakdownOptions, BreakdownRow,
    Breakdowns, DailyMembership, Member, MembersPage, OverlapMatrix, SegmentCount,
};
pub use error::{Error, Result};
pub use model::{
    day_start_micros, end_of_day, Channel, ConsentPolicy, ConsentStatus, CountCondition, CountOp,
    DeviceCategory, EventFilter, EventSpec, PersonField, PropertyValue, Purpose, RecencyOp, Rule,
    SegmentDefinition, Span, TextMatch, Window, SCHEMA_VERSION,
};
pub use moment::{anchor_events, data_span, resolve_as_of, DataSpan, DaySuggestion, ZeroHint};
pub use person::{person_timeline, PersonTimeline};
pub use store::{
    create_segment, delete_segment, export_file, export_json, get_segment, get_segment_by_name,
    import_file, import_segments, list_segments, parse_export, update_segment, SavedSegment,
    SegmentFile,
};
pub use templates::{templates, Template};
pub use vocabulary::{vocabulary, SegmentVocabulary};
