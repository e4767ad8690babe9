// Number, money and date formatting for screens. Money arrives as integer
// minor units with its ISO currency; it is never mixed across currencies.

const DIGITS_CACHE = new Map<string, number>();

/**
 * The person's locale, or US English where the system has none to offer (a
 * POSIX "C" locale gives no digit grouping: 20000 instead of 20,000).
 */
export const LOCALE: string = (() => {
  const candidates = [typeof navigator !== "undefined" ? navigator.language : undefined, Intl.NumberFormat().resolvedOptions().locale];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const lower = candidate.toLowerCase();
    if (lower === "c" || lower === "posix" || lower === "und" || lower.startsWith("c.") || lower === "en-us-posix") continue;
    try {
      return Intl.getCanonicalLocales(candidate)[0] ?? "en-US";
    } catch {
      continue;
    }
  }
  return "en-US";
})();

/**
 * Digits of a currency's minor unit, from ISO 4217 as Intl knows it (2 for
 * USD, 0 for JPY and KRW, 3 for KWD); 2 for a code Intl does not know. The UI's
 * one source for converting minor units, as `rebound-money` is the backend's.
 */
export function minorDigits(currency: string): number {
  let digits = DIGITS_CACHE.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    DIGITS_CACHE.set(currency, digits);
  }
  return digits;
}

/** Minor units in major units of `currency`: 1250 USD cents is 12.5, 1250 yen is 1250. */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
}

/** A major-unit amount typed by a person ("12.50") in minor units; null when blank or not a number. */
export function toMinor(text: string, currency: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  const v = Number(t);
  return Number.isFinite(v) ? Math.round(v * 10 ** minorDigits(currency)) : null;
}

/** A major-unit amount (a statistic's mean) as money: 12.5 USD is "$12.50", 1250 JPY "¥1,250". */
export function moneyOfMajor(major: number, currency: string): string {
  return money(Math.round(major * 10 ** minorDigits(currency)), currency);
}

/** An amount with the currency's own digits and no symbol: "12.50", "1,250" (JPY). */
export function amount(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 0, maximumFractionDigits: digits }).format(toMajor(minor, currency));
}

export function money(minor: number, currency: string, options: { compact?: boolean } = {}): string {
  const amount = toMajor(minor, currency);
  try {
    return new Intl.NumberFormat(LOCALE, {
      style: "currency",
      currency,
      notation: options.compact ? "compact" : "standard",
      maximumFractionDigits: options.compact ? 1 : amount >= 10_000 ? 0 : 2,
    }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

export function count(n: number, options: { compact?: boolean } = {}): string {
  return new Intl.NumberFormat(LOCALE, {
    notation: options.compact && Math.abs(n) >= 100_000 ? "compact" : "standard",
    maximumFractionDigits: options.compact ? 1 : 0,
  }).format(n);
}

/** A figure as a report gives it: grouped, with at most `digits` decimals ("12,688", "1.39"). */
export function figure(n: number, digits = 2): string {
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits }).format(n);
}

/** A backend reason as a sentence: "arm names must differ" → "Arm names must differ." */
export function sentence(reason: string): string {
  const text = reason.trim();
  if (text === "") return text;
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export function percent(fraction: number, digits = 1): string {
  return new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: digits, minimumFractionDigits: digits }).format(fraction);
}

/** Relative change from `previous` to `current`; null when there is no base. */
export function change(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return (current - previous) / previous;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** "2026-10-31" → "Oct 31, 2026" (the date is a calendar day, not an instant). */
export function day(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  if (!y || !m || !d) return iso;
  return new Intl.DateTimeFormat(LOCALE, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** An instant (RFC 3339) in the person's time zone: "Nov 26, 2026, 11:34 PM". */
export function dateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALE, { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }).format(date);
}

/** Two days as a range; one day once when they are the same. */
export function dayRange(first: string, last: string): string {
  return first === last ? day(first) : `${day(first)} – ${day(last)}`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

const LABELS: Record<string, string> = {
  meta_ads: "Meta Ads",
  google_ads: "Google Ads",
  email: "E-mail",
  sms: "SMS",
  push: "Push",
  mixed: "Ads + owned",
  in_stock: "In stock",
  out_of_stock: "Out of stock",
  preorder: "Pre-order",
  backorder: "Backorder",
};

export function label(code: string): string {
  return LABELS[code] ?? code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, " ");
}

const EVENT_WORDS: Record<string, string> = {
  page_view: "Viewed a page",
  view_item: "Viewed a product",
  view_item_list: "Viewed a product list",
  add_to_cart: "Added to cart",
  remove_from_cart: "Removed from cart",
  add_to_wishlist: "Added to a wishlist",
  begin_checkout: "Began checkout",
  add_payment_info: "Added payment details",
  purchase: "Purchased",
  refund: "Was refunded",
  sign_up: "Signed up",
  login: "Logged in",
  start_trial: "Started a trial",
  search: "Searched",
  email_send: "Was sent an e-mail",
  email_open: "Opened an e-mail",
  email_click: "Clicked an e-mail",
  ad_impression: "Saw an ad",
  ad_click: "Clicked an ad",
};

/** An event name in words: "add_to_cart" → "Added to cart"; unknown names are made readable. */
export function eventLabel(name: string): string {
  return EVENT_WORDS[name] ?? label(name);
}

// The screens' words are English, so English plural rules choose between
// them, whatever the locale that groups the digits.
const PLURAL_RULES = new Intl.PluralRules("en");

/** The word for `n` of a thing, without the count: "campaign" for 1, "campaigns" otherwise. */
export function pluralWord(n: number, one: string, many = `${one}s`): string {
  return PLURAL_RULES.select(n) === "one" ? one : many;
}

/** "1 campaign", "2 campaigns", with the count grouped: `plural(n, "campaign")`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${pluralWord(n, one, many)}`;
}

/** The UTC day an "as of" instant (micros) is the end of: the next midnight means that day. */
export function asOfDay(micros: number): string {
  return new Date(Math.floor((micros - 1) / 1000)).toISOString().slice(0, 10);
}
