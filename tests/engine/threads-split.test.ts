// How work is cut into parts for the pool (plan-product.ts): parts cover the work exactly once, element-wise parts
// start on cache lines, products are cut into whole 16-column strips (NN, NT) or 2-row bands (TN, row-wise
// epilogues), small work stays on one thread, and the part count is a multiple of the thread count where it can be.
import { describe, expect, it } from "vitest";
import { type Plan, planElements, planProduct, planRows } from "../../ts/engine/threads/plan-product.js";

/** The [start, end) ranges the pool runs for a plan (as ThreadPool.run and the worker compute them). */
const ranges = (plan: Plan): [number, number][] =>
  Array.from({ length: plan.parts }, (_, part) => [
    part * plan.span,
    Math.min(part * plan.span + plan.span, plan.total),
  ]);

function expectCover(plan: Plan, total: number, align: number): void {
  expect(plan.total).toBe(total);
  expect(plan.parts).toBe(Math.ceil(total / plan.span));
  let next = 0;
  for (const [start, end] of ranges(plan)) {
    expect(start).toBe(next);
    expect(start % align).toBe(0);
    expect(end).toBeGreaterThan(start);
    next = end;
  }
  expect(next).toBe(total);
}

describe("planProduct", () => {
  it("cuts the bench model's products: forward and dX by 16-column strips, dW by 2-row bands, 2 parts a thread or more", () => {
    const forward = planProduct("NN", 32, 128, 784, 2, 1 << 16);
    expect(forward).toMatchObject({ byRows: false, total: 128, parts: 8, span: 16 });
    const dW = planProduct("TN", 784, 128, 32, 2, 1 << 16);
    expect(dW).toMatchObject({ byRows: true, total: 784, parts: 8 });
    expect(dW.span % 2).toBe(0);
    const dX = planProduct("NT", 32, 128, 64, 2, 1 << 16);
    expect(dX).toMatchObject({ byRows: false, parts: 4, span: 32 });
  });

  it("keeps small products on one thread and cuts narrow or row-wise ones by rows", () => {
    expect(planProduct("NN", 32, 10, 64, 2, 1 << 16).parts).toBe(1);
    expect(planProduct("NN", 512, 10, 784, 2, 1 << 16)).toMatchObject({ byRows: true, total: 512 });
    expect(planProduct("NN", 64, 128, 784, 2, 1 << 16, true)).toMatchObject({ byRows: true, total: 64 });
    expect(planProduct("NN", 32, 128, 784, 1, 1 << 16).parts).toBe(1);
  });

  it("covers every row or column once, in order, on strip or band boundaries", () => {
    for (const form of ["NN", "NT", "TN"] as const) {
      for (const [m, n, k, threads] of [
        [1, 37, 19, 3],
        [5, 3, 7, 2],
        [13, 70, 33, 3],
        [784, 128, 32, 2],
        [9, 150, 301, 4],
        [66, 40, 0, 3],
      ]) {
        const plan = planProduct(form, m, n, k, threads, 1);
        expectCover(plan, plan.byRows ? m : n, plan.byRows ? 2 : 16);
        expect(plan.parts).toBeLessThanOrEqual(threads * 4);
      }
    }
  });
});

describe("planElements and planRows", () => {
  it("cover [0, total) once with parts on 16-element boundaries, a multiple of the thread count where they can", () => {
    for (let total = 1; total <= 300; total += 7) {
      for (const threads of [2, 3, 5]) {
        const plan = planElements(total, threads, 4);
        expectCover(plan, total, 16);
        if (Math.ceil(total / 16) >= threads * 4) expect(plan.parts % threads).toBe(0);
      }
    }
    expect(planElements(100352, 2, 1 << 13)).toMatchObject({ parts: 8, span: 12544 });
    expect(planElements(8192, 2, 1 << 13).parts).toBe(1);
  });

  it("cut rows whole", () => {
    const plan = planRows(33, 100, 3, 1);
    expectCover(plan, 33, 1);
    expect(plan.byRows).toBe(true);
  });
});
