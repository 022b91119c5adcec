/**
 * model.summary()'s text, laid out as Keras 3 prints it (keras/src/utils/summary_utils.py renders a rich
 * table; this reproduces rich's plain-text output for it):
 *
 *   Model: "classifier"
 *   ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
 *   ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
 *   ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
 *   │ dense (Dense)                   │ (None, 64)             │           576 │
 *   ├─────────────────────────────────┼────────────────────────┼───────────────┤
 *   │ dense_1 (Dense)                 │ (None, 1)              │            65 │
 *   └─────────────────────────────────┴────────────────────────┴───────────────┘
 *    Total params: 641 (2.50 KB)
 *    Trainable params: 641 (2.50 KB)
 *    Non-trainable params: 0 (0.00 B)
 *
 * Column widths: Keras asks for int(p * lineLength) at positions [0.45, 0.80, 1.0] plus one space of padding
 * each side, in a table lineLength wide; rich then shrinks the columns to fit with its ratio_reduce
 * (banker's rounding), which gives the widths above for lineLength 76.
 */

import { describeValue } from "../utils/describe.js";
import { formatMemorySize, formatThousands, roundHalfEven } from "../utils/python-format.js";

export interface SummaryRow {
  /** Layer name, e.g. "dense_1". */
  name: string;
  /** Class name, e.g. "Dense". */
  type: string;
  /** Full output shape with the batch axis as null ([null, 64] → "(None, 64)"), a preformatted string, or null for "?". */
  outputShape: readonly (number | null)[] | string | null;
  params: number;
  /** False prints "0 (unbuilt)", as Keras does for layers without weights yet. Default true. */
  built?: boolean;
  /** A Functional model's "Connected to" cell: `dense[0][0], input[0][0]`, or "-". */
  connectedTo?: string;
}

export interface SummaryTotals {
  total: number;
  trainable: number;
  nonTrainable: number;
  /**
   * The optimizer's variable count (included in `total`, as Keras counts it); printed as "Optimizer params" when
   * given (Keras: once the optimizer is built).
   */
  optimizer?: number;
  /** The optimizer variables' bytes when they are not all float32 (Keras 3's iteration count is an int64). */
  optimizerBytes?: number;
}

export interface SummaryFormatOptions {
  /** Total width; default summaryLineLength() = min(88, terminal columns - 4), 76 without a terminal. */
  lineLength?: number;
  /** Bytes per parameter for the sizes. Default 4 (float32). */
  bytesPerParam?: number;
  /**
   * Keras's table for a graph that is not a plain stack: a fourth column "Connected to", positions
   * [0.3, 0.6, 0.7, 1.0] and a default width of min(108, columns - 4).
   */
  connected?: boolean;
}

const POSITIONS = [0.45, 0.8, 1.0];
const HEADER = ["Layer (type)", "Output Shape", "Param #"];
const CONNECTED_POSITIONS = [0.3, 0.6, 0.7, 1.0];
const CONNECTED_HEADER = [...HEADER, "Connected to"];
const RIGHT_ALIGNED = [false, false, true, false];

/** Keras's default width: min(88, columns - 4) (108 with "Connected to"); columns default to 80 (Python's fallback terminal size). */
export function summaryLineLength(terminalColumns = 80, connected = false): number {
  return Math.min(connected ? 108 : 88, terminalColumns - 4);
}

