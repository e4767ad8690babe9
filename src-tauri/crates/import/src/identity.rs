//! Identity resolution: which person a row belongs to, by the ids it carries.
//!
//! People are found by the ids they carry (user id, hashed e-mail, hashed
//! phone, the shop's customer id, visitor id), in that order of trust; an id
//! seen for the first time is attached to the person found by the others, or
//! to a new person. The id maps are loaded once per import, so no row costs a
//! lookup query, and they live here alone: the writer asks [`Identities`] and
//! writes the rows it is told are new.

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};
use sqlx::{Row as _, SqliteConnection};

use rebound_core::{Error, Result};

/// Kinds of ids people are known by, as in `identities.kind`, in order of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdKind {
    UserId = 0,
    EmailSha256 = 1,
    PhoneSha256 = 2,
    CustomerId = 3,
    VisitorId = 4,
}

impl IdKind {
    const ALL: [IdKind; 5] = [
        IdKind::UserId,
        IdKind::EmailSha256,
        IdKind::PhoneSha256,
        IdKind::CustomerId,
        IdKind::VisitorId,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            IdKind::UserId => "user_id",
            IdKind::EmailSha256 => "email_sha256",
            IdKind::PhoneSha256 => "phone_sha256",
            IdKind::CustomerId => "customer_id",
            IdKind::VisitorId => "visitor_id",
        }
    }
}

/// SHA-256 of a trimmed, lower-cased e-mail address, hex: how the workspace
/// keeps e-mails (and how ad platforms match them).
pub fn email_sha256(email: &str) -> String {
    format!(
        "{:x}",
        Sha256::digest(email.trim().to_lowercase().as_bytes())
    )
}

/// SHA-256 of a phone number's digits (a leading `+` kept).
pub fn phone_sha256(phone: &str) -> Option<String> {
    let t = phone.trim();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 5 {
        return None;
    }
    let normal = if t.starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    };
    Some(format!("{:x}", Sha256::digest(normal.as_bytes())))
}

/// Ids to people, compact enough for millions of ids: ids written as plain
/// decimal numbers (most platforms' user and visitor ids) are kept as `u64`,
/// others as text. "0042" is text, so it never meets "42".
#[derive(Default)]
struct IdMap {
    numbers: FxHashMap<u64, i64>,
    texts: FxHashMap<Box<str>, i64>,
}

impl IdMap {
    fn number(id: &str) -> Option<u64> {
        let canonical = !id.is_empty()
            && id.len() <= 19
            && id.bytes().all(|b| b.is_ascii_digit())
            && (id == "0" || !id.starts_with('0'));
        canonical.then(|| id.parse().ok()).flatten()
    }

    fn get(&self, id: &str) -> Option<i64> {
        match Self::number(id) {
            Some(n) => self.numbers.get(&n).copied(),
            None => self.texts.get(id).copied(),
        }
    }

    fn insert(&mut self, id: &str, person: i64) {
        match Self::number(id) {
            Some(n) => self.numbers.insert(n, person),
            None => self.texts.insert(id.into(), person),
        };
    }
}

/// Every id the workspace knows, by kind, and the next person's number.
#[derive(Default)]
pub(crate) struct Identities {
    maps: [IdMap; 5],
    next_person: i64,
}

impl Identities {
    /// The ids already in the workspace, read once.
    pub async fn load(conn: &mut SqliteConnection) -> Result<Identities> {
        let mut maps: [IdMap; 5] = Default::default();
        let rows = sqlx::query("SELECT kind, value, person_id FROM identities")
            .fetch_all(&mut *conn)
            .await
            .map_err(Error::db("reading known ids"))?;
        for row in rows {
            let kind: &str = row.get(0);
            if let Some(k) = IdKind::ALL.iter().find(|k| k.name() == kind) {
                maps[*k as usize].insert(row.get::<&str, _>(1), row.get(2));
            }
        }
        let last_person: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM people")
            .fetch_one(&mut *conn)
            .await
            .map_err(Error::db("reading people"))?;
        Ok(Identities {
            maps,
            next_person: last_person + 1,
        })
    }

    /// The person the first known of `ids` (most trusted first) belongs to.
    pub fn find(&self, ids: &[(IdKind, &str)]) -> Option<i64> {
        ids.iter()
            .find_map(|(kind, value)| self.maps[*kind as usize].get(value))
    }

    /// A number for a person seen for the first time.
    pub fn new_person(&mut self) -> i64 {
        let id = self.next_person;
        self.next_person += 1;
        id
    }

    /// Ties `value` to `person`; true when the id is new (and so needs a row).
    pub fn attach(&mut self, kind: IdKind, value: &str, person: i64) -> bool {
        let map = &mut self.maps[kind as usize];
        if map.get(value).is_some() {
            return false;
        }
        map.insert(value, person);
        true
    }

    /// Gives the maps' memory back once the rows are resolved.
    pub fn release(&mut self) {
        self.maps = Default::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_map_keeps_numeric_and_text_ids_apart_exactly() {
        let mut m = IdMap::default();
        m.insert("541312140", 1);
        m.insert("0541312140", 2);
        m.insert("9223372036854775807", 3);
        m.insert("99999999999999999999", 4);
        m.insert("abc", 5);
        assert_eq!(m.get("541312140"), Some(1));
        assert_eq!(m.get("0541312140"), Some(2));
        assert_eq!(m.get("9223372036854775807"), Some(3));
        assert_eq!(m.get("99999999999999999999"), Some(4));
        assert_eq!(m.get("abc"), Some(5));
        assert_eq!(m.get("0"), None);
        assert_eq!(m.numbers.len(), 2);
        assert_eq!(m.texts.len(), 3);
    }

    #[test]
    fn emails_are_hashed_trimmed_and_lower_case() {
        assert_eq!(
            email_sha256(" Jo@Example.com "),
            email_sha256("jo@example.com")
        );
        assert_eq!(
            phone_sha256("+1 (555) 010-9999"),
            phone_sha256("+15550109999")
        );
        assert_eq!(phone_sha256("12"), None);
    }

    #[test]
    fn an_id_is_found_by_the_most_trusted_kind_and_attached_once() {
        let mut ids = Identities::default();
        let ana = ids.new_person();
        assert!(ids.attach(IdKind::VisitorId, "v1", ana));
        assert!(!ids.attach(IdKind::VisitorId, "v1", ana));
        let bo = ids.new_person();
        assert!(ids.attach(IdKind::UserId, "u9", bo));
        assert_ne!(ana, bo);
        // The user id is trusted over the visitor id.
        assert_eq!(
            ids.find(&[(IdKind::UserId, "u9"), (IdKind::VisitorId, "v1")]),
            Some(bo)
        );
        assert_eq!(ids.find(&[(IdKind::VisitorId, "v1")]), Some(ana));
        assert_eq!(ids.find(&[(IdKind::EmailSha256, "v1")]), None);
        ids.release();
        assert_eq!(ids.find(&[(IdKind::VisitorId, "v1")]), None);
    }
}
