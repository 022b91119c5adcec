import { crc32 } from "./crc32.js";

/**
 * Writes a zip of stored (uncompressed) entries, as Keras's saving_lib does through Python's zipfile: version 2.0,
 * no flags, DOS date 1980-01-01 00:00, Unix mode 0600, no extra fields, no comment.
 * NOTE: Keras stamps model.weights.h5 with the time of saving; densa writes 1980-01-01 for every entry, so the
 * same model always gives the same bytes.
 */

export interface ZipInput {
  name: string;
  data: Uint8Array;
}

const DOS_DATE_1980_01_01 = 0x0021;
const UNIX_MODE_0600 = 0o600 << 16;

export function writeZip(files: readonly ZipInput[]): Uint8Array {
  const encoder = new TextEncoder();
  const names = files.map((file) => encoder.encode(file.name));
  const crcs = files.map((file) => crc32(file.data));
  const localSize = files.reduce((total, file, i) => total + 30 + names[i].length + file.data.length, 0);
  const directorySize = files.reduce((total, _, i) => total + 46 + names[i].length, 0);
  const out = new Uint8Array(localSize + directorySize + 22);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  let at = 0;
  files.forEach((file, i) => {
    offsets.push(at);
    view.setUint32(at, 0x04034b50, true);
    view.setUint16(at + 4, 20, true); // version needed: 2.0
    view.setUint16(at + 12, DOS_DATE_1980_01_01, true);
    view.setUint32(at + 14, crcs[i], true);
    view.setUint32(at + 18, file.data.length, true);
    view.setUint32(at + 22, file.data.length, true);
    view.setUint16(at + 26, names[i].length, true);
    out.set(names[i], at + 30);
    out.set(file.data, at + 30 + names[i].length);
    at += 30 + names[i].length + file.data.length;
  });
  const directoryOffset = at;
  files.forEach((file, i) => {
    view.setUint32(at, 0x02014b50, true);
    view.setUint16(at + 4, 20, true); // made by: MS-DOS / version 2.0, as Python's zipfile writes
    view.setUint16(at + 6, 20, true);
    view.setUint16(at + 14, DOS_DATE_1980_01_01, true);
    view.setUint32(at + 16, crcs[i], true);
    view.setUint32(at + 20, file.data.length, true);
    view.setUint32(at + 24, file.data.length, true);
    view.setUint16(at + 28, names[i].length, true);
    view.setUint32(at + 38, UNIX_MODE_0600, true);
    view.setUint32(at + 42, offsets[i], true);
    out.set(names[i], at + 46);
    at += 46 + names[i].length;
  });
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, files.length, true);
  view.setUint16(at + 10, files.length, true);
  view.setUint32(at + 12, at - directoryOffset, true);
  view.setUint32(at + 16, directoryOffset, true);
  return out;
}
