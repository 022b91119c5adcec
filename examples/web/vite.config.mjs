// Vite config of the playground: `npm run playground` (dev server), `npm run playground:build` (static files
// in examples/web/dist). "densa" is the project's own build (run `npm run build` first): the package's
// browser entry inlines the wasm, so no wasm plugin or special config is needed.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { datasetsPlugin } from "./datasets-plugin.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("./"),
  base: "./", // relative URLs, so dist/ can be served from any path (or opened from a static host)
  resolve: { alias: [{ find: /^densa$/, replacement: here("../../dist/densa.js") }] },
  plugins: [datasetsPlugin()],
  build: { outDir: here("./dist"), emptyOutDir: true, target: "es2022", reportCompressedSize: false },
  server: { host: "127.0.0.1" },
});
