// Switching kernel builds (the default one → the shared one of init({ threads })) moves nothing across: a model's
// memory lives in the build that made it, so init refuses while a model holds memory, and changes nothing.
import { expect, it } from "vitest";
import { loadedEngine } from "../../ts/engine/engine.js";
import * as densa from "../../ts/index.js";
import { init, layers, Sequential, tensor } from "../../ts/index.js";

it("init({ threads }) will not switch kernel builds while a model holds memory, and can once it is disposed", async () => {
  await init();
  const model = new Sequential([new layers.Dense(3, { inputShape: [2] })]);
  const before = model.predict(tensor([[1, 2]])).data;
  const engine = loadedEngine();
  await expect(init({ threads: 2 })).rejects.toThrow(/init: cannot switch to 2 threads while models hold memory/);
  expect(loadedEngine()).toBe(engine);
  expect(densa.threads).toBe(1);
  expect(model.predict(tensor([[1, 2]])).data).toEqual(before);
  model.dispose();
  expect((await init({ threads: 2 })).threads).toBe(2);
  expect(loadedEngine()).not.toBe(engine);
});
