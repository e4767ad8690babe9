//! Local time for a person: their time zone, the next time their clock
//! reads a given hour, and whether an instant falls in quiet hours. All
//! instants are UTC microseconds; DST is chrono-tz's tz database.
//!
//! A person's time zone is `people.time_zone` when it is an IANA name; else
//! the main zone of `people.country` (a short table, see [`zone_of_country`]);
//! else UTC. Local times that do not exist (skipped by a spring-forward
//! change) resolve to the first instant after the gap; local times that
//! exist twice (fall-back) resolve to the earlier one.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const MICROS_PER_HOUR: i64 = 3_600 * 1_000_000;

/// The zone used for a person, and where it came from.
pub fn person_zone(time_zone: Option<&str>, country: Option<&str>) -> Tz {
    if let Some(tz) = time_zone.and_then(|t| t.parse::<Tz>().ok()) {
        return tz;
    }
    country.and_then(zone_of_country).unwrap_or(Tz::UTC)
}

/// The most populous zone of a country (ISO 3166 alpha-2), for people whose
/// own time zone is unknown. Countries that span several zones get their
/// main business zone; this is documented as an approximation.
pub fn zone_of_country(country: &str) -> Option<Tz> {
    let tz = match country.trim().to_ascii_uppercase().as_str() {
        "US" => Tz::America__New_York,
        "CA" => Tz::America__Toronto,
        "MX" => Tz::America__Mexico_City,
        "BR" => Tz::America__Sao_Paulo,
        "AR" => Tz::America__Argentina__Buenos_Aires,
        "GB" | "UK" => Tz::Europe__London,
        "IE" => Tz::Europe__Dublin,
        "FR" => Tz::Europe__Paris,
        "DE" => Tz::Europe__Berlin,
        "ES" => Tz::Europe__Madrid,
        "IT" => Tz::Europe__Rome,
        "NL" => Tz::Europe__Amsterdam,
        "BE" => Tz::Europe__Brussels,
        "CH" => Tz::Europe__Zurich,
        "AT" => Tz::Europe__Vienna,
        "PT" => Tz::Europe__Lisbon,
        "SE" => Tz::Europe__Stockholm,
        "NO" => Tz::Europe__Oslo,
        "DK" => Tz::Europe__Copenhagen,
        "FI" => Tz::Europe__Helsinki,
        "PL" => Tz::Europe__Warsaw,
        "IN" => Tz::Asia__Kolkata,
        "JP" => Tz::Asia__Tokyo,
        "CN" => Tz::Asia__Shanghai,
        "SG" => Tz::Asia__Singapore,
        "AU" => Tz::Australia__Sydney,
        "NZ" => Tz::Pacific__Auckland,
        "ZA" => Tz::Africa__Johannesburg,
        _ => return None,
    };
    Some(tz)
}

pub fn to_utc(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).expect("instant within chrono's range")
}

/// The instant a local wall-clock time happens in `tz`.
pub fn local_to_micros(tz: Tz, local: NaiveDateTime) -> i64 {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.timestamp_micros(),
        LocalResult::Ambiguous(earlier, _) => earlier.timestamp_micros(),
        LocalResult::None => {
            // In a spring-forward gap: step a minute at a time to its end
            // (gaps are at most a few hours).
            let mut probe = local;
            for _ in 0..(24 * 60) {
                probe += Duration::minutes(1);
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    // The first valid local minute maps to the instant the
                    // gap ends; move back to that boundary exactly.
                    return t.timestamp_micros() - t.timestamp_micros() % 60_000_000;
                }
            }
            unreachable!("a DST gap longer than a day")
        }
    }
}

pub fn local_time(tz: Tz, micros: i64) -> NaiveDateTime {
    to_utc(micros).with_timezone(&tz).naive_local()
}

/// The first instant `>= at` at which the local clock in `tz` reads
/// `hour:minute` (or, on a day when that time is skipped, the end of the gap).
pub fn next_local_time(tz: Tz, at: i64, hour: u8, minute: u8) -> i64 {
    let time = NaiveTime::from_hms_opt(u32::from(hour), u32::from(minute), 0).expect("valid time");
    let today: NaiveDate = local_time(tz, at).date();
    for offset in 0..3 {
        let day = today + Duration::days(offset);
        let candidate = local_to_micros(tz, day.and_time(time));
        if candidate >= at {
            return candidate;
        }
    }
    unreachable!("a local time occurs within three days")
}

