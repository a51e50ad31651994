import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { NOW, takeover, withdrawalList } from "../../test/fixtures";
import { answerIpc } from "../../test/ipc-mock";
import ResponseFlow from "./ResponseFlow.svelte";

function active(container: HTMLElement): string {
  return container.querySelector(".step.active .label")?.textContent ?? "";
}

describe("ResponseFlow", () => {
  it("lists the detector's steps in order", () => {
    const { container } = render(ResponseFlow, { alert: takeover, now: NOW });
    const labels = [...container.querySelectorAll(".step .label")].map((l) => l.textContent);
    expect(labels).toEqual([
      "Sign this session out",
      "Change your password",
      "Reset 2FA (this also replaces every backup code)",
      "Review recent withdrawals",
      "Add 177.54.144.9 to your IP blocklist",
      "Contact support",
    ]);
    expect(active(container)).toBe("Sign this session out");
  });

  it("does each step from the app, in order, and can skip", async () => {
    const calls = answerIpc({
      revoke_session: () => null,
      withdrawals: () => withdrawalList,
      add_block: (args) => ({
        id: "b1",
        cidr: "177.54.144.9/32",
        note: (args.entry as { note: string }).note,
        created_at: NOW.toISOString(),
      }),
    });
    const onfinished = vi.fn();
    const { container } = render(ResponseFlow, { alert: takeover, now: NOW, onfinished });

    // 1. Sign the session out.
    await fireEvent.click(screen.getByRole("button", { name: "Do it" }));
    await vi.waitFor(() => expect(active(container)).toBe("Change your password"));
    expect(calls[0]).toEqual({ cmd: "revoke_session", args: { sessionId: "s-stranger" } });
    expect(container.querySelector(".step.state-done .label")?.textContent).toBe(
      "Sign this session out",
    );

    // 2. The password form is right there; skip it here.
    expect(screen.getByLabelText("Current password")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Skip" }));

    // 3. Reset 2FA asks for the password first; skip.
    expect(active(container)).toBe("Reset 2FA (this also replaces every backup code)");
    expect(screen.getByRole("button", { name: "Reset 2FA" })).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Skip" }));

    // 4. Withdrawals: the unknown address is flagged, with the advice to contact support.
    expect(active(container)).toBe("Review recent withdrawals");
    const alarm = await screen.findByRole("alert");
    expect(alarm.textContent).toBe(
      "1 withdrawal to an address you did not add. Contact support immediately.",
    );
    expect(container.querySelector("li.unknown")?.textContent).toContain("Not in your address book");
    await fireEvent.click(screen.getByRole("button", { name: "Done" }));

    // 5. Block the address.
    expect(active(container)).toBe("Add 177.54.144.9 to your IP blocklist");
    await fireEvent.click(screen.getByRole("button", { name: "Do it" }));
    await vi.waitFor(() => expect(active(container)).toBe("Contact support"));
    expect(calls.at(-1)).toEqual({
      cmd: "add_block",
      args: { entry: { address: "177.54.144.9", note: "Blocked from a Keepwatch alert" } },
    });

    // 6. Contact support.
    expect(container.textContent).toContain("reverse fraudulent moves");
    await fireEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.getByText("All steps are done.")).toBeTruthy();
    expect(onfinished).toHaveBeenCalled();
    expect(calls.map((c) => c.cmd)).toEqual(["revoke_session", "withdrawals", "add_block"]);
  });

  it("keeps a failed step active with the reason, and counts 'already gone' as done", async () => {
    let attempt = 0;
    answerIpc({
      revoke_session: () => {
        attempt += 1;
        throw attempt === 1
          ? { kind: "unavailable", message: "down" }
          : { kind: "not_found", message: "no such session" };
      },
    });
    const { container } = render(ResponseFlow, { alert: takeover, now: NOW });
    await fireEvent.click(screen.getByRole("button", { name: "Do it" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("The account service cannot answer right now. Try again later.");
    expect(active(container)).toBe("Sign this session out");
    await fireEvent.click(screen.getByRole("button", { name: "Do it" }));
    await vi.waitFor(() => expect(active(container)).toBe("Change your password"));
  });

  it("shows a new 2FA secret, its QR code and backup codes once", async () => {
    const calls = answerIpc({
      reset_two_factor: () => ({
        secret: "JBSWY3DPEHPK3PXP",
        otpauth_uri: "otpauth://totp/Example:amira@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
        backup_codes: ["1111-2222", "3333-4444"],
        // The core sends the code as a grid; a 3×3 diagonal is enough to check the drawing.
        qr: { size: 3, dark: [true, false, false, false, true, false, false, false, true] },
      }),
    });
    const alert = { ...takeover, steps: [{ type: "reset_two_factor" as const }] };
    const { container } = render(ResponseFlow, { alert, now: NOW });
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "hunter2hunter2" } });
    await fireEvent.click(screen.getByRole("button", { name: "Reset 2FA" }));
    await screen.findByText("JBSWY3DPEHPK3PXP");
    expect(calls[0]).toEqual({ cmd: "reset_two_factor", args: { password: "hunter2hunter2" } });
    const qr = screen.getByRole("img", { name: "QR code for your authenticator app" });
    // One unit square per dark module, inside a 4-module quiet zone.
    expect(qr.getAttribute("viewBox")).toBe("0 0 11 11");
    expect(qr.querySelector("path")?.getAttribute("d")).toBe("M4 4h1v1h-1zM5 5h1v1h-1zM6 6h1v1h-1z");
    expect([...container.querySelectorAll(".codes code")].map((c) => c.textContent)).toEqual([
      "1111-2222",
      "3333-4444",
    ]);
    await fireEvent.click(screen.getByRole("button", { name: "I have saved them" }));
    expect(screen.queryByText("JBSWY3DPEHPK3PXP")).toBeNull();
    expect(screen.getByText("All steps are done.")).toBeTruthy();
  });

  it("asks for the password at the sign-out step where the server wants it, and keeps none", async () => {
    const calls = answerIpc({ revoke_session: () => null });
    const { container } = render(ResponseFlow, { alert: takeover, now: NOW, needsPassword: true });
    const doIt = screen.getByRole("button", { name: "Do it" }) as HTMLButtonElement;
    const password = screen.getByLabelText("Password") as HTMLInputElement;
    // Opened from a notification's "Sign out session": ready to type in.
    expect(document.activeElement).toBe(password);
    expect(doIt.disabled).toBe(true);
    await fireEvent.input(password, { target: { value: "correct horse" } });
    expect(doIt.disabled).toBe(false);
    await fireEvent.click(doIt);
    await vi.waitFor(() => expect(active(container)).toBe("Change your password"));
    expect(calls[0]).toEqual({
      cmd: "revoke_session",
      args: { sessionId: "s-stranger", password: "correct horse" },
    });
    expect(container.querySelector("input[type=password][data-testid=step-password]")).toBeNull();
  });
});
