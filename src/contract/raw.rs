//! The contract file as written: serde structs, every scalar kept as its source text so decimals
//! never pass through a binary float. Only [`super::Contract::from_yaml`] turns these into a
//! validated contract.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContract {
    pub id: String,
    pub title: Option<String>,
    pub provider: Option<String>,
    pub source: Option<String>,
    /// The date of the terms encoded (the "Last Updated" of the provider's page).
    pub terms_date: Option<String>,
    pub applies_to: Option<BTreeMap<String, String>>,
    pub period: String,
    pub timezone: String,
    pub commitment: String,
    pub service_hours: Option<RawServiceHours>,
    pub downtime: Option<RawDowntime>,
    pub exclusions: Option<RawExclusions>,
    pub credits: RawCredits,
    pub claim: Option<RawClaim>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServiceHours {
    pub weekly: Option<Vec<RawWeekly>>,
    pub holidays: Option<RawHolidays>,
}

/// `holidays: [dates]`, or `holidays: { calendar: de, extra: [dates], except: [dates] }`.
#[derive(Debug)]
pub enum RawHolidays {
    Dates(Vec<String>),
    Calendar(RawCalendarUse),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendarUse {
    pub calendar: String,
    pub extra: Option<Vec<String>>,
    pub except: Option<Vec<String>>,
}

impl<'de> Deserialize<'de> for RawHolidays {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawHolidays, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawHolidays;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of dates or { calendar, extra, except }")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<RawHolidays, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(RawHolidays::Dates)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawHolidays, A::Error> {
                RawCalendarUse::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawHolidays::Calendar)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeekly {
    pub days: Vec<String>,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDowntime {
    pub counting: Option<String>,
    pub min_duration: Option<String>,
    pub partial_impact: Option<String>,
    pub composite: Option<RawComposite>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComposite {
    pub label: String,
    pub at_least: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExclusions {
    pub causes: Option<Vec<String>>,
    pub maintenance_notice: Option<String>,
    pub excluded_time: Option<String>,
    pub maintenance_windows: Option<Vec<RawWeekly>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCredits {
    pub tiers: Option<Vec<RawTier>>,
    pub per_duration: Option<RawPerDuration>,
    pub fee_multiple: Option<RawFeeMultiple>,
    pub fixed: Option<RawFixed>,
    pub at_risk: Option<RawAtRisk>,
    pub cap: Option<RawCap>,
    pub annual_cap: Option<RawCap>,
    pub minimum: Option<RawMinimum>,
    pub rounding: Option<String>,
    pub earn_back: Option<RawEarnBack>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    pub below: String,
    pub percent: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerDuration {
    pub percent: String,
    pub per: String,
    pub count: Option<String>,
    pub beyond: Option<String>,
    pub beyond_per: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFeeMultiple {
    pub multiple: String,
    pub min_incident: Option<String>,
    pub min_total: Option<String>,
    pub hours_basis: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFixed {
    pub amount: String,
    pub min_incident: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAtRisk {
    pub pool: String,
    pub percent: String,
    pub allocation: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEarnBack {
    pub periods: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCap {
    pub percent: Option<String>,
    pub amount: Option<String>,
    pub window: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub deadline: Option<RawDeadline>,
    pub requires: Option<Vec<String>>,
    pub subject: Option<String>,
    pub send_to: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeadline {
    pub periods_after: Option<String>,
    pub days_after_incident: Option<String>,
    pub days_after_period_end: Option<String>,
}

/// `minimum: 1` (credits below 1 are dropped) or `minimum: { above: 1 }` (credits at or below 1).
#[derive(Debug, Clone, PartialEq)]
pub enum RawMinimum {
    AtLeast(String),
    Above(String),
    /// A plain YAML float (`minimum: 0.5`): serde hands it over as f64 only, so the exact text is
    /// re-read from the source by the validator.
    Float,
}

impl<'de> Deserialize<'de> for RawMinimum {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawMinimum, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawMinimum;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount or { above: amount }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawMinimum, E> {
                Ok(RawMinimum::AtLeast(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawMinimum, E> {
                Ok(RawMinimum::AtLeast(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawMinimum, E> {
                Ok(RawMinimum::AtLeast(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawMinimum, E> {
                Ok(RawMinimum::Float)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawMinimum, A::Error> {
                let mut above = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "above" || above.is_some() {
                        return Err(de::Error::unknown_field(&key, &["above"]));
                    }
                    above = Some(map.next_value::<String>()?);
                }
                above
                    .map(RawMinimum::Above)
                    .ok_or_else(|| de::Error::missing_field("above"))
            }
        }
        d.deserialize_any(V)
    }
}
