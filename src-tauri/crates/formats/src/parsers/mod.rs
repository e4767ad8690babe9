//! One module per export family. Each parser pulls rows from a [`crate::rows::Ctx`],
//! checks the header (refusing a file that is not what it claims), and reports every data
//! row as imported or rejected.

pub mod ab;
pub mod contacts;
pub mod events;
pub mod ga4;
pub mod google_ads;
pub mod gsc;
pub mod meta;
pub mod products;
pub mod shopify;

/// The text of a cell, `None` when empty or a placeholder.
pub(crate) fn text(cell: &str) -> Option<String> {
    if crate::values::is_blank(cell) {
        None
    } else {
        Some(cell.trim().to_string())
    }
}
