// Running examples/worker as a server on 127.0.0.1 in workerd (bundled as wrangler bundles a Worker), Deno and
// Bun, from a throwaway consumer project whose node_modules/densa links to this package. One implementation with
// the load test's: scripts/loadtest-servers.mjs (plain JavaScript, so that node runs the load test without a
// build); this module gives the edge tests its typed names.
export {
  bundleWorker,
  createConsumer,
  projectRoot,
  type Server,
  startBun,
  startDeno,
  startWorkerd,
  type WorkerModule,
} from "../../scripts/loadtest-servers.mjs";
