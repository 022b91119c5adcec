/**
 * Compiles a WebAssembly module inlined in the bundle (written by scripts/embed-wasm.mjs): raw DEFLATE in
 * base64 for the two entries' modules, hex for the builds init({ threads, relaxedSimd }) loads on demand.
 * NOTE: why two forms. gzip (what servers send) finds the module's repeats again in hex, where a byte is always
 * the same two characters, but not in base64 (densa.wasm: 22.1 kB gzipped as the binary, 24.5 kB as hex, 33.1 kB
 * as base64); deflated first, the bytes have no repeats left and base64 costs gzip almost nothing (22.2 kB).
 * Unpacking takes the runtime's own DecompressionStream, so no inflate code ships.
 */
export async function compileDeflated(base64: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await inflateRaw(bytesFromBase64(base64)));
}

export function compileInlined(hex: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(bytesFromHex(hex));
}

/** The bytes of a module inlined as hex (the thread pool sends them to its workers, which compile their own). */
export function bytesFromHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(hex.length >>> 1));
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = (hexDigit(hex.charCodeAt(2 * i)) << 4) | hexDigit(hex.charCodeAt(2 * i + 1));
  return bytes;
}

/** "0"–"9" are 48–57, "a"–"f" are 97–102. */
function hexDigit(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

function bytesFromBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < bytes.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Raw DEFLATE (RFC 1951) undone by the runtime: Node ≥ 18, Deno, Bun and browsers since 2023 have it. */
async function inflateRaw(bytes: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  if (typeof DecompressionStream !== "function") {
    throw new Error(
      "init: this runtime has no DecompressionStream, which densa needs to unpack its WebAssembly kernels",
    );
  }
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).arrayBuffer();
}
