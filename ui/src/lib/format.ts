// Dates, durations, numbers and places, formatted with Intl for the UI language.
// Data arrives in UTC (RFC 3339); people see their own time zone.

/** "27 Nov 2026, 09:14 CET" in the local time zone; the raw text if it is not a date. */
export function exactTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(date);
}

/** A short date without time: "27 Nov 2026". */
export function shortDate(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" })
    .format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** How far ahead of this computer a server's clock may run before its times read as future. */
const CLOCK_SKEW_SECONDS = 300;

/** "3 hours ago", "in 2 days", "now": the largest whole unit between `iso` and `now`. */
export function relativeTime(iso: string, now: Date, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  // Every moment shown is in the past; a server clock a few minutes ahead of this computer's
  // must not turn a sign-in into "in 1 minute".
  if (seconds > 0 && seconds <= CLOCK_SKEW_SECONDS) seconds = 0;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, "second");
}

/** A duration for "try again in …": "29 minutes", "1 hour, 5 minutes", "40 seconds". */
export function duration(totalSeconds: number, locale: string): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  const unit = (value: number, unit: string) =>
    new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
  if (seconds < 60) return unit(seconds, "second");
  // Round up: saying "29 minutes" when 29 min 30 s are left would send people back too early.
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return unit(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours >= 48 && rest === 0) return unit(hours / 24, "day");
  if (rest === 0) return unit(hours, "hour");
  return new Intl.ListFormat(locale, { style: "narrow", type: "unit" }).format([
    unit(hours, "hour"),
    unit(rest, "minute"),
  ]);
}

/** A whole number with the locale's grouping. */
export function count(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** Bytes as megabytes to one decimal ("12.5"), for the unit the sentence around it names. */
export function megabytes(bytes: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / 1_000_000);
}

/** "10,009 km" */
export function kilometres(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "unit", unit: "kilometer" }).format(value);
}

/** "13,079 km/h" */
export function speed(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "unit", unit: "kilometer-per-hour" }).format(
    value,
  );
}

/** The country's name in the UI language ("Brazil", "البرازيل"), or the code as given. */
export function countryName(code: string, locale: string, english?: string | null): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: "region", fallback: "none" }).of(
      code.toUpperCase(),
    );
    if (name) return name;
  } catch {
    // Not a valid region code: fall back to what the server said.
  }
  return english ?? code;
}

/** "São Paulo, Brazil" with the country in the UI language; null when nothing is known. */
export function placeName(
  location: { city: string | null; country: string | null; country_code: string | null },
  locale: string,
): string | null {
  const country = location.country_code
    ? countryName(location.country_code, locale, location.country)
    : location.country;
  const parts = [location.city, country].filter((p): p is string => !!p);
  return parts.length ? parts.join(locale.startsWith("ar") ? "، " : ", ") : null;
}

/** The local time zone's name, e.g. "Europe/Berlin". */
export function timeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
