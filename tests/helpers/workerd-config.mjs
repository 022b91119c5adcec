// The workerd config every Worker test serves with: one worker (worker.js plus its wasm / data modules), one
// HTTP socket on 127.0.0.1 at a free port (workerd reports the port it picked on its control fd).
export function workerdConfig(modules) {
  const extra = modules.map(({ name, kind }) => `      (name = "${name}", ${kind} = embed "${name}"),\n`).join("");
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [
      (name = "worker.js", esModule = embed "worker.js"),
${extra}  ],
  compatibilityDate = "2025-01-01",
);
`;
}
