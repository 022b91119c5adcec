// Expected text is what Keras's CSVLogger writes (csv.DictWriter, excel dialect: "\r\n" rows, Python float
// repr, "NA" for missing values, sorted keys with val_ twins added when the first epoch had none).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CSVLogger, type CsvSink } from "../../ts/callbacks/csv-logger.js";
import { FakeModel, runEpochs } from "./fake-model.js";

class MemorySink implements CsvSink {
  text = "";
  opened: boolean[] = [];
  closed = 0;
  constructor(private readonly hadContent = false) {}
  open(append: boolean): boolean {
    this.opened.push(append);
    return this.hadContent;
  }
  write(text: string): void {
    this.text += text;
  }
  close(): void {
    this.closed++;
  }
}

describe("CSVLogger", () => {
  it("writes Keras's header and rows; val_ columns are NA when absent", async () => {
    const sink = new MemorySink();
    await runEpochs(
      new FakeModel(),
      [new CSVLogger({ sink })],
      [
        { loss: 0.5, accuracy: 0.25 },
        { loss: 1e-5, accuracy: 1 },
      ],
    );
    expect(sink.text).toBe("epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5,NA,NA\r\n1,1.0,1e-05,NA,NA\r\n");
    expect(sink.opened).toEqual([false]);
    expect(sink.closed).toBe(1);
  });

  it("keeps sorted keys from the first epoch, including validation metrics", async () => {
    const sink = new MemorySink();
    await runEpochs(
      new FakeModel(),
      [new CSVLogger({ sink })],
      [
        { val_loss: 0.6, loss: 0.5, val_accuracy: 0.7, accuracy: 0.75 },
        { val_loss: 0.4, loss: 0.3, val_accuracy: 0.8, accuracy: 0.85, learning_rate: 0.1 },
      ],
    );
    expect(sink.text).toBe("epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.75,0.5,0.7,0.6\r\n1,0.85,0.3,0.8,0.4\r\n");
  });

  it("prints float32 values as Python's repr of their double", async () => {
    const sink = new MemorySink();
    await runEpochs(new FakeModel(), [new CSVLogger({ sink })], [{ loss: Math.fround(0.2711), val_loss: NaN }]);
    expect(sink.text).toBe("epoch,loss,val_loss\r\n0,0.2711000144481659,nan\r\n");
  });

  it("append mode skips the header when the destination has content; separator and quoting", async () => {
    const sink = new MemorySink(true);
    await runEpochs(new FakeModel(), [new CSVLogger({ sink, append: true, separator: ";" })], [{ "a;b": 1, loss: 2 }]);
    expect(sink.opened).toEqual([true]);
    expect(sink.text).toBe("0;1.0;2.0;NA;NA\r\n");
    const fresh = new MemorySink(false);
    await runEpochs(new FakeModel(), [new CSVLogger({ sink: fresh, separator: ";" })], [{ "a;b": 1 }]);
    expect(fresh.text).toBe('epoch;"a;b";"val_a;b"\r\n0;1.0;NA\r\n');
  });

  describe("with a file (Node)", () => {
    const dir = mkdtempSync(join(tmpdir(), "densa-csv-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("overwrites by default and appends without a second header", async () => {
      const path = join(dir, "log.csv");
      writeFileSync(path, "old content\n");
      await runEpochs(new FakeModel(), [new CSVLogger(path)], [{ loss: 2 }]);
      expect(readFileSync(path, "utf8")).toBe("epoch,loss,val_loss\r\n0,2.0,NA\r\n");
      await runEpochs(new FakeModel(), [new CSVLogger(path, { append: true })], [{ loss: 1.5 }]);
      expect(readFileSync(path, "utf8")).toBe("epoch,loss,val_loss\r\n0,2.0,NA\r\n0,1.5,NA\r\n");
      const fresh = join(dir, "fresh.csv");
      await runEpochs(new FakeModel(), [new CSVLogger(fresh, { append: true })], [{ loss: 1 }]);
      expect(readFileSync(fresh, "utf8")).toBe("epoch,loss,val_loss\r\n0,1.0,NA\r\n");
    });

    it("names itself and the path when the file cannot be opened, before the first epoch", async () => {
      const path = join(dir, "no-such-folder", "log.csv");
      const model = new FakeModel();
      await expect(runEpochs(model, [new CSVLogger(path)], [{ loss: 2 }])).rejects.toThrow(
        `CSVLogger: could not open ${path} for writing (ENOENT`,
      );
      expect(existsSync(join(dir, "no-such-folder"))).toBe(false);
    });
  });

  it("validates its arguments", () => {
    expect(() => new CSVLogger({})).toThrow(
      "CSVLogger: pass a filename (Node, Deno, Bun) or a sink with a write(text) method",
    );
    expect(() => new CSVLogger("x.csv", { separator: ", " })).toThrow(
      'CSVLogger: separator must be a single character, got string ", "',
    );
    expect(() => new CSVLogger({ sink: {} as never })).toThrow(
      "CSVLogger: sink must be an object with a write(text) method, got an object",
    );
    expect(() => new CSVLogger("x.csv", { append: "yes" as never })).toThrow(
      'CSVLogger: append must be true or false, got string "yes"',
    );
  });
});
