import { inflateSync } from "fflate";
import { crc32 } from "./crc32.js";
import { DEFAULT_ZIP_LIMITS, RATIO_EXEMPT_BYTES, type ZipLimits } from "./zip-limits.js";

/**
 * Reads a zip archive (PKWARE APPNOTE 6.3): the end-of-central-directory record, the central directory, and each
 * entry's local header and data. Stored (0) and deflated (8) entries; anything else (encryption, ZIP64, other
 * methods) is an Error naming it. Every size and offset is checked against the file and the limits before a byte
 * is copied or inflated, and every entry's CRC-32 is verified.
 *
 *   [local header 1][data 1] … [local header n][data n][central directory: n records][end record (22 + comment)]
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_RECORD = 0x06054b50;
const END_RECORD_SIZE = 22;

export interface ZipEntry {
  name: string;
  method: "stored" | "deflated";
  compressedSize: number;
  size: number;
  crc: number;
  dataOffset: number;
}

export class ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;
  private totalRead = 0;

  private constructor(
    private readonly bytes: Uint8Array,
    entries: Map<string, ZipEntry>,
    private readonly limits: ZipLimits,
    private readonly argument: string,
  ) {
    this.entries = entries;
  }

  static open(bytes: Uint8Array, argument: string, limits: Partial<ZipLimits> = {}): ZipArchive {
    const allLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
    // NOTE: a plain Uint8Array view: Node's Buffer.slice shares memory, where typed arrays' slice copies.
    bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new ZipArchive(bytes, readCentralDirectory(bytes, allLimits, argument), allLimits, argument);
  }

  /** The uncompressed bytes of `name`, or undefined when the archive has no such entry. */
  read(name: string): Uint8Array | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    const where = `${this.argument}: zip entry ${JSON.stringify(name)}`;
    this.totalRead += entry.size;
    if (this.totalRead > this.limits.maxTotalBytes) {
      throw new Error(
        `${where}: the entries read so far expand to ${this.totalRead} bytes, more than the limit of ${this.limits.maxTotalBytes}`,
      );
    }
    const raw = this.bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
    let data: Uint8Array;
    if (entry.method === "stored") {
      data = raw;
    } else {
      // NOTE: one byte more than the entry claims: a stream that fills it expands beyond its declared size (a
      // deflate bomb, or a lying header), and inflating stops there instead of growing without bound.
      const out = new Uint8Array(entry.size + 1);
      try {
        data = inflateSync(raw, { out });
      } catch (cause) {
        throw new Error(`${where}: the deflate stream is corrupt (${(cause as Error)?.message ?? String(cause)})`, {
          cause,
        });
      }
      if (data.length !== entry.size) {
        const got = data.length > entry.size ? `more than ${entry.size}` : String(data.length);
        throw new Error(`${where}: the deflate stream expands to ${got} bytes but the zip declares ${entry.size}`);
      }
    }
    if (crc32(data) !== entry.crc) throw new Error(`${where}: CRC-32 mismatch (the file is corrupt or truncated)`);
    return data;
  }
}

/** Whether `bytes` starts like a zip archive (a local file header). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function readCentralDirectory(bytes: Uint8Array, limits: ZipLimits, argument: string): Map<string, ZipEntry> {
  const fail = (what: string) => new Error(`${argument}: not a readable zip archive: ${what}`);
  if (!looksLikeZip(bytes)) throw fail("it does not start with a local file header (PK\\x03\\x04)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndRecord(view);
  if (end < 0) throw fail("no end-of-central-directory record (the file is truncated?)");
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff)
    throw fail("ZIP64 archives are not supported");
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0)
    throw fail("multi-disk archives are not supported");
  if (count > limits.maxEntries) throw fail(`${count} entries, more than the limit of ${limits.maxEntries}`);
  if (directoryOffset + directorySize > end) throw fail("the central directory lies outside the file (truncated?)");
  const entries = new Map<string, ZipEntry>();
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL_HEADER)
      throw fail(`central directory record ${i} is missing or corrupt`);
    const flags = view.getUint16(at + 8, true);
    const methodCode = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localOffset = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > end) throw fail(`central directory record ${i} runs past the directory`);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    const label = `entry ${JSON.stringify(name)}`;
    checkEntryName(name, fail);
    if (flags & 0x1) throw fail(`${label} is encrypted`);
    if (methodCode !== 0 && methodCode !== 8)
      throw fail(`${label} uses compression method ${methodCode}; densa reads stored (0) and deflated (8) entries`);
    if (compressedSize === 0xffffffff || size === 0xffffffff)
      throw fail(`${label} needs ZIP64, which is not supported`);
    if (size > limits.maxEntryBytes)
      throw fail(`${label} expands to ${size} bytes, more than the limit of ${limits.maxEntryBytes}`);
    if (methodCode === 0 && compressedSize !== size)
      throw fail(`${label} is stored but its sizes differ (${compressedSize} and ${size})`);
    if (methodCode === 8 && size > RATIO_EXEMPT_BYTES && size > compressedSize * limits.maxCompressionRatio) {
      throw fail(
        `${label} claims a compression ratio of ${(size / Math.max(compressedSize, 1)).toFixed(0)}:1, more than the limit of ${limits.maxCompressionRatio}:1`,
      );
    }
    if (localOffset + 30 > directoryOffset || view.getUint32(localOffset, true) !== LOCAL_HEADER)
      throw fail(`${label} has no local header where the directory says`);
    const dataOffset =
      localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    if (dataOffset + compressedSize > directoryOffset)
      throw fail(`${label}'s data runs past the start of the central directory (truncated?)`);
    if (entries.has(name)) throw fail(`${label} appears twice`);
    entries.set(name, {
      name,
      method: methodCode === 0 ? "stored" : "deflated",
      compressedSize,
      size,
      crc,
      dataOffset,
    });
  }
  return entries;
}

/** Entry names that would escape a target folder (`../x`, `/etc/x`, `C:\x`) are refused, as unzip tools do. */
function checkEntryName(name: string, fail: (what: string) => Error): void {
  const parts = name.split(/[\\/]/);
  if (
    name.startsWith("/") ||
    name.startsWith("\\") ||
    /^[A-Za-z]:/.test(name) ||
    parts.includes("..") ||
    name.includes("\0")
  ) {
    throw fail(`entry ${JSON.stringify(name)} escapes the archive (absolute path or "..")`);
  }
}

/** The end record's offset: scanned backwards over at most a 64 KiB comment; -1 if absent. */
function findEndRecord(view: DataView): number {
  const last = view.byteLength - END_RECORD_SIZE;
  const first = Math.max(0, last - 0xffff);
  for (let at = last; at >= first; at--) {
    if (
      view.getUint32(at, true) === END_RECORD &&
      at + END_RECORD_SIZE + view.getUint16(at + 20, true) === view.byteLength
    )
      return at;
  }
  return -1;
}
