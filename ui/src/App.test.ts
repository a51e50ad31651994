import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import { accounts, alerts, historyPage, offlineStatus, sessionList, settings } from "./test/fixtures";
import { answerIpc } from "./test/ipc-mock";

describe("App", () => {
  it("says it is not connected, rather than showing a blank page, outside the app", async () => {
    render(App);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Keepwatch");
    expect(
      (await screen.findByRole("heading", { name: "Not connected to the Keepwatch service" }))
        .textContent,
    ).toBeTruthy();
    expect(document.body.textContent).toContain("IP geolocation by DB-IP");
  });

  it("starts offline with the cached sessions and when they were last synced", async () => {
    answerIpc({
      status: () => offlineStatus,
      settings: () => settings,
      accounts: () => accounts,
      list_sessions: () => sessionList,
      list_alerts: () => alerts,
      history: () => historyPage,
    });
    render(App);
    expect(await screen.findByText("Chrome 124 on macOS Sonoma")).toBeTruthy();
    const status = screen.getAllByRole("status")[0]!;
    expect(status.textContent).toContain("Offline — showing saved data");
    expect(status.textContent).toContain("Last synced");
    expect(screen.getByRole("navigation").textContent).toContain("Alerts");
  });
});
