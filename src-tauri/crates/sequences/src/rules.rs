//! Rules every flow obeys, per person across all flows: frequency caps per
//! channel, quiet hours in the person's time zone, consent, and send-time
//! optimisation. Stored once per workspace (`sequence_rules`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use rebound_core::time::MICROS_PER_DAY;

use crate::error::{Error, Result};
use crate::model::Channel;

/// At most `max` messages on `channel` to one person in any `per_days` days
/// (a rolling window), whatever flow sends them. A message over the cap is
/// skipped and reported as a collision; the person goes on to the next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct FrequencyCap {
    pub channel: Channel,
    pub max: u32,
    pub per_days: u32,
}

impl FrequencyCap {
    /// At most 1 or more, in a window of 1 to 365 days.
    pub fn validate(&self) -> Result<()> {
        if self.max == 0 || self.per_days == 0 || self.per_days > 365 {
            return Err(Error::InvalidRules(format!(
                "cap \"{}\": at most must be 1 or more and the window 1 to 365 days",
                self.describe()
            )));
        }
        Ok(())
    }

    /// The cap's rolling window, in microseconds.
    pub fn window_micros(&self) -> i64 {
        i64::from(self.per_days) * MICROS_PER_DAY
    }

    /// Whether a send at `sent_at` counts towards the cap for a send at `at`:
    /// the window ending at `at` is `(at - per_days, at]`, open at its start,
    /// so two sends exactly `per_days` apart never share one. The dry run
    /// holds caps with this and the over-messaging report finds sends over
    /// them with it.
    pub fn window_holds(&self, sent_at: i64, at: i64) -> bool {
        sent_at > at - self.window_micros() && sent_at <= at
    }

    pub fn describe(&self) -> String {
        format!(
            "{} at most {} per {} day{}",
            self.channel.as_str(),
            self.max,
            self.per_days,
            if self.per_days == 1 { "" } else { "s" }
        )
    }
}

/// No e-mail, SMS or push from `start_hour` to `end_hour` local time
/// (wrapping past midnight); a message due then waits for `end_hour`.
/// Ad audiences are not held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    pub start_hour: u8,
    pub end_hour: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SendingRules {
    pub caps: Vec<FrequencyCap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub quiet_hours: Option<QuietHours>,
    /// Send only to people whose latest consent for the channel (`ads` for
    /// audiences) is `granted` at the time of sending.
    pub require_consent: bool,
    /// Delay each message (by less than a day) to the local hour at which
    /// the person has opened or clicked most often before, when they have at
    /// least two opens or clicks on record.
    pub send_time_optimisation: bool,
}

impl Default for SendingRules {
    fn default() -> Self {
        SendingRules {
            caps: vec![
                FrequencyCap {
                    channel: Channel::Email,
                    max: 1,
                    per_days: 1,
                },
                FrequencyCap {
                    channel: Channel::Email,
                    max: 3,
                    per_days: 7,
                },
                FrequencyCap {
                    channel: Channel::Sms,
                    max: 1,
                    per_days: 7,
                },
                FrequencyCap {
                    channel: Channel::Push,
                    max: 2,
                    per_days: 1,
                },
            ],
            quiet_hours: Some(QuietHours {
                start_hour: 21,
                end_hour: 8,
            }),
            require_consent: true,
            send_time_optimisation: false,
        }
    }
}

impl SendingRules {
    pub fn validate(&self) -> Result<()> {
        for cap in &self.caps {
            cap.validate()?;
        }
        if let Some(q) = self.quiet_hours {
            if q.start_hour > 23 || q.end_hour > 23 {
                return Err(Error::InvalidRules(format!(
                    "quiet hours {}–{} are not hours of the day (0 to 23)",
                    q.start_hour, q.end_hour
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_is_open_at_its_start_and_closed_at_its_end() {
        let cap = FrequencyCap {
            channel: Channel::Email,
            max: 1,
            per_days: 7,
        };
        let at = 100 * MICROS_PER_DAY;
        assert!(cap.window_holds(at, at));
        assert!(cap.window_holds(at - 7 * MICROS_PER_DAY + 1, at));
        assert!(!cap.window_holds(at - 7 * MICROS_PER_DAY, at));
        assert!(!cap.window_holds(at + 1, at));
        assert_eq!(cap.window_micros(), 7 * 86_400_000_000);
    }
}
