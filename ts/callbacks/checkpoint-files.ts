/**
 * Every file ModelCheckpoint and BackupAndRestore write or read, in one place (Node, Deno, Bun; each write is
 * atomic, see writeFileAtomic), so that another format — Keras's `.weights.h5` — is added here and nowhere else.
 *
 * A checkpoint (ModelCheckpoint):
 *   "file://…/dir" or "…/dir"      the TensorFlow.js Layers format: dir/model.json + dir/weights.bin, with the
 *                                  optimizer's state unless weights only (weights.bin first, then model.json)
 *   "….keras", "….h5"              the model's own Keras-file saving, where this build has it
 *   "….weights.h5"                 model.saveWeights, where this build has it
 *   { save(artifacts) }            any save handler, given the artifacts
 *
 * A backup (BackupAndRestore) is one file, so that it is replaced in one atomic rename:
 *   "DENSABK1" | u32 LE header length | header JSON { format, state, weightSpecs } | weight bytes
 */

import type { ModelArtifacts, WeightSpec } from "../io/types.js";
import { type DecodedWeight, decodeWeights } from "../io/weights.js";
import { describeValue } from "../utils/describe.js";
import { makeFolder, readFileIfExists, writeFileAtomic } from "../utils/node-file.js";
import { checkTrainingRunState, type TrainingRunState } from "./training-run.js";

/** What the checkpoint callbacks need of the model (the Sequential they are given in fit). */
export interface CheckpointModel {
  save(target?: unknown, options?: { includeOptimizer?: boolean }): Promise<unknown>;
  saveWeights?(target: string): Promise<unknown>;
  toKeras?(): unknown;
}

export interface SaveHandlerLike {
  save(artifacts: ModelArtifacts): unknown;
}

/** A plain path or a file:// URL → a path for node:fs. */
export function toFilePath(target: string): string {
  return target.replace(/^file:\/\//i, "");
}

function parentFolder(path: string): string {
  const cut = path.replace(/\/+$/, "").lastIndexOf("/");
  return cut <= 0 ? (cut === 0 ? "/" : ".") : path.slice(0, cut);
}

/** Saves a checkpoint of `model` at `target` (a filled-in filepath or a handler). */
export async function saveCheckpoint(
  model: CheckpointModel,
  target: string | SaveHandlerLike,
  weightsOnly: boolean,
  fn: string,
): Promise<void> {
  if (typeof target !== "string") {
    await model.save(target, { includeOptimizer: !weightsOnly });
    return;
  }
  const path = toFilePath(target);
  if (/\.weights\.h5$/i.test(path)) {
    if (typeof model.saveWeights !== "function") {
      throw new Error(
        `${fn}: ${JSON.stringify(target)} asks for Keras's .weights.h5 format, which this build of densa does not write; use a folder path (TensorFlow.js Layers format) instead`,
      );
    }
    await makeFolder(parentFolder(path), fn);
    await model.saveWeights(`file://${path}`);
    return;
  }
  if (/\.(keras|h5)$/i.test(path)) {
    if (typeof model.toKeras !== "function") {
      throw new Error(
        `${fn}: ${JSON.stringify(target)} asks for a Keras file, which this build of densa does not write; use a folder path (TensorFlow.js Layers format) instead`,
      );
    }
    await makeFolder(parentFolder(path), fn);
  }
  await model.save(`file://${path}`, { includeOptimizer: !weightsOnly });
}

const MAGIC = "DENSABK1";
const BACKUP_FORMAT = 1;

/** Writes the backup file: the loop's state and the weights (the model's and the optimizer's) of `artifacts`. */
export async function writeBackup(
  path: string,
  state: TrainingRunState,
  artifacts: ModelArtifacts,
  fn: string,
): Promise<void> {
  const header = new TextEncoder().encode(
    JSON.stringify({ format: BACKUP_FORMAT, state, weightSpecs: artifacts.weightSpecs ?? [] }),
  );
  const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
  const file = new Uint8Array(MAGIC.length + 4 + header.length + weights.length);
  file.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(file.buffer).setUint32(MAGIC.length, header.length, true);
  file.set(header, MAGIC.length + 4);
  file.set(weights, MAGIC.length + 4 + header.length);
  await makeFolder(parentFolder(path), fn);
  await writeFileAtomic(path, file, fn);
}

export interface Backup {
  state: TrainingRunState;
  weights: DecodedWeight[];
}

/** Reads a backup file, or null when there is none; anything else than a whole backup is an Error. */
export async function readBackup(path: string, fn: string): Promise<Backup | null> {
  const file = await readFileIfExists(path, fn);
  if (file === null) return null;
  const corrupt = (why: string) => new Error(`${fn}: ${path} is not a densa backup (${why})`);
  if (file.length < MAGIC.length + 4 || new TextDecoder().decode(file.subarray(0, MAGIC.length)) !== MAGIC)
    throw corrupt("no DENSABK1 header");
  const headerLength = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(MAGIC.length, true);
  if (MAGIC.length + 4 + headerLength > file.length) throw corrupt("the header runs past the end of the file");
  let header: { format?: unknown; state?: unknown; weightSpecs?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(file.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength)));
  } catch (error) {
    throw corrupt(`its header is not JSON: ${(error as Error).message}`);
  }
  if (header?.format !== BACKUP_FORMAT)
    throw corrupt(`format ${describeValue(header?.format)}, expected ${BACKUP_FORMAT}`);
  const state = checkTrainingRunState(header.state, fn);
  // NOTE: a copy — node:fs gives a Buffer, whose .buffer may be a shared pool larger than the file.
  const data = Uint8Array.prototype.slice.call(file, MAGIC.length + 4 + headerLength).buffer;
  return { state, weights: decodeWeights(header.weightSpecs as WeightSpec[], data, `${fn}: ${path}`) };
}
