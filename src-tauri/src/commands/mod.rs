//! Tauri commands, split by area. Each unpacks its arguments, calls the
//! domain through the [`Session`](rebound_core::session::Session) and maps the
//! result; nothing here decides anything.

pub mod campaigns;
pub mod creatives;
pub mod dashboard;
pub mod demo;
pub mod experiments;
pub mod import;
pub mod reports;
pub mod segments;
pub mod sequences;
pub mod settings;
pub mod workspace;
