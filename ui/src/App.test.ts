import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";

describe("App", () => {
  it("names the app", () => {
    render(App);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Keepwatch");
  });
});
