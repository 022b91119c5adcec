/** file:// reading and writing, on Node, Deno and Bun (node:fs comes from the one loader in utils/node-file.ts). */
import { importNodeFs, type NodeFs, writeFileAtomic } from "../utils/node-file.js";

function nodeFs(argument: string): Promise<NodeFs["promises"]> {
  const instead = "load from an http(s) URL, artifacts or { modelJson, weights }, and save to a handler";
  return importNodeFs(argument, "file://", instead).then((fs) => fs.promises);
}

/** `file:///abs/dir`, `file://./relative` (tfjs-node's spelling) or `file://C:/dir` → a path for node:fs. */
export function fileUrlToPath(url: string): string {
  let path = url.replace(/^file:\/\//i, "");
  if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1); // file:///C:/…
  return path.includes("%") ? decodeURIComponent(path) : path;
}

export async function readFileBytes(path: string, argument: string): Promise<Uint8Array> {
  const fs = await nodeFs(argument);
  try {
    return await fs.readFile(path);
  } catch (cause) {
    throw new Error(`${argument}: could not read ${path} (${(cause as Error)?.message ?? String(cause)})`, { cause });
  }
}

/**
 * Creates `directory` (and its parents) and writes each file into it, in order, each one atomically (see
 * writeFileAtomic): a save killed midway leaves every file whole, either the old one or the new one.
 */
export async function writeFiles(
  directory: string,
  files: readonly { name: string; data: string | Uint8Array }[],
  argument: string,
): Promise<void> {
  const fs = await nodeFs(argument);
  try {
    await fs.mkdir(directory, { recursive: true });
  } catch (cause) {
    throw new Error(`${argument}: could not write to ${directory} (${(cause as Error)?.message ?? String(cause)})`, {
      cause,
    });
  }
  for (const file of files) await writeFileAtomic(`${directory.replace(/\/+$/, "")}/${file.name}`, file.data, argument);
}
