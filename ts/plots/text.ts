/**
 * learningCurveText: fit's History as a plain-text chart for a terminal or a log, one panel per metric:
 *
 *   loss                          ● training  ○ validation
 *   2.50 ┤●
 *        │ ●○
 *   1.00 ┤   ●●○○○○○
 *   0.00 ┤       ●●●●●●●●●●●
 *        └┬────────┬─────────┬
 *  epoch  1        5         10
 *
 * Every line of a panel is exactly `width` characters and every panel exactly `height` lines, so the chart
 * fits the space it was given. A cell both series pass through shows ◉. Non-finite values leave a gap.
 */
import {
  type CurvePanel,
  type CurveSeries,
  curvePanels,
  type HistoryLike,
  type LearningCurveOptions,
  sizeOption,
} from "./curves.js";
import { type AxisTicks, epochTicks, tickLabels, valueTicks } from "./ticks.js";

export interface LearningCurveTextOptions extends LearningCurveOptions {
  /** ASCII characters only (* o @ | - +), for consoles and log files without Unicode. Default false. */
  ascii?: boolean;
}

const FN = "learningCurveText";
/** A line pair of title and axis, an axis line and a label line, and at least two rows to draw in. */
const MIN_HEIGHT = 5;
const MIN_WIDTH = 30;
/** Room for "epoch" under the value labels. */
const MIN_LABEL_WIDTH = 4;

const UNICODE = { training: "●", validation: "○", both: "◉", tick: "┤", axis: "│", corner: "└", rule: "─", mark: "┬" };
const ASCII = { training: "*", validation: "o", both: "@", tick: "+", axis: "|", corner: "+", rule: "-", mark: "+" };
type Glyphs = typeof UNICODE;

/** The learning curve of `history` as lines of text joined with "\n" (no trailing newline). */
export function learningCurveText(history: HistoryLike, options: LearningCurveTextOptions = {}): string {
  const panels = curvePanels(FN, history, options, ["ascii"]);
  const width = sizeOption(FN, "width", options.width, 72, MIN_WIDTH);
  const height = sizeOption(FN, "height", options.height, 12, MIN_HEIGHT);
  if (options.ascii !== undefined && typeof options.ascii !== "boolean") {
    throw new Error(`${FN}: ascii must be true or false, got ${String(options.ascii)}`);
  }
  const glyphs = options.ascii ? ASCII : UNICODE;
  return panels.flatMap((panel) => drawPanel(panel, width, height, glyphs)).join("\n");
}

function drawPanel(panel: CurvePanel, width: number, height: number, glyphs: Glyphs): string[] {
  const rows = height - 3;
  const yTicks = valueTicks(panel.range?.[0] ?? 0, panel.range?.[1] ?? 1, Math.max(2, Math.floor(rows / 2)), true);
  const yLabels = tickLabels(yTicks);
  const labelWidth = Math.max(MIN_LABEL_WIDTH, ...yLabels.map((label) => label.length));
  const columns = width - labelWidth - 2;
  const xTicks = epochTicks(panel.epochRange[0], panel.epochRange[1], Math.max(2, Math.floor(columns / 10)));
  const columnOf = (epoch: number) => Math.round(scale(epoch, xTicks) * (columns - 1));
  const rowOf = (value: number) => Math.round((1 - scale(value, yTicks)) * (rows - 1));

  // Bit 1: training passes through the cell, bit 2: validation.
  const cells = Array.from({ length: rows }, () => new Uint8Array(columns));
  for (const series of panel.series) {
    const bit = series.role === "training" ? 1 : 2;
    for (const [column, row] of seriesCells(series, columnOf, rowOf)) cells[row][column] |= bit;
  }
  const rowLabels = new Map<number, string>();
  yTicks.values.forEach((value, i) => {
    const row = rowOf(value);
    if (!rowLabels.has(row)) rowLabels.set(row, yLabels[i]);
  });

  const marks = [" ", glyphs.training, glyphs.validation, glyphs.both];
  const lines = [titleLine(panel, width, glyphs)];
  for (let row = 0; row < rows; row++) {
    const label = rowLabels.get(row);
    const prefix =
      label === undefined ? " ".repeat(labelWidth) + " " + glyphs.axis : label.padStart(labelWidth) + " " + glyphs.tick;
    lines.push(prefix + Array.from(cells[row], (mask) => marks[mask]).join(""));
  }
  if (panel.range === null) {
    const note = "no finite values".slice(0, columns);
    const row = 1 + Math.floor((rows - 1) / 2);
    const start = labelWidth + 2 + Math.floor((columns - note.length) / 2);
    lines[row] = lines[row].slice(0, start) + note + lines[row].slice(start + note.length);
  }
  const tickColumns = xTicks.values.map(columnOf);
  const rule = Array.from({ length: columns }, (_, column) =>
    tickColumns.includes(column) ? glyphs.mark : glyphs.rule,
  ).join("");
  lines.push(" ".repeat(labelWidth + 1) + glyphs.corner + rule);
  lines.push("epoch".padEnd(labelWidth + 2) + placeLabels(tickLabels(xTicks), tickColumns, columns));
  return lines;
}

