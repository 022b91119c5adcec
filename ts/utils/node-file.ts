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
    open(path: string, flags: string): Promise<NodeFileHandle>;
    rename(from: string, to: string): Promise<void>;
    rm(path: string, options: { recursive?: boolean; force?: boolean }): Promise<void>;
  };
  existsSync(path: string): boolean;
  statSync(path: string): { size: number };
  writeFileSync(path: string, data: string): void;
  appendFileSync(path: string, data: string): void;
}

/** The part of fs.promises' FileHandle densa uses. */
export interface NodeFileHandle {
  writeFile(data: string | Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
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
  // NOTE: the file is opened (created or emptied) here, at the start of training, so that a missing folder or a
  // read-only path is one Error naming the caller and the path before the first epoch runs, not a bare ENOENT.
  try {
    const hadContent = append && fs.existsSync(path) && fs.statSync(path).size > 0;
    if (append) fs.appendFileSync(path, "");
    else fs.writeFileSync(path, "");
    return { hadContent, append: (text) => fs.appendFileSync(path, text) };
  } catch (cause) {
    throw new Error(`${fn}: could not open ${path} for writing (${(cause as Error)?.message ?? String(cause)})`, {
      cause,
    });
  }
}

let temporaryCount = 0;

/**
 * Writes `data` to `path` so that the file is, at any moment, either what it was or all of `data` — never part
 * of it, even if the process is killed or the machine loses power midway: write a temporary file in the same
 * folder, fsync it, rename it over `path` (atomic on POSIX and on NTFS), then fsync the folder so the rename
 * itself is on disk. Errors name `fn` and the path.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, fn: string): Promise<void> {
  const fs = (await importNodeFs(fn, "writing a file", "save to a handler instead")).promises;
  const folder = path.slice(0, Math.max(path.lastIndexOf("/"), 0)) || ".";
  const temporary = `${path}.${Date.now().toString(36)}-${(temporaryCount++).toString(36)}.tmp`;
  try {
    const handle = await fs.open(temporary, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path);
  } catch (cause) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw new Error(`${fn}: could not write ${path} (${(cause as Error)?.message ?? String(cause)})`, { cause });
  }
  // NOTE: some systems (Windows) cannot open a folder to fsync it; the rename has happened either way.
  try {
    const handle = await fs.open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // the file is written; only its durability across a power loss is less certain here
  }
}

/** The bytes of `path`, or null when there is no such file. */
export async function readFileIfExists(path: string, fn: string): Promise<Uint8Array | null> {
  const fs = (await importNodeFs(fn, "reading a file", "use a handler instead")).promises;
  try {
    return await fs.readFile(path);
  } catch (cause) {
    if ((cause as { code?: string })?.code === "ENOENT") return null;
    throw new Error(`${fn}: could not read ${path} (${(cause as Error)?.message ?? String(cause)})`, { cause });
  }
}

/** Creates `folder` and its parents. */
export async function makeFolder(folder: string, fn: string): Promise<void> {
  const fs = (await importNodeFs(fn, "writing a file", "save to a handler instead")).promises;
  try {
    await fs.mkdir(folder, { recursive: true });
  } catch (cause) {
    throw new Error(`${fn}: could not create ${folder} (${(cause as Error)?.message ?? String(cause)})`, { cause });
  }
}

/** Removes `path` (a file, or a folder and everything in it); nothing when it does not exist. */
export async function removePath(path: string, fn: string): Promise<void> {
  const fs = (await importNodeFs(fn, "removing a file", "use a handler instead")).promises;
  try {
    await fs.rm(path, { recursive: true, force: true });
  } catch (cause) {
    throw new Error(`${fn}: could not remove ${path} (${(cause as Error)?.message ?? String(cause)})`, { cause });
  }
}
