import { describeValue } from "../../utils/describe.js";
import type { ModelArtifacts } from "../types.js";

/**
 * TensorFlow.js's browser schemes, for every format densa saves:
 *   indexeddb://name     IndexedDB (database "densa", store "models", key name)         save and load
 *   localstorage://name  window.localStorage (key "densa:model:name", JSON, bytes base64)  save and load
 *   downloads://name     the browser's downloads: name.json + name.weights.bin (TF.js),   save only
 *                        name.keras or name.weights.h5 (Keras)
 * A name ending in `.keras` (or `.weights.h5`) holds Keras bytes; any other name TF.js artifacts.
 */
export type StoredModel =
  | { format: "layers-model"; artifacts: ModelArtifacts }
  | { format: "keras"; bytes: Uint8Array };

export const BROWSER_SCHEME = /^(indexeddb|localstorage|downloads):\/\/(.+)$/i;

/** Whether a name stands for Keras bytes (`.keras`, `.h5`) rather than TF.js artifacts. */
export function holdsKerasBytes(name: string): boolean {
  return /\.(keras|h5)$/i.test(name);
}

function parse(url: string, argument: string): { scheme: string; name: string } {
  const match = BROWSER_SCHEME.exec(url);
  if (!match)
    throw new Error(
      `${argument}: expected indexeddb://, localstorage:// or downloads:// and a name, got ${describeValue(url)}`,
    );
  return { scheme: match[1].toLowerCase(), name: match[2] };
}

export async function saveToBrowser(url: string, model: StoredModel, argument: string): Promise<void> {
  const { scheme, name } = parse(url, argument);
  if (scheme === "indexeddb")
    return withStore("readwrite", argument, (store) => store.put(toRecord(model), name)).then(() => undefined);
  if (scheme === "localstorage") {
    const storage = localStorageOf(argument);
    try {
      storage.setItem(`densa:model:${name}`, JSON.stringify(toJson(model)));
    } catch (cause) {
      throw new Error(
        `${argument}: localStorage refused ${name} (${(cause as Error)?.message ?? String(cause)}; it holds about 5 MB — use indexeddb:// for larger models)`,
        { cause },
      );
    }
    return;
  }
  if (model.format === "keras") return download(`${name}`, model.bytes, argument);
  const { weightData, ...rest } = model.artifacts;
  const weights = weightData instanceof ArrayBuffer ? new Uint8Array(weightData) : new Uint8Array(0);
  const modelJson = {
    ...rest,
    weightSpecs: undefined,
    weightsManifest: [{ paths: [`./${name}.weights.bin`], weights: model.artifacts.weightSpecs ?? [] }],
  };
  download(`${name}.json`, new TextEncoder().encode(JSON.stringify(modelJson)), argument);
  download(`${name}.weights.bin`, weights, argument);
}

export async function loadFromBrowser(url: string, argument: string): Promise<StoredModel> {
  const { scheme, name } = parse(url, argument);
  if (scheme === "downloads")
    throw new Error(
      `${argument}: downloads:// saves only; load the downloaded file from an <input type=file> (its File) instead`,
    );
  let stored: StoredModel | undefined;
  if (scheme === "indexeddb") stored = fromRecord(await withStore("readonly", argument, (store) => store.get(name)));
  else {
    const text = localStorageOf(argument).getItem(`densa:model:${name}`);
    stored = text === null ? undefined : fromJson(JSON.parse(text));
  }
  if (!stored) throw new Error(`${argument}: no model named ${JSON.stringify(name)} in ${scheme}://`);
  return stored;
}

function toRecord(model: StoredModel): unknown {
  return model.format === "keras"
    ? { format: "keras", bytes: model.bytes.slice().buffer }
    : { format: "layers-model", artifacts: model.artifacts };
}

function fromRecord(record: unknown): StoredModel | undefined {
  const value = record as { format?: string; bytes?: ArrayBuffer; artifacts?: ModelArtifacts } | undefined;
  if (!value) return undefined;
  return value.format === "keras"
    ? { format: "keras", bytes: new Uint8Array(value.bytes!) }
    : { format: "layers-model", artifacts: value.artifacts! };
}

const toBase64 = (bytes: Uint8Array) => {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

function toJson(model: StoredModel): unknown {
  if (model.format === "keras") return { format: "keras", bytes: toBase64(model.bytes) };
  const { weightData, ...rest } = model.artifacts;
  return {
    format: "layers-model",
    artifacts: { ...rest, weightData: toBase64(new Uint8Array((weightData as ArrayBuffer) ?? new ArrayBuffer(0))) },
  };
}

function fromJson(value: {
  format: string;
  bytes?: string;
  artifacts?: ModelArtifacts & { weightData: string };
}): StoredModel {
  if (value.format === "keras") return { format: "keras", bytes: fromBase64(value.bytes!) };
  const artifacts = value.artifacts!;
  return {
    format: "layers-model",
    artifacts: { ...artifacts, weightData: fromBase64(artifacts.weightData).buffer as ArrayBuffer },
  };
}

function localStorageOf(argument: string): Storage {
  const storage = (globalThis as { localStorage?: Storage }).localStorage;
  if (!storage)
    throw new Error(
      `${argument}: localstorage:// needs a browser's window.localStorage, which this runtime does not have`,
    );
  return storage;
}

function withStore<T>(
  mode: IDBTransactionMode,
  argument: string,
  act: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const indexedDB = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!indexedDB)
    return Promise.reject(
      new Error(`${argument}: indexeddb:// needs a browser's IndexedDB, which this runtime does not have`),
    );
  return new Promise<T>((resolve, reject) => {
    const fail = (what: string) => (event: Event) =>
      reject(
        new Error(
          `${argument}: IndexedDB ${what} failed (${String((event.target as IDBRequest | null)?.error ?? "unknown")})`,
        ),
      );
    const open = indexedDB.open("densa", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("models");
    open.onerror = fail("open");
    open.onsuccess = () => {
      const db = open.result;
      const transaction = db.transaction("models", mode);
      const request = act(transaction.objectStore("models"));
      request.onerror = fail(mode === "readonly" ? "read" : "write");
      transaction.oncomplete = () => {
        db.close();
        resolve(request.result);
      };
      transaction.onerror = fail("transaction");
    };
  });
}

/** Starts a download of `bytes` as `fileName` through a temporary <a download> link. */
function download(fileName: string, bytes: Uint8Array, argument: string): void {
  const document = (globalThis as { document?: Document }).document;
  if (!document)
    throw new Error(`${argument}: downloads:// needs a browser page's document, which this runtime does not have`);
  const url = URL.createObjectURL(
    new Blob([bytes.slice().buffer as ArrayBuffer], { type: "application/octet-stream" }),
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
