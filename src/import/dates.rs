//! Dates as the source tools accept them, written as kbgen reads them:
//! `YYYY-MM-DD`, or RFC 3339 when a time is given. Grav's `d-m-Y` and
//! `d-m-Y H:i` (a dash means day first, a slash month first, as PHP's
//! `strtotime` reads them), Jekyll's `2024-01-31 10:00:00 +0100`, TOML's local
//! date-times. A time without an offset is written as UTC, keeping its day.

use crate::content::front_matter::Date;

/// The date as kbgen writes it, or `None` for a format none of the tools use.
pub fn iso_date(written: &str) -> Option<String> {
    let written = written.trim();
    if Date::parse(written).is_some() {
        return Some(written.to_string());
    }
    let with_offset = [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
    ];
    for format in with_offset {
        if let Ok(parsed) = jiff::fmt::strtime::parse(format, written) {
            if let (Ok(time), Some(offset)) = (parsed.to_datetime(), parsed.offset()) {
                let text = format!(
                    "{}{}",
                    time.strftime("%Y-%m-%dT%H:%M:%S"),
                    offset_text(offset)
                );
                return Date::parse(&text).map(|_| text);
            }
        }
    }
    let local_times = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%d-%m-%Y %H:%M",
        "%d-%m-%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%Y/%m/%d %H:%M",
    ];
    for format in local_times {
        if let Ok(time) = jiff::civil::DateTime::strptime(format, written) {
            let text = format!("{}Z", time.strftime("%Y-%m-%dT%H:%M:%S"));
            return Date::parse(&text).map(|_| text);
        }
    }
    let days = [
        "%d-%m-%Y",
        "%m/%d/%Y",
        "%Y/%m/%d",
        "%d.%m.%Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%Y-%m-%d",
    ];
    for format in days {
        if let Ok(day) = jiff::civil::Date::strptime(format, written) {
            return Some(day.to_string());
        }
    }
    None
}

fn offset_text(offset: jiff::tz::Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.abs();
    format!("{sign}{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formats_the_tools_accept() {
        assert_eq!(iso_date("2024-01-31").as_deref(), Some("2024-01-31"));
        assert_eq!(iso_date("14-03-2026").as_deref(), Some("2026-03-14"));
        assert_eq!(
            iso_date("14-03-2026 09:30").as_deref(),
            Some("2026-03-14T09:30:00Z")
        );
        assert_eq!(iso_date("03/14/2026").as_deref(), Some("2026-03-14"));
        assert_eq!(
            iso_date("2024-01-31 10:00:00 +0100").as_deref(),
            Some("2024-01-31T10:00:00+01:00")
        );
        assert_eq!(
            iso_date("2024-01-31T10:00:00").as_deref(),
            Some("2024-01-31T10:00:00Z")
        );
        assert_eq!(
            iso_date("2024-01-31T10:00:00Z").as_deref(),
            Some("2024-01-31T10:00:00Z")
        );
        assert_eq!(iso_date("soon"), None);
    }
}
