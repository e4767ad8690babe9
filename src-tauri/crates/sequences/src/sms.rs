//! SMS length: the encoding a text needs and how many segments it takes.
//!
//! A text whose every character is in the GSM 03.38 default alphabet (or its
//! extension table, which costs two septets: `^{}[]~\|€` and form feed) goes
//! as GSM-7: 160 septets in one message, 153 per segment when split (the
//! user data header takes 7). Anything else goes as UCS-2: 70 UTF-16 code
//! units, 67 per segment. A character outside the BMP (an emoji) is two
//! UTF-16 units; a split never cuts an extension pair or a surrogate pair,
//! so segments are filled greedily with whole characters. No crate that is
//! maintained does this, so it is this small, tested function.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The basic GSM 03.38 character set (one septet each).
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table (escape + one septet: two septets each).
const GSM7_EXTENSION: &str = "\u{000C}^{}\\[~]|€";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmsEncoding {
    Gsm7,
    Ucs2,
}

/// How a text would be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SmsLength {
    pub encoding: SmsEncoding,
    /// Characters as the person reads them.
    pub characters: u32,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: u32,
    pub segments: u32,
    /// Units still free in the last segment.
    pub remaining_in_segment: u32,
    /// Characters that forced UCS-2, in order of first appearance.
    pub non_gsm_characters: Vec<String>,
}

fn gsm_cost(c: char) -> Option<u32> {
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

pub fn sms_length(text: &str) -> SmsLength {
    let mut non_gsm: Vec<String> = Vec::new();
    for c in text.chars() {
        if gsm_cost(c).is_none() {
            let s = c.to_string();
            if !non_gsm.contains(&s) {
                non_gsm.push(s);
            }
        }
    }
    let (encoding, costs, single, multi): (SmsEncoding, Vec<u32>, u32, u32) = if non_gsm.is_empty()
    {
        (
            SmsEncoding::Gsm7,
            text.chars().map(|c| gsm_cost(c).unwrap_or(1)).collect(),
            160,
            153,
        )
    } else {
        (
            SmsEncoding::Ucs2,
            text.chars().map(|c| c.len_utf16() as u32).collect(),
            70,
            67,
        )
    };
    let units: u32 = costs.iter().sum();
    let (segments, remaining) = if units == 0 {
        (0, single)
    } else if units <= single {
        (1, single - units)
    } else {
        // Greedy fill: a character never straddles two segments.
        let mut segments = 1;
        let mut used = 0;
        for cost in &costs {
            if used + cost > multi {
                segments += 1;
                used = 0;
            }
            used += cost;
        }
        (segments, multi - used)
    };
    SmsLength {
        encoding,
        characters: text.chars().count() as u32,
        units,
        segments,
        remaining_in_segment: remaining,
        non_gsm_characters: non_gsm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, encoding: SmsEncoding, units: u32, segments: u32) {
        let l = sms_length(text);
        assert_eq!(
            (l.encoding, l.units, l.segments),
            (encoding, units, segments),
            "{text:?}"
        );
    }

    #[test]
    fn gsm7_limits() {
        check("", SmsEncoding::Gsm7, 0, 0);
        check(&"a".repeat(160), SmsEncoding::Gsm7, 160, 1);
        check(&"a".repeat(161), SmsEncoding::Gsm7, 161, 2);
        check(&"a".repeat(306), SmsEncoding::Gsm7, 306, 2);
        check(&"a".repeat(307), SmsEncoding::Gsm7, 307, 3);
        // Extension characters cost two septets.
        check(&"€".repeat(80), SmsEncoding::Gsm7, 160, 1);
        check(&"€".repeat(81), SmsEncoding::Gsm7, 162, 2);
        check("Hi Ann, 20% off: £5 {today}", SmsEncoding::Gsm7, 29, 1);
    }

    #[test]
    fn an_extension_pair_is_not_split() {
        // 152 'a', '€', 10 'a': 164 septets. The '€' would take septets 153
        // and 154 of the first segment's 153, so it moves whole to the second.
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(10));
        let l = sms_length(&text);
        assert_eq!((l.units, l.segments, l.remaining_in_segment), (164, 2, 141));
    }

    #[test]
    fn ucs2_limits_and_the_characters_that_force_it() {
        check(&"ç".repeat(70), SmsEncoding::Ucs2, 70, 1); // ç is not GSM (only Ç is)
        check(&"ç".repeat(71), SmsEncoding::Ucs2, 71, 2);
        check(&"ç".repeat(134), SmsEncoding::Ucs2, 134, 2);
        check(&"ç".repeat(135), SmsEncoding::Ucs2, 135, 3);
        // An emoji is a surrogate pair: two units.
        let l = sms_length("Sale 🎉");
        assert_eq!(
            (l.encoding, l.units, l.characters),
            (SmsEncoding::Ucs2, 7, 6)
        );
        assert_eq!(l.non_gsm_characters, vec!["🎉".to_string()]);
        // 66 units then an emoji does not fit the first segment's 67.
        let text = format!("{}🎉{}", "x".repeat(66), "x".repeat(10));
        assert_eq!(sms_length(&text).segments, 2);
    }
}
