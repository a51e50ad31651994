// The UI language: which messages to use, the document's direction, and the Intl locale tag.

import type { Language } from "../types";
import { catalogue, type Messages } from "./catalogue";

const current = $state<{ language: Language }>({ language: "en" });

/** The language navigator.language asks for, when Keepwatch speaks it; English otherwise. */
export function systemLanguage(): Language {
  const wanted = typeof navigator === "undefined" ? "" : navigator.language.toLowerCase();
  return wanted === "ar" || wanted.startsWith("ar-") ? "ar" : "en";
}

/** The language in use. */
export function language(): Language {
  return current.language;
}

/** Switches the language and sets `lang` and `dir` on <html>, so the layout mirrors in Arabic. */
export function setLanguage(language: Language): void {
  current.language = language;
  if (typeof document !== "undefined") {
    document.documentElement.lang = language;
    document.documentElement.dir = language === "ar" ? "rtl" : "ltr";
  }
}

/**
 * The messages of the language in use, numbers formatted for `intlLocale()`; read it inside a
 * component to follow changes.
 */
export function messages(): Messages {
  return catalogue(current.language, intlLocale());
}

/**
 * The Intl locale tag for dates and numbers.
 *
 * Arabic uses Western digits (`nu-latn`) on purpose: IP addresses, ASNs, amounts, TOTP and
 * backup codes are Western-digit text that must be read or typed exactly, and mixing them with
 * Arabic-Indic digits on the same line is harder to read than using one set throughout. It is
 * also what engines disagree on (ICU's default for `ar` changed), so saying it keeps every
 * webview the same. English follows the system's regional format (en-GB, en-US…).
 */
export function intlLocale(): string {
  if (current.language === "ar") return "ar-u-nu-latn";
  const system = typeof navigator === "undefined" ? "" : navigator.language;
  return system.toLowerCase().startsWith("en") ? system : "en";
}
