import { render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import { NOW, status } from "../../test/fixtures";
import { setLanguage } from "../i18n/locale.svelte";
import type { SyncStatus } from "../types";
import SyncStatusLine from "./SyncStatusLine.svelte";

afterEach(() => setLanguage("en"));

/** What the core reports before the first account exists (SyncStatus::signed_out(None)). */
const noAccount: SyncStatus = {
  account_id: null,
  phase: "signed_out",
  last_synced_at: null,
  live: false,
  last_error: null,
};

describe("SyncStatusLine", () => {
  it("welcomes a first start instead of asking to sign in again", () => {
    render(SyncStatusLine, { status: noAccount, now: NOW });
    const line = screen.getByRole("status");
    expect(line.textContent?.replace(/\s+/g, " ").trim()).toBe(
      "No account yet — sign in to start watching",
    );
    expect(line.textContent).not.toContain("again");
    expect(line.textContent).not.toContain("Not synced yet");
  });

  it("says so in Arabic too", () => {
    setLanguage("ar");
    render(SyncStatusLine, { status: noAccount, now: NOW });
    expect(screen.getByRole("status").textContent).toContain(
      "لا يوجد حساب بعد — سجّل الدخول لبدء المراقبة",
    );
  });

  it("asks to sign in again when a known account was signed out", () => {
    render(SyncStatusLine, {
      status: { ...status, phase: "signed_out", live: false },
      now: NOW,
    });
    const line = screen.getByRole("status");
    expect(line.textContent).toContain("Signed out — sign in again");
    expect(line.textContent).toContain("Last synced");
  });
});
