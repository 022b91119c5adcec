/**
 * The one place densa's callbacks touch the file system: a text file opened for writing, in Node, Deno and Bun.
 * NOTE: node:fs is imported dynamically inside the function and never at module level, so the library still
 * loads in browsers and workers; `"node:fs" as string` keeps TypeScript from needing Node's types here while
 * bundlers still see the literal specifier (and can mark it external).
 */

export interface TextFile {
  /** Whether the file had content before it was opened (for append mode: skip a second CSV header). */
  readonly hadContent: boolean;
  append(text: string): void;
}

interface NodeFsSubset {
  existsSync(path: string): boolean;
  statSync(path: string): { size: number };
  writeFileSync(path: string, data: string): void;
  appendFileSync(path: string, data: string): void;
}

/** Opens `path` for appending (append true) or truncates / creates it. */
export async function openTextFile(path: string, append: boolean, fn: string): Promise<TextFile> {
  let fs: NodeFsSubset | undefined;
  try {
    fs = (await import("node:fs" as string)) as NodeFsSubset;
  } catch {
    fs = undefined;
  }
  // NOTE: browser bundlers (Vite) replace node:fs with an empty stub instead of failing the import.
  if (typeof fs?.appendFileSync !== "function") {
    throw new Error(`${fn}: writing to a file needs node:fs (Node, Deno, Bun); in this runtime pass a sink instead`);
  }
  const hadContent = append && fs.existsSync(path) && fs.statSync(path).size > 0;
  if (!append) fs.writeFileSync(path, "");
  return { hadContent, append: (text) => fs.appendFileSync(path, text) };
}
