"""Native PyTorch on the same work as bench/scaling.mjs, one thread: training samples/s and predict samples/s
of an MLP (784 → hidden… → 10, relu, softmax), Adam lr 1e-3, categorical cross-entropy.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/torch_bench.py '<json>'

<json>: {"points": [{"kind": "train" | "predict", "hidden": [128, 64], "batch": 32}], "target_ms": 150,
"calls": 30}. Prints one JSON object: {"version", "threads", "blas", "results": [{... point, "wall", "cpu"}]}
with samples/s by the wall clock and per CPU second (median over the timed blocks / calls).

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
    config = json.loads(sys.argv[1])
    torch.set_num_threads(1)
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    x = rng.random((SAMPLES, FEATURES), dtype=np.float32)
    labels = rng.integers(0, CLASSES, SAMPLES).astype(np.int64)
    target = config.get("target_ms", 150) / 1000
    calls = config.get("calls", 30)
    models = {}
    results = []
    for point in config["points"]:
        hidden, batch = point["hidden"], point["batch"]
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
        else:
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
            wall = batch / float(np.median(walls))
            # CPU: all calls together, as the JS side measures it.
            cpu = batch * calls / max(cpu_total, 1e-9)
        results.append({**point, "wall": wall, "cpu": cpu})
    blas = "OpenBLAS" if "openblas" in open("/proc/self/maps").read().lower() else "unknown BLAS"
    print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "blas": blas, "results": results}))


if __name__ == "__main__":
    main()
