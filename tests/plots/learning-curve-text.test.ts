import { describe, expect, it } from "vitest";
import { learningCurveText } from "../../ts/index.js";

const TRAINING = "●";
const VALIDATION = "○";
const BOTH = "◉";

function decreasing(epochs: number, scale = 2): number[] {
  return Array.from({ length: epochs }, (_, i) => scale * Math.exp(-i / 4) + 0.1);
}

interface Panel {
  title: string;
  /** Plot rows: the y label (trimmed, "" when none) and the cells right of the axis. */
  rows: { label: string; cells: string }[];
  axis: string;
  labels: string;
}

/** Splits a chart into panels of `height` lines and each line into its parts (the axis sits after the label). */
function readPanels(chart: string, height: number): Panel[] {
  const lines = chart.split("\n");
  expect(lines.length % height).toBe(0);
  const panels: Panel[] = [];
  for (let start = 0; start < lines.length; start += height) {
    const block = lines.slice(start, start + height);
    const axisColumn = block[block.length - 2].search(/[└+]/);
    panels.push({
      title: block[0],
      rows: block
        .slice(1, -2)
        .map((line) => ({ label: line.slice(0, axisColumn).trim(), cells: line.slice(axisColumn + 1) })),
      axis: block[block.length - 2],
      labels: block[block.length - 1],
    });
  }
  return panels;
}

/** Rows (0 = top) at which `marker` appears in each column, for columns that have it. */
function markerRows(panel: Panel, markers: string): Map<number, number[]> {
  const found = new Map<number, number[]>();
  panel.rows.forEach(({ cells }, row) => {
    [...cells].forEach((cell, column) => {
      if (markers.includes(cell)) found.set(column, [...(found.get(column) ?? []), row]);
    });
  });
  return found;
}

