import { describe, expect, it } from "vitest";
import { ar, en } from "./catalogue";
import { alertTitle, explainError, noticeText, reasonText, stepLabel, type Notice } from "./wording";

describe("explainError", () => {
  it("words a lockout with the time left, not a code", () => {
    const error = { kind: "account_locked" as const, message: "423", retry_after_secs: 1740 };
    expect(explainError(en, error, "en")).toBe(
      "Too many failed sign-ins have locked this account. You can try again in 29 minutes.",
    );
    // Ten minutes later, ten minutes less.
    expect(explainError(en, error, "en", 600)).toBe(
      "Too many failed sign-ins have locked this account. You can try again in 19 minutes.",
    );
    expect(explainError(ar, error, "ar-u-nu-latn")).toContain("29 دقيقة");
  });

  it("words long and unknown lockouts", () => {
    expect(
      explainError(en, { kind: "account_locked", message: "", retry_after_secs: 5400 }, "en"),
    ).toContain("1 hour 30 minutes");
    expect(explainError(en, { kind: "account_locked", message: "" }, "en")).toBe(
      "Too many failed sign-ins have locked this account. Most locks lift by themselves after 30 minutes.",
    );
  });

  it("explains a blocked address in words, with the time when there is one", () => {
    expect(explainError(en, { kind: "ip_blocked", message: "403" }, "en")).toContain(
      "this computer's network address is on the account's IP blocklist",
    );
    expect(
      explainError(en, { kind: "ip_blocked", message: "403", retry_after_secs: 45 }, "en"),
    ).toBe(
      "Sign-in refused: this computer's network address is blocked. The block lifts in 45 seconds.",
    );
  });

  it("falls back to the core's message for kinds it does not know", () => {
    expect(explainError(en, { kind: "internal", message: "disk full" }, "en")).toBe(
      "Something went wrong: disk full",
    );
  });
});

describe("reasonText", () => {
  it("words impossible travel with localised numbers and units", () => {
    const reason = {
      type: "impossible_travel" as const,
      from: "Berlin, Germany",
      to: "São Paulo, Brazil",
      km: 10009,
      minutes: 45,
      kmh: 13079,
    };
    expect(reasonText(en, reason, "en")).toBe(
      "Berlin, Germany to São Paulo, Brazil is 10,009 km in 45 minutes: even allowing for geolocation error that is 13,079 km/h, faster than any flight.",
    );
  });

  it("words a failed sign-in by its outcome", () => {
    expect(reasonText(en, { type: "failed_sign_in", outcome: "invalid_totp" }, "en")).toContain(
      "someone knows your password",
    );
  });
});

describe("the alarm of losing Keepwatch's session", () => {
  it("words why Keepwatch stopped watching, by cause, in both languages", () => {
    const causes = ["revoked_by_session", "password_changed", "two_factor_reset", "token_reused"] as const;
    const english = causes.map((cause) =>
      reasonText(en, { type: "keepwatch_signed_out", cause }, "en"),
    );
    expect(new Set(english).size).toBe(causes.length);
    for (const text of english) expect(text).toContain("sign in again");
    for (const cause of causes) {
      expect(reasonText(ar, { type: "keepwatch_signed_out", cause }, "ar")).toMatch(/[\u0600-\u06FF]/);
    }
    expect(alertTitle(en, "keepwatch_signed_out")).toBe("Keepwatch was signed out by another session");
    expect(stepLabel(en, { type: "sign_in_again" })).toBe("Sign in to Keepwatch again");
  });

  it("names a session Keepwatch never saw and counts the sessions signed out", () => {
    expect(reasonText(en, { type: "unseen_session", session_id: "ses_1" }, "en")).toContain("ses_1");
    expect(reasonText(en, { type: "other_sessions_signed_out", count: 3 }, "en")).toBe(
      "Every other session (3) was signed out.",
    );
    expect(reasonText(ar, { type: "other_sessions_signed_out", count: 2 }, "ar")).toBe(
      "سُجّل خروج الجلستين الأخريين.",
    );
  });
});

describe("noticeText", () => {
  const notices: Notice[] = [
    { key: "signedOutOthers", count: 3 },
    { key: "passwordChanged", revoked: 1234 },
    { key: "exported", rows: 12, path: "/home/amira/keepwatch-history.csv" },
    { key: "exportCancelled" },
  ];

  it("words every notice in both languages, from the same stored value", () => {
    for (const notice of notices) {
      const english = noticeText(en, notice);
      const arabic = noticeText(ar, notice);
      expect(english, notice.key).not.toBe("");
      expect(arabic, notice.key).not.toBe(english);
      expect(arabic, notice.key).toMatch(/[\u0600-\u06FF]/);
    }
  });

  it("formats numbers when shown, for the language then in use", () => {
    expect(noticeText(en, { key: "passwordChanged", revoked: 1234 })).toBe(
      "Password changed. Signed out 1,234 other sessions.",
    );
    expect(noticeText(ar, { key: "signedOutOthers", count: 3 })).toBe(
      "أُنهيت \u20683\u2069 جلسات أخرى.",
    );
  });

  it("keeps a file path left-to-right inside an Arabic sentence", () => {
    const notice: Notice = { key: "exported", rows: 12, path: "/home/amira/h.csv" };
    expect(noticeText(en, notice)).toBe("Exported 12 rows to /home/amira/h.csv.");
    expect(noticeText(ar, notice)).toContain("\u2068/home/amira/h.csv\u2069");
  });
});
