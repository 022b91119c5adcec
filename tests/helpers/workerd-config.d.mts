export declare function workerdConfig(modules: { name: string; kind: "wasm" | "data" }[]): string;
