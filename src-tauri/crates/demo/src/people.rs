//! Names, places and devices for demo people.

pub(super) const FIRST_NAMES: &[&str] = &[
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Elijah", "Mia", "Lucas",
    "Amelia", "Mateo", "Harper", "Leo", "Isla", "Hugo", "Chloe", "Finn", "Zoe", "Ethan", "Nora",
    "Arjun", "Priya", "Kenji", "Yuki", "Lena", "Jonas", "Clara", "Felix", "Ines", "Marco",
    "Giulia", "Sofia", "Diego", "Lucia", "Omar", "Layla", "Sam", "Grace", "Daniel", "Hannah",
    "Jack", "Ruby", "Theo", "Freya", "Max", "Elena", "Tom", "Anna", "Ben",
];

pub(super) const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martinez",
    "Lopez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Lee", "Thompson",
    "White", "Harris", "Clark", "Lewis", "Walker", "Young", "King", "Wright", "Scott", "Green",
    "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips",
    "Evans", "Turner", "Müller", "Schmidt", "Dubois", "Rossi", "Jansen", "Novak", "Kowalski",
    "Nakamura", "Patel", "Singh", "O'Brien",
];

/// (ISO country, IANA time zone, locale, weight).
pub(super) const PLACES: &[(&str, &str, &str, u32)] = &[
    ("US", "America/New_York", "en-US", 20),
    ("US", "America/Chicago", "en-US", 10),
    ("US", "America/Los_Angeles", "en-US", 14),
    ("US", "America/Denver", "en-US", 4),
    ("GB", "Europe/London", "en-GB", 14),
    ("CA", "America/Toronto", "en-CA", 7),
    ("DE", "Europe/Berlin", "de-DE", 9),
    ("FR", "Europe/Paris", "fr-FR", 6),
    ("NL", "Europe/Amsterdam", "nl-NL", 4),
    ("ES", "Europe/Madrid", "es-ES", 4),
    ("AU", "Australia/Sydney", "en-AU", 6),
    ("JP", "Asia/Tokyo", "ja-JP", 2),
];

/// (category, os, browser, weight).
pub(super) const DEVICES: &[(&str, &str, &str, u32)] = &[
    ("mobile", "iOS", "Safari", 30),
    ("mobile", "Android", "Chrome", 26),
    ("desktop", "Windows", "Chrome", 18),
    ("desktop", "macOS", "Safari", 9),
    ("desktop", "macOS", "Chrome", 7),
    ("desktop", "Windows", "Edge", 4),
    ("tablet", "iPadOS", "Safari", 5),
    ("tablet", "Android", "Chrome", 1),
];

/// (source, medium, weight) of sessions nobody paid for.
pub(super) const ORGANIC_SOURCES: &[(&str, &str, u32)] = &[
    ("google", "organic", 34),
    ("(direct)", "(none)", 22),
    ("google", "cpc", 16),
    ("instagram", "social", 9),
    ("facebook", "social", 6),
    ("youtube", "referral", 5),
    ("bing", "organic", 3),
    ("newsletter", "email", 5),
];