/** Position of `value` along an axis, 0 at its min and 1 at its max. */
function scale(value: number, ticks: AxisTicks): number {
  return (value - ticks.min) / (ticks.max - ticks.min);
}

/**
 * The [column, row] cells a series passes through: its points, and between two finite neighbours the
 * interpolated value at every column, with the rows between consecutive columns filled so the line stays
 * connected on steep slopes.
 */
function seriesCells(
  series: CurveSeries,
  columnOf: (epoch: number) => number,
  rowOf: (value: number) => number,
): [number, number][] {
  const cells: [number, number][] = [];
  const { epochs, values } = series;
  values.forEach((value, i) => {
    if (!Number.isFinite(value)) return;
    const startColumn = columnOf(epochs[i]);
    cells.push([startColumn, rowOf(value)]);
    const next = values[i + 1];
    if (next === undefined || !Number.isFinite(next)) return;
    const endColumn = columnOf(epochs[i + 1]);
    let previousRow = rowOf(value);
    const lineTo = (column: number, row: number) => {
      const step = Math.sign(row - previousRow);
      for (let fill = previousRow + step; fill !== row; fill += step) cells.push([column, fill]);
      cells.push([column, row]);
      previousRow = row;
    };
    // NOTE: with more epochs than columns, neighbours can share a column; join them there.
    if (endColumn === startColumn) lineTo(startColumn, rowOf(next));
    for (let column = startColumn + 1; column <= endColumn; column++) {
      const t = (column - startColumn) / (endColumn - startColumn);
      lineTo(column, rowOf(value + t * (next - value)));
    }
  });
  return cells;
}

/** "loss" on the left, the legend of the series drawn on the right, padded or cut to `width`. */
function titleLine(panel: CurvePanel, width: number, glyphs: Glyphs): string {
  const legend = panel.series.map((series) => `${glyphs[series.role]} ${series.role}`).join("  ");
  const room = Math.max(0, width - legend.length - 2);
  const title = panel.metric.length > room ? panel.metric.slice(0, Math.max(0, room - 1)) + "…" : panel.metric;
  return (title.padEnd(width - legend.length) + legend).slice(0, width);
}

/** Tick labels centred under their columns, skipping any that would touch the previous one. */
function placeLabels(labels: readonly string[], columns: readonly number[], width: number): string {
  let line = "";
  labels.forEach((label, i) => {
    const start = Math.min(Math.max(0, columns[i] - Math.floor((label.length - 1) / 2)), width - label.length);
    if (start < (line.length === 0 ? 0 : line.length + 1)) return;
    line = line.padEnd(start) + label;
  });
  return line.padEnd(width);
}
