//! Money, once: the `rebound-money` crate is the one home (ISO 4217 minor
//! units and every minor/major conversion); this module is its name inside
//! the core, so `rebound_core::money::to_major` and friends keep one meaning.

pub use rebound_money::*;
