import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { accounts } from "../../test/fixtures";
import { answerIpc } from "../../test/ipc-mock";
import SignInForm from "./SignInForm.svelte";

async function fill() {
  await fireEvent.input(screen.getByLabelText("Account service address"), {
    target: { value: "https://exchange.example" },
  });
  await fireEvent.input(screen.getByLabelText("Email"), { target: { value: "amira@example.com" } });
  await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "correct horse" } });
}

describe("SignInForm", () => {
  it("sends the user's choices: not remembered, existing sessions judged", async () => {
    const calls = answerIpc({ sign_in: () => ({ account: accounts[0], sessions: 2, alerts: 0 }) });
    render(SignInForm);
    await fill();
    await fireEvent.click(screen.getByLabelText("Remember this account on this computer"));
    const trustExisting = screen.getByLabelText("The sessions signed in now are mine");
    expect((trustExisting as HTMLInputElement).checked).toBe(true);
    expect(trustExisting.getAttribute("aria-describedby")).toBe("trust-existing-hint");
    await fireEvent.click(trustExisting);
    await fireEvent.submit(screen.getByRole("button", { name: "Sign in" }).closest("form")!);
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "sign_in")).toBe(true));
    expect(calls.find((c) => c.cmd === "sign_in")?.args).toMatchObject({
      request: { remember: false, trust_device: false, trust_existing: false },
    });
  });

  it("finds a Matrix homeserver, asks for a user name and signs in to it as Matrix", async () => {
    const calls = answerIpc({
      detect_provider: () => ({
        provider: "matrix",
        server_url: "https://matrix.example.org",
        user: "@amira:example.org",
        sign_in_supported: true,
      }),
      sign_in: () => ({ account: accounts[0], sessions: 2, alerts: 0 }),
    });
    render(SignInForm);
    const server = screen.getByLabelText("Account service address");
    await fireEvent.input(server, { target: { value: "@amira:example.org" } });
    await fireEvent.change(server);
    expect((await screen.findByTestId("provider-found")).textContent).toContain("Matrix homeserver");
    const user = screen.getByLabelText("User name") as HTMLInputElement;
    expect(user.value).toBe("@amira:example.org");
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "correct horse" } });
    await fireEvent.submit(screen.getByRole("button", { name: "Sign in" }).closest("form")!);
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "sign_in")).toBe(true));
    expect(calls.find((c) => c.cmd === "detect_provider")?.args).toEqual({ server: "@amira:example.org" });
    expect(calls.find((c) => c.cmd === "sign_in")?.args).toMatchObject({
      request: { provider: "matrix", server_url: "https://matrix.example.org", email: "@amira:example.org" },
    });
  });

  it("says plainly when a homeserver signs in only in ways Keepwatch does not support", async () => {
    answerIpc({
      detect_provider: () => ({
        provider: "matrix",
        server_url: "https://matrix-client.matrix.org",
        sign_in_supported: false,
      }),
    });
    render(SignInForm);
    const server = screen.getByLabelText("Account service address");
    await fireEvent.input(server, { target: { value: "https://matrix.org" } });
    await fireEvent.change(server);
    expect((await screen.findByTestId("sign-in-unsupported")).textContent).toContain("OAuth 2.0");
    expect((screen.getByRole("button", { name: "Sign in" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("explains a lockout with the time left", async () => {
    answerIpc({
      sign_in: () => {
        throw { kind: "account_locked", message: "locked", retry_after_secs: 1800 };
      },
    });
    render(SignInForm);
    await fill();
    await fireEvent.submit(screen.getByRole("button", { name: "Sign in" }).closest("form")!);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      "Too many failed sign-ins have locked this account. You can try again in 30 minutes.",
    );
  });

  it("fills in the demo server and account when the app names them", async () => {
    answerIpc({
      demo_defaults: () => ({
        server_url: "http://127.0.0.1:8477",
        email: "demo@keepwatch.invalid",
        password: null,
      }),
    });
    render(SignInForm);
    await vi.waitFor(() =>
      expect((screen.getByLabelText("Account service address") as HTMLInputElement).value).toBe(
        "http://127.0.0.1:8477",
      ),
    );
    expect((screen.getByLabelText("Email") as HTMLInputElement).value).toBe("demo@keepwatch.invalid");
    expect((screen.getByLabelText("Password") as HTMLInputElement).value).toBe("");
  });

  it("asks for a TOTP code when the server wants one, then sends it", async () => {
    let first = true;
    const calls = answerIpc({
      sign_in: () => {
        if (first) {
          first = false;
          throw { kind: "totp_required", message: "2FA code needed" };
        }
        return { account: accounts[0], sessions: 2, alerts: 0 };
      },
    });
    const onsignedin = vi.fn();
    render(SignInForm, { onsignedin });
    await fill();
    const form = screen.getByRole("button", { name: "Sign in" }).closest("form")!;
    await fireEvent.submit(form);
    const code = await screen.findByLabelText("6-digit code from your authenticator app");
    // The first prompt is a question, not an error.
    expect(screen.queryByRole("alert")).toBeNull();
    await fireEvent.input(code, { target: { value: "123456" } });
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "correct horse" } });
    await fireEvent.submit(form);
    await vi.waitFor(() => expect(onsignedin).toHaveBeenCalledWith(accounts[0]));
    // The form first asks for demo defaults; the second sign-in call is the one with the code.
    expect(calls.filter((c) => c.cmd === "sign_in")[1]).toEqual({
      cmd: "sign_in",
      args: {
        request: {
          server_url: "https://exchange.example",
          email: "amira@example.com",
          password: "correct horse",
          totp_code: "123456",
          remember: true,
          trust_device: false,
          trust_existing: true,
        },
      },
    });
  });
});
