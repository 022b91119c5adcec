import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { callbacks, learningCurveSvg } from "../../ts/index.js";
import { classes, findAll, parseXml, type XmlElement } from "./xml.js";

/** A plausible run: loss falls, accuracy rises, validation a little worse. Keys in fit's order. */
function makeHistory(epochs: number) {
  const loss = Array.from({ length: epochs }, (_, i) => 2.3 * Math.exp(-i / 3) + 0.05);
  const accuracy = loss.map((value) => 1 - value / 2.5);
  return {
    history: {
      accuracy,
      loss,
      val_accuracy: accuracy.map((value) => value - 0.03),
      val_loss: loss.map((value) => value * 1.1 + 0.01),
    },
    epoch: loss.map((_, i) => i),
  };
}

interface Point {
  command: "M" | "L";
  x: number;
  y: number;
}

function pathPoints(path: XmlElement): Point[] {
  const d = path.attributes.d;
  const points = [...d.matchAll(/([ML])(-?[\d.]+) (-?[\d.]+)/g)].map((match) => ({
    command: match[1] as "M" | "L",
    x: Number(match[2]),
    y: Number(match[3]),
  }));
  // Nothing in d but these commands.
  expect(d.replace(/([ML])(-?[\d.]+) (-?[\d.]+)/g, "").trim()).toBe("");
  return points;
}

function panels(root: XmlElement): XmlElement[] {
  return findAll(root, (element) => element.name === "g" && classes(element).includes("panel"));
}

function seriesPaths(panel: XmlElement): XmlElement[] {
  return findAll(panel, (element) => element.name === "path" && classes(element).includes("series"));
}

function group(panel: XmlElement, name: string): XmlElement {
  const found = findAll(panel, (element) => element.name === "g" && classes(element).includes(name));
  expect(found).toHaveLength(1);
  return found[0];
}

/** Tick labels of a panel's axis as [value, position] (x for epochs, y for values). */
function ticks(panel: XmlElement, axis: "x" | "y"): [number, number][] {
  return group(panel, `${axis}-ticks`)
    .children.filter((element) => element.name === "text")
    .map((text) => [Number(text.text), Number(text.attributes[axis])] as [number, number]);
}

/** Where an axis puts `value`, by linear interpolation between its first and last tick labels. */
function positionOf(value: number, axisTicks: [number, number][], labelOffset = 0): number {
  const [low, lowPosition] = axisTicks[0];
  const [high, highPosition] = axisTicks[axisTicks.length - 1];
  return lowPosition - labelOffset + ((value - low) / (high - low)) * (highPosition - lowPosition);
}

