// The window's side of Keepwatch's one wording catalogue: the same .ftl files the Rust crates
// format (crates/keepwatch-l10n/locales), read with @fluent/bundle. See that crate's README.

import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";
import arSource from "../../../../crates/keepwatch-l10n/locales/ar/keepwatch.ftl?raw";
import enSource from "../../../../crates/keepwatch-l10n/locales/en/keepwatch.ftl?raw";
import type { Language } from "../types";
import type { MessageArgs, MessageId } from "./ids";

export type { MessageArgs, MessageId } from "./ids";

/** The arguments a message takes: none, or an object with exactly its variables. */
export type ArgsOf<K extends MessageId> = MessageArgs[K] extends undefined ? [] : [MessageArgs[K]];

/**
 * The messages of one language: a message id (and its variables) in, the sentence out. Never
 * throws: a message that fails is given in English, then as its id.
 */
export type Messages = <K extends MessageId>(id: K, ...args: ArgsOf<K>) => string;

const SOURCES: Record<Language, string> = { en: enSource, ar: arSource };

/** The Intl locale a language's numbers are formatted for when none is given. */
const DEFAULT_LOCALE: Record<Language, string> = { en: "en", ar: "ar-u-nu-latn" };

const resources = new Map<Language, FluentResource>();
const bundles = new Map<string, FluentBundle>();

function bundle(language: Language, locale: string): FluentBundle {
  const key = `${language} ${locale}`;
  let found = bundles.get(key);
  if (!found) {
    let resource = resources.get(language);
    if (!resource) {
      resource = new FluentResource(SOURCES[language]);
      resources.set(language, resource);
    }
    // The locale sets plural rules and number formatting; isolation as in keepwatch-l10n:
    // placeables are wrapped in FSI…PDI in right-to-left sentences only.
    found = new FluentBundle(locale, { useIsolating: language === "ar" });
    found.addResource(resource);
    bundles.set(key, found);
  }
  return found;
}

function tryFormat(b: FluentBundle, id: string, args: Record<string, FluentVariable> | undefined) {
  const pattern = b.getMessage(id)?.value;
  if (!pattern) return null;
  const errors: Error[] = [];
  const text = b.formatPattern(pattern, args ?? null, errors);
  return errors.length ? null : text;
}

/**
 * The messages of `language`, with numbers formatted and plurals chosen for `locale` (an Intl
 * tag of that language, e.g. `intlLocale()`).
 */
export function catalogue(language: Language, locale: string = DEFAULT_LOCALE[language]): Messages {
  const own = bundle(language, locale);
  return (id, ...args) => {
    const values = args[0] as Record<string, FluentVariable> | undefined;
    return (
      tryFormat(own, id, values) ??
      (language === "en" ? null : tryFormat(bundle("en", DEFAULT_LOCALE.en), id, values)) ??
      id
    );
  };
}

/** English, for tests and as the fallback. */
export const en: Messages = catalogue("en");
/** Arabic, with Western digits. */
export const ar: Messages = catalogue("ar");

type Kebab<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}-${Kebab<Tail>}` : S;

/**
 * A snake_case value from the core (`"signed_out"`) as the kebab-case tail of a message id,
 * typed so that `m(\`phase-${kebab(phase)}\`)` is checked against the catalogue.
 */
export function kebab<S extends string>(value: S): Kebab<S> {
  return value.replaceAll("_", "-") as Kebab<S>;
}
