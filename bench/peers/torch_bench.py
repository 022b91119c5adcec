"""Native PyTorch on the same work as bench/scaling.mjs, one thread: training samples/s and predict samples/s
of an MLP (784 → hidden… → 10, relu, softmax), Adam lr 1e-3, categorical cross-entropy.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/torch_bench.py

A line-based server, so that bench/scaling.mjs can interleave PyTorch with the JS libraries point by point:
it first prints {"version", "threads", "blas"}; then for every line {"kind": "train" | "predict", "hidden":
[128, 64], "batch": 32, "target_ms": 150, "calls": 30} read from stdin it prints {"wall", "cpu"}: samples/s by
the wall clock and per CPU second. It exits at the end of stdin.

Training: one optimizer step per batch (zero_grad, forward, CrossEntropyLoss on the logits — the same loss as
softmax + categorical cross-entropy — backward, step), the batches taken in order from the data as fit does
without shuffling; timed over as many steps as take about target_ms. Predict: float32 NumPy rows in →
torch.from_numpy (no copy) → model under no_grad → softmax → NumPy out, per call.
"""
import json
import sys
import time

import numpy as np
import torch

FEATURES, CLASSES, SAMPLES = 784, 10, 4096


def build(hidden):
    layers, width = [], FEATURES
    for units in hidden:
        layers += [torch.nn.Linear(width, units), torch.nn.ReLU()]
        width = units
    layers.append(torch.nn.Linear(width, CLASSES))
    return torch.nn.Sequential(*layers)


def clock():
    return time.perf_counter(), time.process_time()


def train_rate(model, optimizer, loss_fn, x, labels, batch, steps, cursor):
    start_wall, start_cpu = clock()
    for _ in range(steps):
        first = cursor % (SAMPLES - batch + 1)
        xb = torch.from_numpy(x[first:first + batch])
        yb = torch.from_numpy(labels[first:first + batch])
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        cursor += batch
    wall, cpu = clock()
    samples = steps * batch
    return samples / (wall - start_wall), samples / max(cpu - start_cpu, 1e-9), cursor


def predict_once(model, rows):
    with torch.no_grad():
        return torch.softmax(model(torch.from_numpy(rows)), dim=1).numpy()


def main():
    torch.set_num_threads(1)
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    x = rng.random((SAMPLES, FEATURES), dtype=np.float32)
    labels = rng.integers(0, CLASSES, SAMPLES).astype(np.int64)
    models = {}
    blas = "OpenBLAS" if "openblas" in open("/proc/self/maps").read().lower() else "unknown BLAS"
    print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "blas": blas}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        point = json.loads(line)
        print(json.dumps(measure(point, models, x, labels)), flush=True)


def measure(point, models, x, labels):
    hidden, batch = point["hidden"], point["batch"]
    target = point.get("target_ms", 150) / 1000
    calls = point.get("calls", 30)
    key = tuple(hidden)
    if key not in models:
        model = build(hidden)
        models[key] = (model, torch.optim.Adam(model.parameters(), lr=1e-3))
    model, optimizer = models[key]
    if point["kind"] == "train":
        loss_fn = torch.nn.CrossEntropyLoss()
        _, _, cursor = train_rate(model, optimizer, loss_fn, x, labels, batch, 10, 0)  # warm-up
        start = time.perf_counter()
        _, _, cursor = train_rate(model, optimizer, loss_fn, x, labels, batch, 2, cursor)
        per_step = (time.perf_counter() - start) / 2
        steps = max(2, min(int(target / max(per_step, 1e-9)), 2000))
        wall, cpu, _ = train_rate(model, optimizer, loss_fn, x, labels, batch, steps, cursor)
        return {"wall": wall, "cpu": cpu}
    for i in range(5):
        predict_once(model, x[i * batch % (SAMPLES - batch + 1):][:batch])
    walls = []
    cpu_start = time.process_time()
    for i in range(calls):
        first = (i * batch) % (SAMPLES - batch + 1)
        rows = x[first:first + batch]
        start_wall = time.perf_counter()
        predict_once(model, rows)
        walls.append(time.perf_counter() - start_wall)
    cpu_total = time.process_time() - cpu_start
    # CPU: all calls together, as the JS side measures it.
    return {"wall": batch / float(np.median(walls)), "cpu": batch * calls / max(cpu_total, 1e-9)}


if __name__ == "__main__":
    main()
