export interface Server {
  url: string;
  pid: number;
  stop(): void;
}
export interface WorkerModule {
  name: string;
  kind: "wasm" | "data";
}
export declare const projectRoot: string;
export declare function createConsumer(dir: string, options?: { model?: boolean }): string;
export declare function bundleWorker(entry: string, outDir: string): Promise<WorkerModule[]>;
export declare function startNodeServer(): Promise<Server>;
export declare function startWorkerd(workerDir: string, modules: readonly WorkerModule[]): Promise<Server>;
export declare function startExampleWorkerd(workDir: string): Promise<Server>;
export declare function startDeno(consumerDir: string, workDir: string): Promise<Server>;
export declare function startBun(consumerDir: string): Promise<Server>;
export declare function residentBytes(pid: number): number;
