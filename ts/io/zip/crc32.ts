/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip stores it for every entry. */

let table: Uint32Array | null = null;

/** NOTE: built on first use, so that bundles which never touch a zip pay nothing at start-up. */
function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

export function crc32(bytes: Uint8Array): number {
  const lookup = crcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = lookup[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
