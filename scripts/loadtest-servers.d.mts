export interface LoadServer {
  url: string;
  pid: number;
  stop(): void;
}
export declare const projectRoot: string;
export declare function startNodeServer(): Promise<LoadServer>;
export declare function startWorkerd(workDir: string): Promise<LoadServer>;
export declare function residentBytes(pid: number): number;
