import { describe, expect, it } from "vitest";
import { answerIpc } from "../test/ipc-mock";
import * as ipc from "./ipc";

describe("ipc", () => {
  it("refuses with not_connected outside the app", async () => {
    expect(ipc.connected()).toBe(false);
    await expect(ipc.listSessions()).rejects.toEqual({
      kind: "not_connected",
      message: "Not connected to the Keepwatch service",
    });
  });

  it("calls the snake_case command with camelCase argument keys", async () => {
    const calls = answerIpc({
      confirm_session: () => null,
      set_alert_state: () => null,
      history: () => ({ rows: [], total: 0, total_is_exact: true, countries: [], devices: [] }),
      set_session_length: (args) => args.value,
    });
    await ipc.confirmSession("s1");
    await ipc.setAlertState("session:s1", "resolved");
    const filter = { from: null, to: null, country_code: "DE", device: null, state: null, text: null };
    await ipc.history(filter);
    expect(await ipc.setSessionLength({ web_idle_days: 7, mobile_idle_days: 30 })).toEqual({
      web_idle_days: 7,
      mobile_idle_days: 30,
    });
    expect(calls).toEqual([
      { cmd: "confirm_session", args: { sessionId: "s1" } },
      { cmd: "set_alert_state", args: { key: "session:s1", state: "resolved" } },
      { cmd: "history", args: { filter } },
      { cmd: "set_session_length", args: { value: { web_idle_days: 7, mobile_idle_days: 30 } } },
    ]);
  });

  it("passes typed errors through and wraps anything else", async () => {
    answerIpc({
      revoke_others: () => {
        throw { kind: "rate_limited", message: "slow down", retry_after_secs: 30, extra: 1 };
      },
      accounts: () => {
        throw "keyring exploded";
      },
    });
    await expect(ipc.revokeOthers()).rejects.toEqual({
      kind: "rate_limited",
      message: "slow down",
      retry_after_secs: 30,
    });
    await expect(ipc.accounts()).rejects.toEqual({ kind: "internal", message: "keyring exploded" });
  });
});
