// Drives one server with autocannon on 127.0.0.1, bounded in time and in requests, and reports what the README's
// Reliability section and tests/reliability/loadtest.test.ts read: requests/s, p50 / p99 latency, failed
// requests, and the server's resident memory after warm-up, at its peak and at the end.
import autocannon from "autocannon";
import { residentBytes } from "./loadtest-servers.mjs";

/** A fixed digits image (64 pixels in [0, 1]) and a fixed housing row: the bodies every run sends. */
const digits = JSON.stringify({ inputs: [Array.from({ length: 64 }, (_, i) => ((i * 37) % 17) / 16)] });
const housing = JSON.stringify({ inputs: [[-122.25, 37.85, 52, 1274]] });
const headers = { "content-type": "application/json" };

/** The requests each server gets, in turn per connection: both models of the Node server; the Worker's one. */
export const REQUESTS = {
  node: [
    { method: "POST", path: "/models/digits/predict", body: digits, headers },
    { method: "POST", path: "/models/housing/predict", body: housing, headers },
  ],
  workerd: [{ method: "POST", path: "/predict", body: digits, headers }],
};

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon({ timeout: 10, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * The connection count that gives the most requests/s (a closed loop: each connection sends its next request when
 * the last one is answered, so this is the highest rate the server sustains here). Each count runs `seconds`;
 * within 5 % of the best, the fewer connections win (the lower latency).
 */
export async function findConnections({ url, requests, seconds = 3, candidates = [1, 2, 4, 8, 16, 32] }) {
  const rates = [];
  for (const connections of candidates) {
    const result = await run({ url, requests, connections, duration: seconds, maxOverallRequests: 2_000_000 });
    rates.push({ connections, rate: result.requests.average, failed: result.errors + result.timeouts + result.non2xx });
  }
  const clean = rates.filter((entry) => entry.failed === 0);
  const best = Math.max(...clean.map((entry) => entry.rate));
  return { connections: clean.find((entry) => entry.rate >= best * 0.95).connections, rates };
}

/**
 * Warms up for `warmupSeconds`, then runs `seconds` at `connections` (at most `maxRequests`), sampling the
 * server's RSS every 250 ms.
 */
export async function loadServer({ url, pid, requests, connections, seconds, warmupSeconds, maxRequests }) {
  await run({ url, requests, connections, duration: warmupSeconds, maxOverallRequests: maxRequests });
  const rssAfterWarmup = residentBytes(pid);
  let rssPeak = rssAfterWarmup;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, residentBytes(pid))), 250);
  let result;
  try {
    result = await run({ url, requests, connections, duration: seconds, maxOverallRequests: maxRequests });
  } finally {
    clearInterval(sampler);
  }
  const rssEnd = residentBytes(pid);
  rssPeak = Math.max(rssPeak, rssEnd);
  return {
    connections,
    seconds,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    rssAfterWarmup,
    rssPeak,
    rssEnd,
    rssGrowth: rssPeak - rssAfterWarmup,
  };
}

export function describeResult(name, figures) {
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return (
    `${name}: ${figures.requestsPerSecond.toFixed(0)} req/s over ${figures.seconds} s at ${figures.connections} connections ` +
    `(${figures.requests} requests), p50 ${figures.latencyP50} ms, p99 ${figures.latencyP99} ms, failed ${figures.failed}, ` +
    `RSS ${mib(figures.rssAfterWarmup)} after warm-up, peak ${mib(figures.rssPeak)} (growth ${mib(figures.rssGrowth)})`
  );
}
