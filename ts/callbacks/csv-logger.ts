/**
 * CSVLogger: one row per epoch, as Keras's csv_logger.py writes it — columns `epoch` then the log keys sorted
 * (plus `val_` twins when the first epoch had no validation keys), missing values as "NA", numbers as Python
 * prints floats, rows ended by "\r\n" (Python's csv "excel" dialect).
 *
 * Output goes to a sink: in Node, Deno and Bun a file name is enough (appended through node:fs, imported only
 * when training starts); anywhere else pass `sink: { write(text) { … } }`.
 */
import { describeValue } from "../utils/describe.js";
import { openTextFile } from "../utils/node-file.js";
import { checkBoolean, checkOptionKeys } from "../utils/options.js";
import { formatFloatRepr } from "../utils/python-format.js";
import { Callback, type Logs } from "./callback.js";

export interface CsvSink {
  /**
   * Called at the start of training. Return true if the destination already holds rows (append mode then skips
   * the header). Optional.
   */
  open?(append: boolean): boolean | void | Promise<boolean | void>;
  write(text: string): void | Promise<void>;
  close?(): void | Promise<void>;
}

export interface CSVLoggerOptions {
  filename?: string;
  /** Field separator. Default ",". */
  separator?: string;
  /** Append to an existing file instead of overwriting it. Default false. */
  append?: boolean;
  sink?: CsvSink;
}

const OPTIONS = ["filename", "separator", "append", "sink"];

export class CSVLogger extends Callback {
  readonly filename: string | undefined;
  readonly separator: string;
  readonly append: boolean;
  private readonly customSink: CsvSink | undefined;
  private sink: CsvSink | null = null;
  private keys: string[] | null = null;
  private writeHeader = true;

  /** new CSVLogger("training.csv", { separator, append }) or new CSVLogger({ sink, … }). */
  constructor(filenameOrOptions: string | CSVLoggerOptions, options: CSVLoggerOptions = {}) {
    super();
    const fn = "CSVLogger";
    const merged =
      typeof filenameOrOptions === "string" ? { ...options, filename: filenameOrOptions } : filenameOrOptions;
    checkOptionKeys(fn, merged, OPTIONS);
    if (merged.filename !== undefined && (typeof merged.filename !== "string" || merged.filename === "")) {
      throw new Error(`${fn}: filename must be a non-empty string, got ${describeValue(merged.filename)}`);
    }
    if (merged.sink !== undefined && typeof (merged.sink as { write?: unknown } | null)?.write !== "function") {
      throw new Error(`${fn}: sink must be an object with a write(text) method, got ${describeValue(merged.sink)}`);
    }
    if (merged.filename === undefined && merged.sink === undefined) {
      throw new Error(`${fn}: pass a filename (Node, Deno, Bun) or a sink with a write(text) method`);
    }
    const separator = merged.separator ?? ",";
    if (typeof separator !== "string" || separator.length !== 1) {
      throw new Error(`${fn}: separator must be a single character, got ${describeValue(separator)}`);
    }
    this.filename = merged.filename;
    this.separator = separator;
    this.append = checkBoolean(fn, "append", merged.append ?? false);
    this.customSink = merged.sink;
  }

  override async onTrainBegin(): Promise<void> {
    await this.closeSink();
    this.keys = null;
    if (this.customSink) {
      this.sink = this.customSink;
      const hadContent = await this.customSink.open?.(this.append);
      this.writeHeader = !(this.append && hadContent === true);
    } else {
      const file = await openTextFile(this.filename as string, this.append, "CSVLogger");
      this.sink = { write: (text) => file.append(text) };
      this.writeHeader = !file.hadContent;
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (!this.sink) return;
    if (this.keys === null) {
      const keys = Object.keys(logs).sort();
      if (keys.length > 0 && !keys.some((key) => key.startsWith("val_"))) keys.push(...keys.map((key) => "val_" + key));
      this.keys = keys;
      if (this.writeHeader) await this.sink.write(this.row(["epoch", ...keys]));
    }
    const cells = [String(epoch)];
    for (const key of this.keys) cells.push(key in logs ? formatFloatRepr(logs[key]) : "NA");
    await this.sink.write(this.row(cells));
  }

  override async onTrainEnd(): Promise<void> {
    await this.closeSink();
  }

  /** Python csv QUOTE_MINIMAL: quote fields holding the separator, a quote or a line break; double quotes. */
  private row(cells: string[]): string {
    const quoteNeeded = (cell: string) => cell.includes(this.separator) || /["\r\n]/.test(cell);
    return (
      cells.map((cell) => (quoteNeeded(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(this.separator) + "\r\n"
    );
  }

  private async closeSink(): Promise<void> {
    const sink = this.sink;
    this.sink = null;
    if (sink && sink === this.customSink) await sink.close?.();
  }
}