export function formatSummary(
  modelName: string,
  rows: readonly SummaryRow[],
  totals: SummaryTotals,
  options: SummaryFormatOptions = {},
): string {
  const connected = options.connected ?? false;
  const lineLength = options.lineLength ?? summaryLineLength(80, connected);
  if (!Number.isInteger(lineLength) || lineLength < 1) {
    throw new Error(`summary: lineLength must be a positive integer, got ${describeValue(lineLength)}`);
  }
  const bytesPerParam = options.bytesPerParam ?? 4;
  const widths = columnWidths(lineLength, connected ? CONNECTED_POSITIONS : POSITIONS);
  const lines = [`Model: "${modelName}"`];
  lines.push(border("┏", "━", "┳", "┓", widths));
  lines.push(...tableRow(connected ? CONNECTED_HEADER : HEADER, widths, "┃"));
  lines.push(border("┡", "━", "╇", "┩", widths));
  rows.forEach((row, index) => {
    if (index > 0) lines.push(border("├", "─", "┼", "┤", widths));
    const params = row.built === false ? "0 (unbuilt)" : formatThousands(row.params);
    const cells = [`${row.name} (${row.type})`, formatOutputShape(row.outputShape), params];
    if (connected) cells.push(row.connectedTo ?? "-");
    lines.push(...tableRow(cells, widths, "│"));
  });
  lines.push(border("└", "─", "┴", "┘", widths));
  const count = (label: string, n: number, bytes = n * bytesPerParam) =>
    ` ${label}: ${formatThousands(n)} (${formatMemorySize(bytes)})`;
  const optimizer = totals.optimizer ?? 0;
  const optimizerBytes = totals.optimizerBytes ?? optimizer * bytesPerParam;
  lines.push(count("Total params", totals.total, (totals.total - optimizer) * bytesPerParam + optimizerBytes));
  lines.push(count("Trainable params", totals.trainable));
  lines.push(count("Non-trainable params", totals.nonTrainable));
  if (totals.optimizer !== undefined) lines.push(count("Optimizer params", optimizer, optimizerBytes));
  return lines.join("\n");
}

/** "(None, 64)"; "?" when unknown. */
export function formatOutputShape(shape: SummaryRow["outputShape"]): string {
  if (shape === null || shape === undefined) return "?";
  if (typeof shape === "string") return shape;
  // NOTE: Keras joins the dims itself, so a rank-1 shape prints "(None)", not Python's "(None,)".
  return `(${shape.map((dim) => (dim === null ? "None" : String(dim))).join(", ")})`;
}

/** Cell widths including padding, without borders, as rich computes them for Keras's table. */
function columnWidths(lineLength: number, positions: readonly number[]): number[] {
  const requested: number[] = [];
  let used = 0;
  for (const position of positions) {
    const width = Math.trunc(position * lineLength) - used;
    if (width < 4) throw new Error(`summary: lineLength ${lineLength} is too narrow to print the summary`);
    requested.push(width + 2);
    used += width;
  }
  const available = lineLength - (positions.length + 1);
  const total = requested.reduce((sum, width) => sum + width, 0);
  return total > available ? ratioReduce(total - available, requested) : requested;
}

/** rich's ratio_reduce with equal ratios: take `excess` off the widths, spread evenly, rounding half to even. */
function ratioReduce(excess: number, widths: number[]): number[] {
  let remaining = excess;
  let ratioLeft = widths.length;
  return widths.map((width) => {
    const taken = Math.min(width, roundHalfEven(remaining / ratioLeft));
    remaining -= taken;
    ratioLeft -= 1;
    return width - taken;
  });
}

function border(left: string, fill: string, join: string, right: string, widths: number[]): string {
  return left + widths.map((width) => fill.repeat(width)).join(join) + right;
}

/** One table row; cells wrap at spaces (rich's default) and the row grows to its tallest cell. */
function tableRow(cells: string[], widths: number[], edge: string): string[] {
  const wrapped = cells.map((cell, i) => wrapCell(cell, widths[i] - 2));
  const height = Math.max(...wrapped.map((lines) => lines.length));
  const out: string[] = [];
  for (let line = 0; line < height; line++) {
    const parts = wrapped.map((lines, i) => {
      const text = lines[line] ?? "";
      const inner = widths[i] - 2;
      return " " + (RIGHT_ALIGNED[i] ? text.padStart(inner) : text.padEnd(inner)) + " ";
    });
    out.push(edge + parts.join(edge) + edge);
  }
  return out;
}

/** Greedy word wrap to `width`; a word longer than a line is cut with "…" (rich's "ellipsis" overflow). */
function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    const candidate = current === "" ? word : `${current} ${word}`;
    if (candidate.length <= width || current === "") current = candidate;
    else {
      lines.push(current);
      current = word;
    }
  }
  lines.push(current);
  return lines.map((line) => (line.length > width ? line.slice(0, width - 1) + "…" : line));
}
