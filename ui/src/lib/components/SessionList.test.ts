import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { alerts, NOW, sessionList } from "../../test/fixtures";
import { answerIpc } from "../../test/ipc-mock";
import { setLanguage } from "../i18n/locale.svelte";
import SessionList from "./SessionList.svelte";

afterEach(() => setLanguage("en"));

describe("SessionList", () => {
  it("lists the current session first", () => {
    render(SessionList, { list: sessionList, alerts: [], now: NOW });
    const titles = screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent);
    expect(titles[0]).toBe("Chrome 124 on macOS Sonoma");
    expect(titles).toHaveLength(3);
  });

  it("says what 'sign out all other sessions' does before doing it", async () => {
    const calls = answerIpc({ revoke_others: () => ({ revoked: 2 }) });
    const onchanged = vi.fn();
    render(SessionList, { list: sessionList, alerts, now: NOW, onchanged });

    await fireEvent.click(screen.getByRole("button", { name: "Sign out all other sessions" }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toContain("Sign out every other session?");
    expect(dialog.textContent).toContain(
      "including your own other devices, such as your phone or another browser",
    );
    expect(dialog.textContent).toContain("will have to sign in again with your password");
    expect(dialog.textContent).toContain("This computer stays signed in.");
    expect(calls).toEqual([]);

    await fireEvent.click(screen.getByRole("button", { name: "Sign out all others" }));
    await vi.waitFor(() => expect(onchanged).toHaveBeenCalled());
    expect(calls).toEqual([{ cmd: "revoke_others", args: {} }]);
    expect(screen.getByRole("status").textContent).toBe("Signed out 2 other sessions.");
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("asks for the password first where the account's server confirms sign-outs with it", async () => {
    const calls = answerIpc({ revoke_session: () => null, revoke_others: () => ({ revoked: 2 }) });
    const onchanged = vi.fn();
    render(SessionList, { list: sessionList, alerts: [], now: NOW, onchanged, needsPassword: true });

    await fireEvent.click(screen.getAllByRole("button", { name: "Sign out" })[0]!);
    expect(calls).toEqual([]);
    expect(screen.getByRole("alertdialog").textContent).toContain("asks for its password");
    await fireEvent.input(screen.getByTestId("confirm-password"), { target: { value: "correct horse" } });
    await fireEvent.click(screen.getByTestId("confirm-action"));
    await vi.waitFor(() => expect(onchanged).toHaveBeenCalled());
    expect(calls[0]?.cmd).toBe("revoke_session");
    expect(calls[0]?.args).toMatchObject({ password: "correct horse" });
    expect(screen.queryByRole("alertdialog")).toBeNull();

    await fireEvent.click(screen.getByRole("button", { name: "Sign out all other sessions" }));
    await fireEvent.input(screen.getByTestId("confirm-password"), { target: { value: "correct horse" } });
    await fireEvent.click(screen.getByTestId("confirm-action"));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toEqual({ cmd: "revoke_others", args: { password: "correct horse" } });
  });

  it("rewords its notice when the language changes", async () => {
    answerIpc({ revoke_others: () => ({ revoked: 2 }) });
    render(SessionList, { list: sessionList, alerts, now: NOW });
    await fireEvent.click(screen.getByRole("button", { name: "Sign out all other sessions" }));
    await fireEvent.click(screen.getByRole("button", { name: "Sign out all others" }));
    const notice = await screen.findByTestId("sessions-notice");
    expect(notice.textContent).toBe("Signed out 2 other sessions.");

    setLanguage("ar");
    await vi.waitFor(() => expect(notice.textContent).toBe("أُنهيت جلستان أخريان."));
    setLanguage("en");
    await vi.waitFor(() => expect(notice.textContent).toBe("Signed out 2 other sessions."));
  });

  it("does nothing when the confirmation is cancelled", async () => {
    const calls = answerIpc({});
    render(SessionList, { list: sessionList, alerts, now: NOW });
    await fireEvent.click(screen.getByRole("button", { name: "Sign out all other sessions" }));
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(calls).toEqual([]);
  });

  it("signs one session out by id and marks the unfamiliar one", async () => {
    const calls = answerIpc({ revoke_session: () => null });
    const { container } = render(SessionList, { list: sessionList, alerts, now: NOW });
    expect(container.querySelectorAll(".session.unfamiliar")).toHaveLength(1);
    const buttons = screen.getAllByRole("button", { name: "Sign out" });
    expect(buttons).toHaveLength(2);
    await fireEvent.click(buttons[0]!);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    // Most recently active first: the stranger (11:10) before the phone (09:00).
    expect(calls[0]).toEqual({ cmd: "revoke_session", args: { sessionId: "s-stranger" } });
  });

  it("explains an error in words", async () => {
    answerIpc({
      revoke_session: () => {
        throw { kind: "network", message: "connection refused" };
      },
    });
    render(SessionList, { list: sessionList, alerts: [], now: NOW });
    await fireEvent.click(screen.getAllByRole("button", { name: "Sign out" })[0]!);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      "The account service could not be reached. Check its address and your connection.",
    );
  });
});
