/**
 * Compiles a WebAssembly module inlined in the bundle as a hex string (written by scripts/embed-wasm.mjs).
 * NOTE: hex, not base64: a byte is always the same two characters, so gzip finds the module's repeats as it
 * would in the binary (densa.wasm: 21.8 kB gzipped as hex, 29.3 kB as base64, 19.9 kB as the binary itself),
 * and decoding needs no atob, no DecompressionStream and almost no time.
 */
export function compileInlined(hex: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(bytesFromHex(hex));
}

/** The bytes of a module inlined as hex (the thread pool sends them to its workers, which compile their own). */
export function bytesFromHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(hex.length >>> 1));
  for (let i = 0; i < bytes.length; i++) bytes[i] = (hexDigit(hex.charCodeAt(2 * i)) << 4) | hexDigit(hex.charCodeAt(2 * i + 1));
  return bytes;
}

/** "0"–"9" are 48–57, "a"–"f" are 97–102. */
function hexDigit(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}
