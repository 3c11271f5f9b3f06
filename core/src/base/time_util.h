// Unix-seconds arithmetic and the two text forms the project accepts:
// RFC 3339 UTC and decimal Unix seconds. Never reads the wall clock.
#pragma once

#include <cstdint>
#include <string>

namespace trustbundle {

int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
int64_t utc_seconds(int year, int month, int day, int hour, int minute, int second);

// "2026-05-20T00:00:00Z" (fractions floored, "+00:00" accepted) or "1779235200".
// Throws Error(PARSE) naming the text on anything else.
int64_t parse_time(const std::string& text);

// "2026-05-20T00:00:00Z"
std::string format_rfc3339(int64_t seconds);
// "2026-05-20"
std::string format_date(int64_t seconds);

// Whole days from since to now (both Unix seconds); 0 if since is later.
int64_t age_in_days(int64_t since, int64_t now);

// NSS distrust-after dates: UTCTime text "YYMMDDHHMMSSZ".
int64_t parse_utctime(const std::string& text, const std::string& where);

}  // namespace trustbundle
