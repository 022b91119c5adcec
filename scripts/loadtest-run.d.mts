export interface LoadRequest {
  method: string;
  path: string;
  body: string;
  headers: Record<string, string>;
}
export declare const REQUESTS: { node: LoadRequest[]; workerd: LoadRequest[] };
export interface LoadFigures {
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  failed: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  rssAfterWarmup: number;
  rssPeak: number;
  rssEnd: number;
  rssGrowth: number;
}
export declare function findConnections(options: {
  url: string;
  requests: LoadRequest[];
  seconds?: number;
  candidates?: number[];
}): Promise<{ connections: number; rates: { connections: number; rate: number; failed: number }[] }>;
export declare function loadServer(options: {
  url: string;
  pid: number;
  requests: LoadRequest[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
  maxRequests: number;
}): Promise<LoadFigures>;
export declare function describeResult(name: string, figures: LoadFigures): string;
