#include "base/time_util.h"

#include <cctype>
#include <cstdio>

#include "base/errors.h"

namespace trustbundle {

// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t utc_seconds(int year, int month, int day, int hour, int minute, int second) {
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 + second;
}

namespace {

bool read_digits(const std::string& s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool valid_fields(int year, int month, int day, int hour, int minute, int second) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return false;
  return hour <= 23 && minute <= 59 && second <= 60;
}

void civil_from_days(int64_t z, int& year, int& month, int& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (month <= 2));
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

int64_t parse_time(const std::string& text) {
  const Error bad = parse_error("time '" + text + "'",
                                "expected RFC 3339 UTC like 2026-05-20T00:00:00Z, or Unix seconds");
  if (text.empty() || text.size() > 64) throw bad;
  bool all_digits = true;
  for (size_t i = 0; i < text.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(text[i])) && !(i == 0 && text[i] == '-')) all_digits = false;
  if (all_digits) {
    if (text == "-" || text.size() > 18) throw bad;
    return std::stoll(text);
  }
  int year, month, day, hour, minute, second;
  if (!read_digits(text, 0, 4, year) || text[4] != '-' || !read_digits(text, 5, 2, month) || text[7] != '-' ||
      !read_digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !read_digits(text, 11, 2, hour) || text[13] != ':' || !read_digits(text, 14, 2, minute) ||
      text[16] != ':' || !read_digits(text, 17, 2, second))
    throw bad;
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) throw bad;
  }
  std::string zone = text.substr(pos);
  if (zone != "Z" && zone != "z" && zone != "+00:00" && zone != "-00:00") {
    throw parse_error("time '" + text + "'", "only UTC is accepted: end it with Z or +00:00");
  }
  if (!valid_fields(year, month, day, hour, minute, second)) throw bad;
  if (second == 60) second = 59;  // a leap second is the last second of its minute
  return utc_seconds(year, month, day, hour, minute, second);
}

std::string format_rfc3339(int64_t seconds) {
  int64_t days = floor_div(seconds, 86400);
  int64_t rest = seconds - days * 86400;
  int year, month, day;
  civil_from_days(days, year, month, day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day,
                static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return buf;
}

std::string format_date(int64_t seconds) { return format_rfc3339(seconds).substr(0, 10); }

int64_t parse_utctime(const std::string& text, const std::string& where) {
  int yy, month, day, hour, minute, second;
  if (text.size() != 13 || text[12] != 'Z' || !read_digits(text, 0, 2, yy) || !read_digits(text, 2, 2, month) ||
      !read_digits(text, 4, 2, day) || !read_digits(text, 6, 2, hour) || !read_digits(text, 8, 2, minute) ||
      !read_digits(text, 10, 2, second))
    throw parse_error(where, "expected a YYMMDDHHMMSSZ date");
  int year = yy >= 50 ? 1900 + yy : 2000 + yy;
  if (!valid_fields(year, month, day, hour, minute, second) || second == 60)
    throw parse_error(where, "date '" + text + "' is not a valid time");
  return utc_seconds(year, month, day, hour, minute, second);
}

int64_t age_in_days(int64_t since, int64_t now) { return now > since ? (now - since) / 86400 : 0; }

}  // namespace trustbundle
