import { render } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import WorldMap, { HEIGHT, project, WIDTH } from "./WorldMap.svelte";

describe("WorldMap", () => {
  it("projects equirectangularly onto the drawing", () => {
    expect(project(0, 0)).toEqual([WIDTH / 2, HEIGHT / 2]);
    const [x, y] = project(52.52, 13.405)!;
    expect(x).toBeCloseTo(WIDTH / 2 + (13.405 / 360) * WIDTH, 6);
    expect(y).toBeCloseTo(HEIGHT / 2 - (52.52 / 180) * HEIGHT, 6);
    expect(project(91, 0)).toBeNull();
  });

  it("draws the bundled country outlines", () => {
    const { container } = render(WorldMap, { points: [] });
    expect(container.querySelectorAll("path.land").length).toBeGreaterThan(150);
  });

  it("plots a point per place and none for unknown locations", () => {
    const { container } = render(WorldMap, {
      points: [
        { latitude: 52.52, longitude: 13.405, label: "Berlin" },
        { latitude: -23.55, longitude: -46.63, label: "São Paulo", alert: true },
        { latitude: 52.52, longitude: 13.405, label: "Berlin" },
        { latitude: null, longitude: null, label: "nowhere" },
        { latitude: 10, longitude: null, label: "half" },
      ],
    });
    const circles = [...container.querySelectorAll("circle.point")];
    expect(circles).toHaveLength(2);
    const [berlin, saoPaulo] = circles;
    expect(Number(berlin!.getAttribute("cx"))).toBeCloseTo(project(52.52, 13.405)![0], 6);
    expect(Number(berlin!.getAttribute("cy"))).toBeCloseTo(project(52.52, 13.405)![1], 6);
    expect(berlin!.querySelector("title")?.textContent).toBe("Berlin (2)");
    expect(saoPaulo!.classList.contains("alert")).toBe(true);
    expect(container.querySelector("figcaption")?.textContent).toBe("Without a known location: 2");
  });

  it("plots nothing when no point has coordinates", () => {
    const { container } = render(WorldMap, {
      points: [{ latitude: null, longitude: null, label: "x" }],
    });
    expect(container.querySelectorAll("circle")).toHaveLength(0);
  });
});
