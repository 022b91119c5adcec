/**
 * Where progress bars and callback messages go. In Node, Deno and Bun: process.stdout, redrawn in place when it
 * is a terminal. Elsewhere (browsers, workers, edge functions): console.log, one complete line at a time.
 */
export interface OutputWriter {
  /** Writes text as is; lines end with "\n", a redraw starts with "\r". */
  write(text: string): void;
  /** True when "\r" redraws work (a terminal), so a bar can update in place. */
  readonly isTTY: boolean;
}

interface StdoutLike {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** process.stdout where it exists, else a console.log line writer. Looked up on each call, never at load time. */
export function defaultOutput(): OutputWriter {
  const stdout = (globalThis as { process?: { stdout?: StdoutLike } }).process?.stdout;
  if (stdout && typeof stdout.write === "function") {
    return { write: (text) => void stdout.write(text), isTTY: stdout.isTTY === true };
  }
  return consoleOutput();
}

/**
 * Buffers text and hands each complete line to `log` (console.log by default). A "\r" redraw discards the
 * pending partial line, so only final lines reach the console.
 */
export function consoleOutput(log: (line: string) => void = (line) => console.log(line)): OutputWriter {
  let pending = "";
  return {
    isTTY: false,
    write(text: string): void {
      pending += text;
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        const redraw = line.lastIndexOf("\r");
        log(redraw >= 0 ? line.slice(redraw + 1) : line);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf("\n");
      }
    },
  };
}

/** Collects everything written; for tests and for capturing output (isTTY as given). */
export class StringOutput implements OutputWriter {
  text = "";
  constructor(readonly isTTY = false) {}
  write(text: string): void {
    this.text += text;
  }
}
