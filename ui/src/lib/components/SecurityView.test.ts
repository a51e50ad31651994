import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { accounts, matrixCapabilities, NOW, settings } from "../../test/fixtures";
import { answerIpc } from "../../test/ipc-mock";
import SecurityView from "./SecurityView.svelte";

const ACCOUNT_CARDS = ["Change password", "IP blocklist", "Trusted devices"];

function headings(): string[] {
  return screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent ?? "");
}

describe("SecurityView", () => {
  it("shows the account's settings its provider offers, and the app's", () => {
    answerIpc({ blocklist: () => [], session_length: () => ({ idle_minutes: 60 }), trusted_devices: () => [] });
    render(SecurityView, { settings, now: NOW, capabilities: accounts[0]!.capabilities, onsave: async () => {} });
    for (const card of [...ACCOUNT_CARDS, "App"]) expect(headings()).toContain(card);
  });

  it("offers a Matrix account none of the settings Matrix does not have", () => {
    answerIpc({});
    render(SecurityView, { settings, now: NOW, capabilities: matrixCapabilities, onsave: async () => {} });
    for (const card of ACCOUNT_CARDS) expect(headings()).not.toContain(card);
    expect(headings()).toContain("App");
  });
});
