import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FTL, IDS, generate, variables } from "../../../scripts/l10n-ids.mjs";
import arSource from "../../../../crates/keepwatch-l10n/locales/ar/keepwatch.ftl?raw";
import enSource from "../../../../crates/keepwatch-l10n/locales/en/keepwatch.ftl?raw";
import { ar, catalogue, en, type MessageArgs, type MessageId } from "./catalogue";

const EN = variables(enSource);
const AR = variables(arSource);
const iso = (text: string) => `\u2068${text}\u2069`;

describe("the wording catalogue", () => {
  it("types every message id: ids.ts is generated from the English file as it is now", () => {
    expect(readFileSync(IDS, "utf8"), "run `npm run l10n`").toBe(generate(readFileSync(FTL, "utf8")));
  });

  it("has every message in both languages, with the same variables", () => {
    expect([...AR.keys()].sort()).toEqual([...EN.keys()].sort());
    for (const [id, vars] of EN) {
      expect([...(AR.get(id)?.keys() ?? [])].sort(), id).toEqual([...vars.keys()].sort());
    }
  });

  it("formats every message the UI can ask for in both languages, never falling back", () => {
    for (const [id, vars] of EN) {
      const args = Object.fromEntries([...vars.keys()].map((name) => [name, 7]));
      for (const m of [en, ar]) {
        // The id list is typed by ids.ts; here every one is tried with its variables.
        const text = (m as (id: string, args: object) => string)(id, args);
        expect(text, id).not.toBe(id);
        expect(text.trim(), id).not.toBe("");
      }
    }
  });

  it("takes all six Arabic plural forms, with Western digits", () => {
    const sessions = (count: number) => ar("sessions-count", { count });
    expect([0, 1, 2, 3, 11, 100].map(sessions)).toEqual([
      "لا جلسات",
      "جلسة واحدة",
      "جلستان",
      `${iso("3")} جلسات`,
      `${iso("11")} جلسة`,
      `${iso("100")} جلسة`,
    ]);
    expect(en("sessions-count", { count: 1 })).toBe("1 session");
    expect(en("sessions-count", { count: 1234 })).toBe("1,234 sessions");
  });

  // The same strings as keepwatch-l10n's tests/catalogue.rs: both libraries isolate alike.
  it("isolates placeables in Arabic only, as the Rust side does", () => {
    expect(en("others-failed-body", { reason: "disk full" })).toBe(
      "The other sessions are still signed in: disk full.",
    );
    expect(ar("others-failed-body", { reason: "disk full" })).toBe(
      `ما زالت الجلسات الأخرى مسجَّلة الدخول: ${iso("disk full")}.`,
    );
    expect(ar("list-separator")).toBe("، ");
  });

  it("falls back to the id instead of throwing when a message cannot be formatted", () => {
    const loose = ar as (id: string, args?: object) => string;
    expect(loose("others-failed-body")).toBe("others-failed-body");
    expect(loose("no-such-message")).toBe("no-such-message");
  });

  it("formats numbers for the locale it is given", () => {
    expect(catalogue("en", "en-IN")("sessions-count", { count: 123456 })).toBe("1,23,456 sessions");
  });
});

// A compile-time check: a message's variables are required and exact.
const _typed: MessageArgs["sessions-count"] = { count: 1 };
const _id: MessageId = "quit";
void _typed;
void _id;
