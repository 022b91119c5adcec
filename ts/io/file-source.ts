// model.json or a Keras file read from a file:// URL (Node, Deno, Bun), for readArtifacts (sources.ts), which
// loads this module on first use.
import { fileUrlToPath, readFileBytes } from "./node-fs.js";
import { artifactsFromModelJson, checkModelJson, isKerasFile, kerasArtifacts, parseJson } from "./sources.js";
import type { ModelArtifacts } from "./types.js";
import { concatBinary } from "./weights.js";

export async function readFromFiles(url: string, argument: string): Promise<ModelArtifacts> {
  let path = fileUrlToPath(url);
  let bytes: Uint8Array | undefined;
  if (!path.endsWith(".json")) {
    // A file (a .keras, an .h5, a model.json by another name) or else a directory holding model.json.
    bytes = await readFileBytes(path, argument).catch(() => undefined);
    if (bytes && isKerasFile(bytes)) return kerasArtifacts(bytes, argument);
    if (!bytes) path = `${path.replace(/\/+$/, "")}/model.json`;
  }
  const text = new TextDecoder().decode(bytes ?? (await readFileBytes(path, argument)));
  const json = checkModelJson(parseJson(text, path, argument), path, argument);
  const directory = path.slice(0, path.lastIndexOf("/") + 1);
  const paths = (json.weightsManifest ?? []).flatMap((group) => group.paths);
  const shards = await Promise.all(paths.map((shard) => readFileBytes(directory + shard, argument)));
  return artifactsFromModelJson(json, concatBinary(shards, `${argument}: weights`), path, argument);
}
