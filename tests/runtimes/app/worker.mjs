// Worker entry (workerd / Cloudflare Workers): the fetch handler runs the checks and answers with JSON.
import * as densa from "densa";
import { runChecks } from "./checks.mjs";

export default {
  async fetch() {
    return Response.json(await runChecks(densa));
  },
};
