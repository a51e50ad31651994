// Types for scripts/l10n-ids.mjs, which the catalogue test imports.
export const FTL: string;
export const IDS: string;
export function generate(source: string): string;
export function variables(source: string): Map<string, Map<string, boolean>>;