describe("learningCurveSvg", () => {
  it("is a well-formed, self-contained SVG document with the default size", () => {
    const svg = learningCurveSvg(makeHistory(12));
    const root = parseXml(svg);
    expect(root.name).toBe("svg");
    expect(root.attributes.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(root.attributes.width).toBe("840"); // two panels side by side
    expect(root.attributes.height).toBe("280");
    expect(root.attributes.viewBox).toBe("0 0 840 280");
    expect(svg).not.toMatch(/href|<script|<foreignObject|url\(/); // nothing external, nothing active
  });

  it("draws one panel per metric, loss first, with one path per series and one point per epoch", () => {
    const history = makeHistory(12);
    const root = parseXml(learningCurveSvg(history));
    const found = panels(root);
    expect(found.map((panel) => panel.attributes["data-metric"])).toEqual(["loss", "accuracy"]);
    for (const panel of found) {
      const metric = panel.attributes["data-metric"];
      const paths = seriesPaths(panel);
      expect(paths.map((path) => path.attributes["data-key"])).toEqual([metric, `val_${metric}`]);
      expect(paths.map((path) => classes(path).filter((name) => name !== "series"))).toEqual([
        ["training"],
        ["validation"],
      ]);
      expect(paths[1].attributes["stroke-dasharray"]).toBeDefined();
      expect(paths[0].attributes.stroke).not.toBe(paths[1].attributes.stroke);
      for (const path of paths) {
        const points = pathPoints(path);
        expect(points).toHaveLength(12);
        expect(points.map((point) => point.command).join("")).toBe("M" + "L".repeat(11));
      }
    }
  });

  it("puts every point where the axis ticks say it belongs", () => {
    const history = makeHistory(12);
    const root = parseXml(learningCurveSvg(history));
    for (const panel of panels(root)) {
      const metric = panel.attributes["data-metric"] as "loss" | "accuracy";
      const xTicks = ticks(panel, "x");
      const yTicks = ticks(panel, "y");
      // Labels are nice numbers, evenly spaced, and the value axis covers every value.
      const epochs = xTicks.map(([epoch]) => epoch);
      expect(epochs.every((epoch) => Number.isInteger(epoch) && epoch >= 1 && epoch <= 12)).toBe(true);
      expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
      const yValues = yTicks.map(([value]) => value);
      const step = yValues[1] - yValues[0];
      yValues.forEach((value, i) => expect(value).toBeCloseTo(yValues[0] + i * step, 9));
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect(
        [1, 2, 5].some((nice) => Math.abs(mantissa - nice) < 1e-9),
        `step ${step}`,
      ).toBe(true);
      const all = [...history.history[metric], ...history.history[`val_${metric}`]];
      expect(yValues[0]).toBeLessThanOrEqual(Math.min(...all));
      expect(yValues[yValues.length - 1]).toBeGreaterThanOrEqual(Math.max(...all));
      // y labels sit 4 px below their gridline (baseline offset); points sit on the gridline scale.
      seriesPaths(panel).forEach((path) => {
        const values = history.history[path.attributes["data-key"] as keyof typeof history.history];
        pathPoints(path).forEach((point, i) => {
          expect(Math.abs(point.x - positionOf(i + 1, xTicks))).toBeLessThan(0.15);
          expect(Math.abs(point.y - positionOf(values[i], yTicks, 4))).toBeLessThan(0.15);
        });
      });
    }
  });

  it("labels the legend training and validation", () => {
    const root = parseXml(learningCurveSvg(makeHistory(5)));
    for (const panel of panels(root)) {
      const legend = group(panel, "legend");
      expect(
        legend.children
          .filter((element) => element.name === "text")
          .map((text) => text.text)
          .sort(),
      ).toEqual(["training", "validation"]);
      expect(legend.children.filter((element) => element.name === "line")).toHaveLength(2);
    }
    const titles = panels(root).map((panel) => findAll(panel, (element) => classes(element).includes("title"))[0].text);
    expect(titles).toEqual(["loss", "accuracy"]);
  });

  it("handles a single epoch: one point, drawn as a dot, labelled epoch 1", () => {
    const root = parseXml(learningCurveSvg({ history: { loss: [0.7], val_loss: [0.9] }, epoch: [0] }));
    const [panel] = panels(root);
    for (const path of seriesPaths(panel)) expect(pathPoints(path).map((point) => point.command)).toEqual(["M"]);
    expect(findAll(panel, (element) => element.name === "circle")).toHaveLength(2);
    expect(ticks(panel, "x").map(([epoch]) => epoch)).toEqual([1]);
    const yValues = ticks(panel, "y").map(([value]) => value);
    expect(Math.min(...yValues)).toBeLessThanOrEqual(0.7);
    expect(Math.max(...yValues)).toBeGreaterThanOrEqual(0.9);
  });

  it("breaks the line at NaN and infinite values", () => {
    const root = parseXml(learningCurveSvg({ history: { loss: [1, NaN, 0.5, 0.4, Infinity, 0.2] } }));
    const [panel] = panels(root);
    const [path] = seriesPaths(panel);
    const points = pathPoints(path);
    expect(points.map((point) => point.command).join("")).toBe("MMLM");
    expect(points.every((point) => Number.isFinite(point.x) && Number.isFinite(point.y))).toBe(true);
    // The isolated first and last values get dots; the joined middle pair does not.
    expect(findAll(panel, (element) => element.name === "circle")).toHaveLength(2);
    const yValues = ticks(panel, "y").map(([value]) => value);
    expect(Math.max(...yValues)).toBeLessThan(10); // the axis ignores the infinite value
  });

  it("draws a panel with no finite value without failing", () => {
    const svg = learningCurveSvg({ history: { loss: [NaN, NaN] } });
    const [panel] = panels(parseXml(svg));
    expect(pathPoints(seriesPaths(panel)[0])).toEqual([]);
    expect(svg).toContain("no finite values");
  });

  it("draws training alone when there are no val_ series", () => {
    const root = parseXml(learningCurveSvg({ history: { loss: [3, 2, 1], mae: [2, 1.5, 1] } }));
    const found = panels(root);
    expect(found.map((panel) => panel.attributes["data-metric"])).toEqual(["loss", "mae"]);
    for (const panel of found) {
      expect(seriesPaths(panel).map((path) => classes(path))).toEqual([["series", "training"]]);
      expect(
        group(panel, "legend")
          .children.filter((element) => element.name === "text")
          .map((text) => text.text),
      ).toEqual(["training"]);
    }
  });

  it("accepts fit's History object", () => {
    const history = new callbacks.History();
    history.onTrainBegin();
    history.onEpochEnd(0, { loss: 1, val_loss: 1.2 });
    history.onEpochEnd(1, { loss: 0.5, val_loss: 0.8 });
    const [panel] = panels(parseXml(learningCurveSvg(history)));
    expect(seriesPaths(panel).map((path) => pathPoints(path).length)).toEqual([2, 2]);
  });

  it("starts the epoch axis at initialEpoch + 1 when the history resumed", () => {
    const [panel] = panels(parseXml(learningCurveSvg({ history: { loss: [0.5, 0.4, 0.3] }, epoch: [10, 11, 12] })));
    const xTicks = ticks(panel, "x").map(([epoch]) => epoch);
    expect(xTicks[0]).toBe(11);
    expect(xTicks[xTicks.length - 1]).toBe(13);
  });

  it("draws only the metrics asked for, and leaves the learning rate out unless asked", () => {
    const history = { history: { loss: [1, 0.5], accuracy: [0.5, 0.8], learning_rate: [0.01, 0.001] } };
    const metricsOf = (svg: string) => panels(parseXml(svg)).map((panel) => panel.attributes["data-metric"]);
    expect(metricsOf(learningCurveSvg(history))).toEqual(["loss", "accuracy"]);
    expect(metricsOf(learningCurveSvg(history, { metrics: ["accuracy"] }))).toEqual(["accuracy"]);
    expect(metricsOf(learningCurveSvg(history, { metrics: ["learning_rate", "loss"] }))).toEqual([
      "learning_rate",
      "loss",
    ]);
    expect(() => learningCurveSvg(history, { metrics: ["acc"] })).toThrow(
      'learningCurveSvg: metrics lists string "acc" but the history has no such values; it has "loss", "accuracy", "learning_rate"',
    );
  });

  it("takes width and height for the whole image and lays panels out two a row", () => {
    const history = { history: { loss: [1, 0.5], a: [1, 2], b: [3, 4] } };
    const root = parseXml(learningCurveSvg(history, { width: 600, height: 500 }));
    expect([root.attributes.width, root.attributes.height]).toEqual(["600", "500"]);
    expect(panels(root).map((panel) => panel.attributes.transform)).toEqual([
      "translate(0 0)",
      "translate(300 0)",
      "translate(0 250)",
    ]);
    expect(() => learningCurveSvg(history, { width: 100 })).toThrow(
      "learningCurveSvg: width must be an integer >= 320, got 100",
    );
    expect(() => learningCurveSvg(history, { height: 10.5 })).toThrow(
      "learningCurveSvg: height must be an integer >= 240, got 10.5",
    );
  });

  it("escapes metric names", () => {
    const name = `a<b & "c"'`;
    const root = parseXml(learningCurveSvg({ history: { [name]: [1, 2] } }));
    const [panel] = panels(root);
    expect(panel.attributes["data-metric"]).toBe(name);
    expect(findAll(panel, (element) => classes(element).includes("title"))[0].text).toBe(name);
  });

  it("names the argument in errors for bad input", () => {
    expect(() => learningCurveSvg(undefined as never)).toThrow("learningCurveSvg: expected fit's History");
    expect(() => learningCurveSvg({ history: {} })).toThrow("learningCurveSvg: the history has no values to plot");
    expect(() => learningCurveSvg({ history: { loss: ["1" as never] } })).toThrow(
      "learningCurveSvg: history.loss must be an array of numbers",
    );
    expect(() => learningCurveSvg({ history: { loss: [1, 2] }, epoch: [0] })).toThrow(
      "learningCurveSvg: history.epoch must list 2 increasing epoch indices",
    );
    expect(() => learningCurveSvg({ history: { loss: [1] } }, { colour: "red" } as never)).toThrow(
      'learningCurveSvg: unknown option "colour"',
    );
  });

  it("uses no DOM and no Node built-ins, so it runs in every runtime", () => {
    const directory = new URL("../../ts/plots/", import.meta.url);
    for (const file of readdirSync(directory)) {
      const source = readFileSync(new URL(file, directory), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      const imports = [...source.matchAll(/from "([^"]+)"/g)].map((match) => match[1]);
      expect(
        imports.every((specifier) => specifier.startsWith("./") || specifier.startsWith("../utils/")),
        file,
      ).toBe(true);
      expect(source, file).not.toMatch(/\b(document|window|DOMParser|XMLSerializer|globalThis|process|Buffer)\b/);
    }
  });
});