/// Quiet hours in the person's local time: from `start_hour` (inclusive) to
/// `end_hour` (exclusive), wrapping past midnight when start > end.
pub fn in_quiet_hours(tz: Tz, at: i64, start_hour: u8, end_hour: u8) -> bool {
    use chrono::Timelike;
    let hour = local_time(tz, at).hour() as u8;
    if start_hour == end_hour {
        false
    } else if start_hour < end_hour {
        hour >= start_hour && hour < end_hour
    } else {
        hour >= start_hour || hour < end_hour
    }
}

/// When a message held by quiet hours may go: the next local `end_hour:00`.
pub fn end_of_quiet_hours(tz: Tz, at: i64, end_hour: u8) -> i64 {
    next_local_time(tz, at, end_hour, 0)
}

/// `2026-11-03 09:00 Europe/Berlin`.
pub fn describe_local(tz: Tz, micros: i64) -> String {
    format!(
        "{} {}",
        local_time(tz, micros).format("%Y-%m-%d %H:%M"),
        tz.name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_micros()
    }

    #[test]
    fn zone_from_the_person_then_the_country_then_utc() {
        assert_eq!(
            person_zone(Some("Europe/Berlin"), Some("US")),
            Tz::Europe__Berlin
        );
        assert_eq!(
            person_zone(Some("Mars/Base"), Some("fr")),
            Tz::Europe__Paris
        );
        assert_eq!(person_zone(None, Some("ZZ")), Tz::UTC);
    }

    #[test]
    fn next_local_time_follows_dst() {
        let ny = Tz::America__New_York;
        // 2026-03-08 is the spring-forward day in the US (02:00 -> 03:00).
        // 09:00 local on 03-07 is 14:00 UTC (EST); on 03-09 it is 13:00 UTC (EDT).
        assert_eq!(
            next_local_time(ny, utc("2026-03-07T12:00:00Z"), 9, 0),
            utc("2026-03-07T14:00:00Z")
        );
        assert_eq!(
            next_local_time(ny, utc("2026-03-08T15:00:00Z"), 9, 0),
            utc("2026-03-09T13:00:00Z")
        );
        // 02:30 does not exist on 03-08: the end of the gap, 03:00 EDT = 07:00 UTC.
        assert_eq!(
            next_local_time(ny, utc("2026-03-08T05:00:00Z"), 2, 30),
            utc("2026-03-08T07:00:00Z")
        );
        // 01:30 happens twice on 2026-11-01 (fall back): the earlier, EDT = 05:30 UTC.
        assert_eq!(
            next_local_time(ny, utc("2026-11-01T04:00:00Z"), 1, 30),
            utc("2026-11-01T05:30:00Z")
        );
        // Exactly at the time: that instant.
        assert_eq!(
            next_local_time(ny, utc("2026-03-07T14:00:00Z"), 9, 0),
            utc("2026-03-07T14:00:00Z")
        );
    }

    #[test]
    fn quiet_hours_wrap_past_midnight_in_local_time() {
        let tokyo = Tz::Asia__Tokyo; // UTC+9, no DST
        assert!(in_quiet_hours(tokyo, utc("2026-06-01T13:00:00Z"), 21, 8)); // 22:00
        assert!(in_quiet_hours(tokyo, utc("2026-06-01T20:00:00Z"), 21, 8)); // 05:00
        assert!(!in_quiet_hours(tokyo, utc("2026-06-01T23:00:00Z"), 21, 8)); // 08:00
        assert!(in_quiet_hours(tokyo, utc("2026-06-01T04:00:00Z"), 12, 14)); // 13:00
        assert!(!in_quiet_hours(tokyo, utc("2026-06-01T04:00:00Z"), 9, 9));
        assert_eq!(
            end_of_quiet_hours(tokyo, utc("2026-06-01T13:00:00Z"), 8),
            utc("2026-06-01T23:00:00Z")
        );
    }
}
