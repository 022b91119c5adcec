/**
 * Keras 3's Progbar (keras/src/utils/progbar.py), rendered for JS runtimes:
 *
 *   verbose 1, terminal:  redrawn in place with "\r" at most every 50 ms, ANSI bold / green as Keras:
 *     47/47 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - accuracy: 0.9120 - loss: 0.2711
 *   verbose 1, not a terminal (pipes, browsers): only the final line of each bar, without ANSI codes.
 *   verbose 2: the final line only, in Keras's semi-verbose form:
 *     47/47 - 0s - 2ms/step - accuracy: 0.9120 - loss: 0.2711
 *
 * Values are shown as given (the training loop passes running means already); numbers as Keras prints them:
 * `.4f` when |v| > 1e-3, else `.4e`. Step time ignores the first step (compilation / warm-up) once there are more.
 */
import type { Logs } from "../callbacks/callback.js";
import type { OutputWriter } from "./output.js";
import { formatExponential, formatFixed } from "./python-format.js";

export interface ProgbarOptions {
  /** Bar width in characters. Default 20. */
  width?: number;
  verbose?: 0 | 1 | 2;
  /** Minimum time between redraws, in seconds. Default 0.05. */
  interval?: number;
  unitName?: string;
  output: OutputWriter;
  /** Clock in ms. */
  now: () => number;
  /** Use ANSI styles (default: output.isTTY). */
  colors?: boolean;
}

const BOLD = "\x1b[1m";
const GREEN = "\x1b[32m";
const WHITE = "\x1b[37m";
const RESET = "\x1b[0m";
const BAR = "━";

export class Progbar {
  target: number | undefined;
  private readonly width: number;
  private readonly verbose: 0 | 1 | 2;
  private readonly intervalMs: number;
  private readonly unitName: string;
  private readonly output: OutputWriter;
  private readonly now: () => number;
  private readonly dynamic: boolean;
  private readonly colors: boolean;
  private readonly values = new Map<string, number>();
  private readonly order: string[] = [];
  private readonly newKeys: string[] = [];
  private readonly start: number;
  private lastUpdate = -Infinity;
  private timeAfterFirstStep: number | undefined;
  private previousWidth = 0;
  private seenSoFar = 0;

  constructor(target: number | undefined, options: ProgbarOptions) {
    this.target = target;
    this.width = options.width ?? 20;
    this.verbose = options.verbose ?? 1;
    this.intervalMs = (options.interval ?? 0.05) * 1000;
    this.unitName = options.unitName ?? "step";
    this.output = options.output;
    this.now = options.now;
    this.dynamic = options.output.isTTY;
    this.colors = options.colors ?? options.output.isTTY;
    this.start = this.now();
  }

  /** Records step `current` (1-based) with its logs; draws when due. `finalize` ends the bar with a newline. */
  update(
    current: number,
    logs: Logs | undefined,
    finalize = this.target !== undefined && current >= this.target,
  ): void {
    if (logs) this.record(logs, !finalize);
    this.seenSoFar = current;
    const now = this.now();
    const secondsPerUnit = this.stepDuration(current, now);
    if (this.verbose === 1) {
      if (!finalize && (!this.dynamic || now - this.lastUpdate < this.intervalMs)) return;
      this.drawBar(current, now, secondsPerUnit, finalize);
    } else if (this.verbose === 2 && finalize) {
      const target = this.target ?? current;
      let line = `${String(current).padStart(String(target).length)}/${target}`;
      line += ` - ${formatFixed((now - this.start) / 1000, 0)}s -${formatStepTime(secondsPerUnit, this.unitName)}`;
      this.output.write(line + this.formatValues() + "\n");
    }
    this.lastUpdate = now;
  }

  /** Steps recorded so far. */
  get seen(): number {
    return this.seenSoFar;
  }

