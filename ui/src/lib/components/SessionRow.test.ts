import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { current, hostile, NOW, record, stranger, takeover } from "../../test/fixtures";
import { setLanguage } from "../i18n/locale.svelte";
import SessionRow from "./SessionRow.svelte";

afterEach(() => setLanguage("en"));

describe("SessionRow", () => {
  it("marks the current session with the green dot and offers no sign-out for it", () => {
    const { container } = render(SessionRow, { session: current, now: NOW });
    expect(screen.getByText("This device")).toBeTruthy();
    expect(container.querySelector(".green-dot")).not.toBeNull();
    expect(screen.queryByRole("button", { name: "Sign out" })).toBeNull();
  });

  it("offers sign-out for another session and passes its id", async () => {
    const onsignout = vi.fn();
    const { container } = render(SessionRow, { session: stranger, now: NOW, onsignout });
    expect(container.querySelector(".green-dot")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(onsignout).toHaveBeenCalledWith("s-stranger");
  });

  it("renders server strings as text, never as markup", () => {
    const { container } = render(SessionRow, { session: hostile, now: NOW });
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
    expect(screen.getByRole("heading", { level: 3 }).textContent).toBe(
      "<img src=x onerror=alert(1)>",
    );
    expect(container.textContent).toContain("<b>ISP</b>");
    expect(container.textContent).toContain("<script>alert(2)</script>");
  });

  it("says when Keepwatch first saw a session whose provider does not tell its first login", () => {
    const { container } = render(SessionRow, { session: stranger, now: NOW, firstLoginKnown: false });
    expect(container.textContent).toContain("First seen by Keepwatch");
    expect(container.textContent).not.toContain("First login");
  });

  it("shows device, address, network and place", () => {
    const { container } = render(SessionRow, { session: stranger, now: NOW });
    const text = container.textContent ?? "";
    expect(text).toContain("Firefox 125 on Windows 11");
    expect(text).toContain("177.54.144.9");
    expect(text).toContain("Claro NXT Telecomunicacoes Ltda");
    expect(text).toContain("São Paulo, Brazil");
  });

  it("shows first login and last activity both relative and exact, in local time", () => {
    // The test zone is Asia/Tokyo (vite.config.ts): 11:10 UTC is 20:10 there.
    const { container } = render(SessionRow, { session: stranger, now: NOW });
    const times = [...container.querySelectorAll("time")];
    expect(times.map((t) => t.getAttribute("datetime"))).toEqual([
      "2026-11-27T10:40:00Z",
      "2026-11-27T11:10:00Z",
    ]);
    expect(times.map((t) => t.textContent)).toEqual(["1 hour ago", "50 minutes ago"]);
    const exact = [...container.querySelectorAll(".exact")].map((e) => e.textContent ?? "");
    expect(exact[1]).toMatch(/Nov 27, 2026|27 Nov 2026/);
    expect(exact[1]).toMatch(/20:10|08:10\sPM/);
    expect(exact[1]).toContain("GMT+9");
  });

  it("highlights an unfamiliar session with the reason and a 'This was me' action", async () => {
    const onconfirm = vi.fn();
    const onrespond = vi.fn();
    const { container } = render(SessionRow, {
      session: stranger,
      now: NOW,
      alert: record(takeover),
      onconfirm,
      onrespond,
    });
    expect(container.querySelector(".session.unfamiliar")).not.toBeNull();
    expect(container.textContent).toContain(
      "Brazil (BR) is not a country this account has been used from.",
    );
    await fireEvent.click(screen.getByRole("button", { name: "This was me" }));
    expect(onconfirm).toHaveBeenCalledWith("s-stranger");
    await fireEvent.click(screen.getByRole("button", { name: "Respond" }));
    expect(onrespond).toHaveBeenCalledWith("session:s-stranger");
  });
});
