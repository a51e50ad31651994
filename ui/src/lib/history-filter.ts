// The history filter form's values, turned into the HistoryFilter the core takes.

import type { HistoryFilter, HistoryState } from "./types";

/** Time-range presets; custom ranges are not offered yet. */
export const RANGES = {
  any: null,
  last24h: 24 * 3600,
  last7d: 7 * 24 * 3600,
  last30d: 30 * 24 * 3600,
  last365d: 365 * 24 * 3600,
} as const;

export type RangeKey = keyof typeof RANGES;

/** What the filter form holds: "" means "any". */
export type FilterForm = {
  range: RangeKey;
  country: string;
  device: string;
  state: HistoryState | "";
  text: string;
};

export const EMPTY_FORM: FilterForm = { range: "any", country: "", device: "", state: "", text: "" };

/** The filter for the form's values, with time ranges counted back from `now`. */
export function toFilter(form: FilterForm, now: Date): HistoryFilter {
  const seconds = RANGES[form.range];
  const text = form.text.trim();
  return {
    from: seconds === null ? null : new Date(now.getTime() - seconds * 1000).toISOString(),
    to: null,
    country_code: form.country || null,
    device: form.device || null,
    state: form.state || null,
    text: text || null,
  };
}
