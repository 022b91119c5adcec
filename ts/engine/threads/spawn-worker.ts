// Starting one pool thread: a Web Worker from a Blob URL in browsers, node:worker_threads (unref'd) in Node, Deno
// and Bun; resolved once the thread has instantiated the kernels on the shared memory (worker-source.ts).
import { workerSource } from "./worker-source.js";

export interface PoolWorker {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

interface NodeWorker extends PoolWorker {
  on(event: string, listener: (value: unknown) => void): void;
  unref(): void;
}
type NodeWorkerConstructor = new (url: URL) => NodeWorker;

/** One worker, resolved when its kernels are instantiated on the shared memory. */
export async function spawnWorker(
  index: number,
  bytes: Uint8Array,
  memory: WebAssembly.Memory,
  control: SharedArrayBuffer,
  scratch: number,
): Promise<PoolWorker> {
  const message = { bytes, memory, control, index, scratch };
  // NOTE: node:worker_threads wherever it exists (Node, and Deno and Bun through their Node compatibility),
  // because only its workers can be unref'd in all three: a Deno Web Worker keeps the process alive forever.
  const nodeLike =
    typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === "string";
  if (!nodeLike && typeof globalThis.Worker === "function") {
    // Browsers: a module worker from a Blob URL of the script.
    const url = URL.createObjectURL(new Blob([workerSource(false)], { type: "text/javascript" }));
    const worker = new Worker(url, { type: "module" });
    try {
      await handshake(worker, message, (listener) => {
        worker.onmessage = (event) => listener(event.data);
        worker.onerror = (event) => listener({ failed: event.message ?? "worker error" });
      });
    } finally {
      URL.revokeObjectURL(url);
    }
    return worker;
  }
  // Node, Deno, Bun: worker_threads, with the script as a data: URL (an ES module).
  // NOTE: inside try, so that browser bundlers leave the import unresolved instead of failing on it.
  let NodeWorkerClass: NodeWorkerConstructor;
  try {
    ({ Worker: NodeWorkerClass } = (await import("node:worker_threads" as string)) as {
      Worker: NodeWorkerConstructor;
    });
  } catch (error) {
    throw new Error("densa: node:worker_threads is not available here", { cause: error });
  }
  const worker = new NodeWorkerClass(new URL(`data:text/javascript,${encodeURIComponent(workerSource(true))}`));
  await handshake(worker, message, (listener) => {
    worker.on("message", listener);
    worker.on("error", (error) => listener({ failed: String(error) }));
  });
  worker.unref(); // NOTE: an idle pool must not keep the process alive once the script is done
  return worker;
}

function handshake(
  worker: PoolWorker,
  message: unknown,
  listen: (listener: (data: unknown) => void) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    listen((data) => {
      const reply = data as { ready?: boolean; failed?: string };
      if (reply?.ready) resolve();
      else if (reply?.failed !== undefined) {
        worker.terminate();
        reject(new Error(`densa: a thread could not start: ${reply.failed}`));
      }
    });
    worker.postMessage(message);
  });
}
