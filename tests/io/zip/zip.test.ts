// The zip reader and writer against Python's zipfile (the reference): densa reads what zipfile writes, stored and
// deflated (a .keras re-zipped by another tool), and zipfile reads what densa writes, names, bytes and CRCs.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ZipArchive } from "../../../ts/io/zip/zip-reader.js";
import { writeZip } from "../../../ts/io/zip/zip-writer.js";
import { python, runPython } from "../keras/h5py.js";

const scratch = mkdtempSync(join(tmpdir(), "densa-zip-"));
const bytes = (length: number, seed: number) =>
  Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 7 + (i >> 5)) & 0xff);

describe.skipIf(!python)("zip vs Python's zipfile", () => {
  test("densa reads zipfile's stored and deflated entries", () => {
    const path = join(scratch, "python.zip");
    const listing = runPython(
      `
import sys, json, zipfile
entries = {'metadata.json': b'{"keras_version": "3.6.0"}', 'dir/data.bin': bytes(range(256)) * 300, 'empty': b''}
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('metadata.json', entries['metadata.json'])
    z.writestr(zipfile.ZipInfo('dir/data.bin'), entries['dir/data.bin'], compress_type=zipfile.ZIP_DEFLATED)
    z.writestr('empty', entries['empty'], compress_type=zipfile.ZIP_DEFLATED)
print(json.dumps({k: list(v[:16]) + [len(v)] for k, v in entries.items()}))`,
      path,
    );
    const zip = ZipArchive.open(new Uint8Array(readFileSync(path)), "test");
    expect([...zip.entries.values()].map((entry) => [entry.name, entry.method])).toEqual([
      ["metadata.json", "stored"],
      ["dir/data.bin", "deflated"],
      ["empty", "deflated"],
    ]);
    for (const [name, summary] of Object.entries(listing) as [string, number[]][]) {
      const data = zip.read(name)!;
      expect([...data.subarray(0, 16), data.length], name).toEqual(summary);
    }
  });

  test("zipfile reads densa's archive: names in order, stored, contents and CRCs (testzip)", () => {
    const files = [
      { name: "metadata.json", data: new TextEncoder().encode('{"a": 1}') },
      { name: "config.json", data: bytes(5000, 1) },
      { name: "model.weights.h5", data: bytes(70000, 2) },
    ];
    const path = join(scratch, "densa.zip");
    writeFileSync(path, writeZip(files));
    const seen = runPython(
      `
import sys, json, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    print(json.dumps([[i.filename, i.compress_type, i.date_time[0], list(z.read(i.filename)[-8:]), i.file_size] for i in z.infolist()]))`,
      path,
    );
    expect(seen).toEqual(files.map((file) => [file.name, 0, 1980, [...file.data.subarray(-8)], file.data.length]));
  });
});
