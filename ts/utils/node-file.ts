/**
 * The one way densa reaches the file system (file:// models, CSVLogger files), in Node, Deno and Bun.
 * NOTE: node:fs is imported dynamically inside a function and never at module level, so the library still
 * loads in browsers and workers; `"node:fs" as string` keeps TypeScript from needing Node's types here while
 * bundlers still see the literal specifier (and can mark it external).
 */

/** The part of node:fs densa uses. */
export interface NodeFs {
  promises: {
    readFile(path: string): Promise<Uint8Array>;
    writeFile(path: string, data: string | Uint8Array): Promise<void>;
    mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  };
  existsSync(path: string): boolean;
  statSync(path: string): { size: number };
  writeFileSync(path: string, data: string): void;
  appendFileSync(path: string, data: string): void;
}

/**
 * node:fs, or an Error that says `${fn}: ${task} needs node:fs …; in this runtime ${instead}`.
 * NOTE: browser bundlers do not always fail the import: Vite puts an empty module in its place (whose default
 * export throws on any access), so the functions are checked too, and such a stub is named in the error.
 */
export async function importNodeFs(fn: string, task: string, instead: string): Promise<NodeFs> {
  let fs: NodeFs | undefined;
  try {
    fs = (await import("node:fs" as string)) as NodeFs;
  } catch {
    fs = undefined;
  }
  if (fs && hasFunctions(fs)) return fs;
  const stub = fs ? ", and node:fs here is an empty stub (as a browser bundler such as Vite puts in its place)" : "";
  throw new Error(`${fn}: ${task} needs node:fs (Node, Deno, Bun)${stub}; in this runtime ${instead}`);
}

function hasFunctions(fs: NodeFs): boolean {
  try {
    return typeof fs.promises?.readFile === "function" && typeof fs.appendFileSync === "function";
  } catch {
    return false;
  }
}

export interface TextFile {
  /** Whether the file had content before it was opened (for append mode: skip a second CSV header). */
  readonly hadContent: boolean;
  append(text: string): void;
}

/** Opens `path` for appending (append true) or truncates / creates it. */
export async function openTextFile(path: string, append: boolean, fn: string): Promise<TextFile> {
  const fs = await importNodeFs(fn, "writing to a file", "pass a sink instead");
  const hadContent = append && fs.existsSync(path) && fs.statSync(path).size > 0;
  if (!append) fs.writeFileSync(path, "");
  return { hadContent, append: (text) => fs.appendFileSync(path, text) };
}