describe("learningCurveText", () => {
  it.each([
    [30, 5],
    [72, 12],
    [100, 20],
  ])("fills exactly %i × %i characters a panel", (width, height) => {
    const history = {
      history: {
        loss: decreasing(15),
        accuracy: decreasing(15).map((value) => 1 - value / 3),
        val_loss: decreasing(15, 2.2),
      },
    };
    const chart = learningCurveText(history, { width, height });
    const lines = chart.split("\n");
    expect(lines).toHaveLength(2 * height);
    for (const line of lines) expect([...line]).toHaveLength(width);
    expect(chart.endsWith("\n")).toBe(false);
  });

  it("defaults to 72 columns and 12 lines a panel", () => {
    const lines = learningCurveText({ history: { loss: decreasing(5) } }).split("\n");
    expect(lines).toHaveLength(12);
    expect(lines.every((line) => line.length === 72)).toBe(true);
  });

  it("titles each panel with its metric and a legend of the series markers", () => {
    const history = {
      history: { accuracy: [0.5, 0.9], loss: [1, 0.5], val_accuracy: [0.4, 0.8], val_loss: [1.2, 0.7] },
    };
    const panels = readPanels(learningCurveText(history, { height: 10 }), 10);
    expect(panels.map((panel) => panel.title.split(" ")[0])).toEqual(["loss", "accuracy"]);
    for (const panel of panels)
      expect(panel.title.trimEnd()).toMatch(new RegExp(`${TRAINING} training  ${VALIDATION} validation$`));
  });

  it("labels the value axis with evenly spaced nice numbers, decreasing downwards, and the epoch axis", () => {
    const loss = decreasing(20);
    const [panel] = readPanels(learningCurveText({ history: { loss } }, { width: 60, height: 14 }), 14);
    const labelled = panel.rows.map((row, index) => ({ ...row, index })).filter((row) => row.label !== "");
    expect(labelled.length).toBeGreaterThanOrEqual(3);
    const values = labelled.map((row) => Number(row.label));
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]);
    const step = values[0] - values[1];
    values.forEach((value, i) => expect(value).toBeCloseTo(values[0] - i * step, 9));
    // Every label lies within the data, on the row where its value would be drawn.
    const [low, high] = [Math.min(...loss), Math.max(...loss)];
    for (const { index, label } of labelled) {
      expect(Number(label)).toBeGreaterThanOrEqual(low);
      expect(Number(label)).toBeLessThanOrEqual(high);
      expect(index).toBe(Math.round(((high - Number(label)) / (high - low)) * (panel.rows.length - 1)));
    }
    expect(panel.axis.trimStart().startsWith("└")).toBe(true);
    expect(panel.labels.startsWith("epoch")).toBe(true);
    const epochLabels = panel.labels.slice(5).trim().split(/\s+/).map(Number);
    expect(epochLabels[0]).toBe(1);
    expect(epochLabels[epochLabels.length - 1]).toBe(20);
    // Each epoch label sits under a tick mark of the axis.
    const tickColumns = [...panel.axis].flatMap((char, column) => (char === "┬" ? [column] : []));
    expect(tickColumns).toHaveLength(epochLabels.length);
  });

  it("draws a falling loss from the top-left corner to the bottom-right corner, connected", () => {
    // Tall and narrow, so the first epochs drop several rows from one column to the next.
    const [panel] = readPanels(learningCurveText({ history: { loss: decreasing(10) } }, { width: 30, height: 30 }), 30);
    const rows = markerRows(panel, TRAINING);
    const columns = [...panel.rows[0].cells].length;
    expect(rows.size).toBe(columns); // every column has the line
    expect(rows.get(0)).toContain(0);
    expect(rows.get(columns - 1)).toContain(panel.rows.length - 1);
    let previousBottom = 0;
    for (let column = 0; column < columns; column++) {
      const cells = rows.get(column)!;
      expect(Math.min(...cells)).toBeGreaterThanOrEqual(previousBottom - 1); // never rises
      expect(Math.min(...cells)).toBeLessThanOrEqual(previousBottom + 1); // no vertical gap
      previousBottom = Math.max(...cells);
    }
  });

  it("shows training and validation with their own markers, and ◉ where both pass", () => {
    const loss = decreasing(8);
    const separate = learningCurveText({ history: { loss, val_loss: loss.map((value) => value + 3) } }, { height: 16 });
    const [panel] = readPanels(separate, 16);
    expect(markerRows(panel, TRAINING).size).toBeGreaterThan(0);
    expect(markerRows(panel, VALIDATION).size).toBeGreaterThan(0);
    const same = readPanels(learningCurveText({ history: { loss, val_loss: loss } }), 12)[0];
    expect(markerRows(same, TRAINING).size + markerRows(same, VALIDATION).size).toBe(0);
    expect(markerRows(same, BOTH).size).toBe([...same.rows[0].cells].length);
  });

  it("handles a single epoch: one marker in the middle column, epoch 1 under it", () => {
    const [panel] = readPanels(learningCurveText({ history: { loss: [0.42] } }, { width: 41, height: 7 }), 7);
    const rows = markerRows(panel, TRAINING);
    expect(rows.size).toBe(1);
    const [column] = [...rows.keys()];
    const columns = [...panel.rows[0].cells].length;
    expect(column).toBe(Math.round((columns - 1) / 2));
    expect(panel.labels.slice(5).trim()).toBe("1");
    const axisStart = panel.axis.indexOf("└") + 1;
    expect(panel.axis[axisStart + column]).toBe("┬");
  });

  it("leaves a gap where values are NaN or infinite", () => {
    const [panel] = readPanels(
      learningCurveText({ history: { loss: [1, NaN, Infinity, 0.5, 0.25] } }, { width: 45, height: 8 }),
      8,
    );
    const columns = [...panel.rows[0].cells].length;
    const columnOf = (epoch: number) => Math.round(((epoch - 1) / 4) * (columns - 1));
    const drawn = [...markerRows(panel, TRAINING).keys()];
    expect(drawn).toContain(columnOf(1));
    for (let column = columnOf(1) + 1; column < columnOf(4); column++) expect(drawn).not.toContain(column);
    for (let column = columnOf(4); column <= columnOf(5); column++) expect(drawn).toContain(column);
  });

  it("says so when a panel has no finite value", () => {
    const chart = learningCurveText({ history: { loss: [NaN, NaN, NaN] } }, { width: 40, height: 6 });
    expect(chart).toContain("no finite values");
    expect(chart.split("\n").every((line) => line.length === 40)).toBe(true);
  });

  it("draws training alone when there are no val_ series", () => {
    const [panel] = readPanels(learningCurveText({ history: { loss: decreasing(6) } }), 12);
    expect(panel.title).toContain(`${TRAINING} training`);
    expect(panel.title).not.toContain("validation");
    expect(markerRows(panel, VALIDATION + BOTH).size).toBe(0);
  });

  it("uses ASCII only when asked", () => {
    const history = {
      history: {
        loss: decreasing(9),
        val_loss: decreasing(9, 2.5),
        accuracy: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
      },
    };
    const chart = learningCurveText(history, { ascii: true, width: 50, height: 10 });
    expect(chart).toMatch(/^[\x20-\x7e\n]*$/);
    expect(chart).toContain("* training  o validation");
    expect(chart.split("\n")).toHaveLength(20);
  });

  it("checks its options", () => {
    const history = { history: { loss: [1, 2] } };
    expect(() => learningCurveText(history, { width: 29 })).toThrow(
      "learningCurveText: width must be an integer >= 30, got 29",
    );
    expect(() => learningCurveText(history, { height: 4 })).toThrow(
      "learningCurveText: height must be an integer >= 5, got 4",
    );
    expect(() => learningCurveText(history, { ascii: "yes" as never })).toThrow(
      "learningCurveText: ascii must be true or false",
    );
    expect(() => learningCurveText(history, { metrics: [] })).toThrow(
      "learningCurveText: metrics must be a non-empty array",
    );
    expect(() => learningCurveText({} as never)).toThrow("learningCurveText: expected fit's History");
  });
});
