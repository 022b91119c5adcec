import { describeValue } from "../../utils/describe.js";
import { Hdf5File } from "../hdf5/hdf5-file.js";
import { isPlainObject } from "../topology.js";
import type { ZipLimits } from "../zip/zip-limits.js";
import { ZipArchive } from "../zip/zip-reader.js";

export const CONFIG_FILE = "config.json";
export const METADATA_FILE = "metadata.json";
export const WEIGHTS_FILE = "model.weights.h5";

/** The three parts of a `.keras` file (Keras 3, and Keras 2.13–2.15's "keras v3" format). */
export interface KerasArchive {
  config: Record<string, unknown>;
  metadata: Record<string, unknown>;
  weights: Hdf5File | null;
}

export function readKerasArchive(bytes: Uint8Array, argument: string, limits?: Partial<ZipLimits>): KerasArchive {
  const zip = ZipArchive.open(bytes, argument, limits);
  const json = (name: string, required: boolean): Record<string, unknown> => {
    const data = zip.read(name);
    if (!data) {
      if (required)
        throw new Error(
          `${argument}: the .keras archive has no ${name} (it holds ${[...zip.entries.keys()].join(", ") || "nothing"})`,
        );
      return {};
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(data));
    } catch (error) {
      throw new Error(`${argument}: ${name} in the .keras archive is not valid JSON (${(error as Error).message})`);
    }
    if (!isPlainObject(parsed))
      throw new Error(`${argument}: ${name} must hold a JSON object, got ${describeValue(parsed)}`);
    return parsed;
  };
  const config = json(CONFIG_FILE, true);
  const metadata = json(METADATA_FILE, false);
  const weightBytes = zip.read(WEIGHTS_FILE);
  if (!weightBytes && zip.entries.has("model.weights.npz"))
    throw new Error(
      `${argument}: the .keras archive keeps its weights as model.weights.npz; densa reads model.weights.h5`,
    );
  return { config, metadata, weights: weightBytes ? new Hdf5File(weightBytes) : null };
}
