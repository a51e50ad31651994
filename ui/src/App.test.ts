import { emit } from "@tauri-apps/api/event";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import {
  accounts,
  alerts,
  historyPage,
  matrixCapabilities,
  offlineStatus,
  record,
  sessionList,
  settings,
  status,
  vpn,
} from "./test/fixtures";
import { answerIpc } from "./test/ipc-mock";
import type { AccountSummary, FocusRequest, SyncStatus } from "./lib/types";

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
      list_alerts: () => ({ status, alerts }),
      history: () => historyPage,
    });
    render(App);
    expect(await screen.findByText("Chrome 124 on macOS Sonoma")).toBeTruthy();
    const status = screen.getAllByRole("status")[0]!;
    expect(status.textContent).toContain("Offline — showing saved data");
    expect(status.textContent).toContain("Last synced");
    // Nothing can be signed out without the account service, and the page says why.
    expect(document.body.textContent).toContain("Offline: signing sessions out needs a connection");
    for (const name of ["Sign out", "Sign out all other sessions"]) {
      for (const button of screen.getAllByRole("button", { name })) {
        expect((button as HTMLButtonElement).disabled).toBe(true);
      }
    }
    expect(screen.getByRole("navigation").textContent).toContain("Alerts");
  });

  it("follows live updates from the sync engine", async () => {
    answerIpc({
      status: () => offlineStatus,
      settings: () => settings,
      accounts: () => accounts,
      list_sessions: () => sessionList,
      list_alerts: () => ({ status, alerts: [] }),
    });
    render(App);
    await screen.findByText("Chrome 124 on macOS Sonoma");
    expect(screen.getByRole("navigation").textContent).not.toMatch(/Alerts\s*1/);

    await emit("sync://status", status);
    await emit("sync://alert", record({ ...vpn, session_id: "s-phone" }));
    await emit("sync://sessions", { ...sessionList, sessions: sessionList.sessions.slice(0, 2) });

    await vi.waitFor(() =>
      expect(screen.getAllByRole("status")[0]!.textContent).toContain("Up to date"),
    );
    expect(screen.getByRole("navigation").textContent).toMatch(/Alerts\s*1/);
    expect(screen.queryByText("Firefox 125 on Windows 11")).toBeNull();
    // The phone now has an open alert, so the session list marks it.
    expect(document.querySelector(".session.unfamiliar h3")?.textContent).toBe(
      "Mobile Safari 17 on iOS 17.4",
    );
  });

  it("opens the sessions once a first sign-in succeeds", async () => {
    // A fresh install: no account until the form signs one in.
    let known: AccountSummary[] = [];
    let now: SyncStatus = {
      ...status,
      account_id: null,
      phase: "signed_out",
      live: false,
      last_synced_at: null,
    };
    const calls = answerIpc({
      status: () => now,
      settings: () => settings,
      accounts: () => known,
      list_sessions: () => {
        if (!known.length) throw { kind: "not_signed_in", message: "no account" };
        return sessionList;
      },
      list_alerts: () => ({ status, alerts: [] }),
      sign_in: () => {
        known = accounts;
        now = status;
        return { account: accounts[0], sessions: 2, alerts: 0 };
      },
    });
    render(App);
    const form = await screen.findByTestId("sign-in-form");
    expect(screen.getByTestId("nav-accounts").getAttribute("aria-current")).toBe("page");
    expect(screen.getAllByRole("status")[0]!.textContent).toContain("No account yet");

    await fireEvent.input(screen.getByLabelText("Account service address"), {
      target: { value: "https://exchange.example" },
    });
    await fireEvent.input(screen.getByLabelText("Email"), { target: { value: "amira@example.com" } });
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "correct horse" } });
    await fireEvent.submit(form);

    expect(await screen.findByRole("heading", { name: "Active sessions" })).toBeTruthy();
    expect(screen.getByTestId("nav-sessions").getAttribute("aria-current")).toBe("page");
    expect(screen.queryByTestId("sign-in-form")).toBeNull();
    expect(await screen.findByText("Chrome 124 on macOS Sonoma")).toBeTruthy();
    await vi.waitFor(() =>
      expect(screen.getAllByRole("status")[0]!.textContent).toContain("Up to date"),
    );
    expect(calls.filter((c) => c.cmd === "sign_in")).toHaveLength(1);
  });

  it("opens the alert whose notification was clicked, at start and while open", async () => {
    let waiting: FocusRequest | null = { show: "alert", key: alerts[0]!.alert.key };
    const calls = answerIpc({
      status: () => status,
      settings: () => settings,
      accounts: () => accounts,
      list_sessions: () => sessionList,
      list_alerts: () => ({ status, alerts }),
      take_focus_request: () => {
        const key = waiting;
        waiting = null;
        return key;
      },
    });
    render(App);
    await vi.waitFor(() =>
      expect(screen.getByTestId("nav-alerts").getAttribute("aria-current")).toBe("page"),
    );
    expect(document.querySelector(`[data-alert-key="${alerts[0]!.alert.key}"] .respond`)).toBeTruthy();

    await fireEvent.click(screen.getByTestId("nav-sessions"));
    await emit("sync://focus", { show: "alert", key: alerts[1]!.alert.key });
    await vi.waitFor(() =>
      expect(screen.getByTestId("nav-alerts").getAttribute("aria-current")).toBe("page"),
    );
    expect(document.querySelector(`[data-alert-key="${alerts[1]!.alert.key}"] .respond`)).toBeTruthy();
    // The event's request is taken too, so that a window built later does not repeat it.
    await vi.waitFor(() =>
      expect(calls.filter((c) => c.cmd === "take_focus_request").length).toBe(2),
    );
  });

  it("asks here for the password the tray's 'sign out every other session' needs on Matrix", async () => {
    const matrix: AccountSummary[] = accounts.map((a) => ({
      ...a,
      provider: "matrix",
      capabilities: matrixCapabilities,
    }));
    const calls = answerIpc({
      status: () => status,
      settings: () => settings,
      accounts: () => matrix,
      list_sessions: () => sessionList,
      list_alerts: () => ({ status, alerts: [] }),
      geo_status: () => ({ dir: "/geo", files: [], folder: null, folder_files: [], attribution: "" }),
      take_focus_request: () => null,
      revoke_others: () => ({ revoked: 2 }),
    });
    render(App);
    await screen.findByText("Chrome 124 on macOS Sonoma");
    await fireEvent.click(screen.getByTestId("nav-alerts"));
    await emit("sync://focus", { show: "sign_out_others" });
    await vi.waitFor(() =>
      expect(screen.getByTestId("nav-sessions").getAttribute("aria-current")).toBe("page"),
    );
    const password = await screen.findByTestId("confirm-password");
    await fireEvent.input(password, { target: { value: "correct horse" } });
    await fireEvent.click(screen.getByTestId("confirm-action"));
    await vi.waitFor(() =>
      expect(calls.find((c) => c.cmd === "revoke_others")?.args).toEqual({ password: "correct horse" }),
    );
  });
});
