import type { ModelBase } from "../../models/model-base.js";
import type { CompileConfig } from "../training-config.js";
import type { ModelArtifacts, SaveResult } from "../types.js";
import { kerasFileBytes, writeFileUrl } from "./keras-model-io.js";

/**
 * model.save(url) for the targets that need more code than the TF.js files: `file://….keras` (Keras 3's format,
 * Node, Deno, Bun) and the browser schemes indexeddb://, localstorage://, downloads:// (a name ending in `.keras`
 * or `.h5` stores Keras bytes, any other the TF.js artifacts).
 */
export async function saveToTarget(
  model: ModelBase,
  compiled: CompileConfig | null,
  target: string,
  artifacts: ModelArtifacts,
  fn: string,
): Promise<SaveResult> {
  if (/^file:\/\//i.test(target)) {
    const bytes = kerasFileBytes(model, compiled);
    await writeFileUrl(target, bytes, fn);
    return kerasSaveResult(bytes);
  }
  const browser = await import("../browser/browser-storage.js");
  if (browser.holdsKerasBytes(target)) {
    const bytes = kerasFileBytes(model, compiled);
    await browser.saveToBrowser(target, { format: "keras", bytes }, fn);
    return kerasSaveResult(bytes);
  }
  await browser.saveToBrowser(target, { format: "layers-model", artifacts }, fn);
  return artifactsSaveResult(artifacts);
}

function kerasSaveResult(bytes: Uint8Array): SaveResult {
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: "JSON",
      modelTopologyBytes: 0,
      weightSpecsBytes: 0,
      weightDataBytes: bytes.byteLength,
    },
  };
}

function artifactsSaveResult(artifacts: ModelArtifacts): SaveResult {
  const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: "JSON",
      modelTopologyBytes: bytes(artifacts.modelTopology),
      weightSpecsBytes: bytes(artifacts.weightSpecs),
      weightDataBytes: (artifacts.weightData as ArrayBuffer).byteLength,
    },
  };
}