  private drawBar(current: number, now: number, secondsPerUnit: number, finalize: boolean): void {
    const target = this.target !== undefined && this.target > 0 ? this.target : undefined;
    let plain: string;
    let styled: string;
    if (target !== undefined) {
      const count = `${String(current).padStart(String(target).length)}/${target}`;
      // NOTE: int(width * (current / target)) in this order, as Keras, so boundary cases round the same way.
      const done = Math.min(this.width, Math.floor(this.width * (current / target)));
      const doneBar = BAR.repeat(done);
      const restBar = BAR.repeat(this.width - done);
      plain = `${count} ${doneBar}${restBar}`;
      styled = this.colors
        ? `${BOLD}${count}${RESET} ${done > 0 ? `${GREEN}${doneBar}${RESET}` : ""}${WHITE}${restBar}${RESET}`
        : plain;
    } else {
      plain = styled = `${String(current).padStart(7)}/Unknown`;
    }
    const time =
      target !== undefined && !finalize
        ? formatEta(secondsPerUnit * (target - current))
        : `${formatFixed((now - this.start) / 1000, 0)}s`;
    const info = `${formatStepTime(secondsPerUnit, this.unitName)}${this.formatValues()}`;
    plain += ` ${time}${info}`;
    styled += ` ${this.colors ? `${BOLD}${time}${RESET}` : time}${info}`;
    let message = this.dynamic ? "\r" + styled : styled;
    if (this.dynamic && this.previousWidth > plain.length) message += " ".repeat(this.previousWidth - plain.length);
    if (finalize) message += "\n";
    this.output.write(message);
    this.previousWidth = plain.length;
  }

  /**
   * Stores values without drawing (ProgressBar calls this for batches at verbose 2, so the order of the
   * training metrics is known before the epoch's final line).
   */
  observe(logs: Logs): void {
    this.record(logs, true);
  }

  /**
   * Stores values and places new keys in the order Keras prints them: its logs are the training metrics
   * sorted, then the val_ metrics sorted, then keys callbacks added (learning_rate) in the order added.
   * Batch logs hold only training metrics, so new keys there are simply sorted.
   */
  private record(logs: Logs, fromBatch: boolean): void {
    const fresh = this.newKeys;
    for (const key in logs) {
      if (!this.values.has(key)) fresh.push(key);
      this.values.set(key, logs[key]);
    }
    if (fresh.length === 0) return;
    if (fromBatch) fresh.sort();
    else {
      const group = (key: string) => (key.startsWith("val_") ? 1 : `val_${key}` in logs ? 0 : 2);
      const ranked = fresh.map((key, index) => ({ key, index, group: group(key) }));
      ranked.sort(
        (a, b) => a.group - b.group || (a.group < 2 ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.index - b.index),
      );
      ranked.forEach((entry, i) => (fresh[i] = entry.key));
    }
    for (const key of fresh) this.order.push(key);
    fresh.length = 0;
  }

  private formatValues(): string {
    let text = "";
    for (const key of this.order) text += ` - ${key}: ${formatMetricValue(this.values.get(key) as number)}`;
    return text;
  }

  /** Seconds per step, ignoring the first step once later ones exist (Keras's _estimate_step_duration). */
  private stepDuration(current: number, now: number): number {
    if (!current) return 0;
    const seconds =
      this.timeAfterFirstStep !== undefined && current > 1
        ? (now - this.timeAfterFirstStep) / 1000 / (current - 1)
        : (now - this.start) / 1000 / current;
    if (current === 1) this.timeAfterFirstStep = now;
    return seconds;
  }
}

/** ".4f" when |v| > 1e-3, else ".4e" — how Keras prints a metric. */
export function formatMetricValue(value: number): string {
  return Math.abs(value) > 1e-3 ? formatFixed(value, 4) : formatExponential(value, 4);
}

/** " 2ms/step", " 0s/step", " 850us/step" (Keras's _format_time; note the leading space). */
export function formatStepTime(seconds: number, unitName: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${formatFixed(seconds, 0)}s/${unitName}`;
  if (seconds >= 1e-3) return ` ${formatFixed(seconds * 1000, 0)}ms/${unitName}`;
  return ` ${formatFixed(seconds * 1e6, 0)}us/${unitName}`;
}

/** Remaining time: "7s", "2:05", "1:02:03" (whole seconds, truncated as Python's %d). */
export function formatEta(seconds: number): string {
  const whole = Math.trunc(seconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (seconds > 3600) return `${Math.floor(whole / 3600)}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}`;
  if (seconds > 60) return `${Math.floor(whole / 60)}:${pad(whole % 60)}`;
  return `${whole}s`;
}
