# The native reference of the train case: the same MLP, loss, Adam and digits as deltaflow, as plain NumPy array
# code on one OpenBLAS thread (the case sets OPENBLAS_NUM_THREADS=1 etc. before NumPy loads).
#   python3 mlp_numpy.py <data.bin> <rows> <sizes e.g. 784-128-10> <batch> <timed passes> [seed]
#   python3 mlp_numpy.py --check   (backprop against central differences in float64; exits 1 on a mismatch)
# data.bin: rows x 784 float32 pixels then rows x 10 float32 one-hot labels (little-endian, written by
# bench/cases/native.mjs from the `mnist` package). Prints one JSON line: seconds per timed pass, the training
# loss of every pass (warm-up first) and the training accuracy after the first pass.
import json
import os
import sys
import time

import numpy as np

F32 = np.float32
EPS = F32(1e-7)  # Keras 3's backend epsilon: Adam's epsilon and the crossentropy's probability clip


def glorot_uniform(rng, fan_in, fan_out):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(F32)


class Adam:
    """Keras 3's Adam (lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7, no amsgrad), updated in place."""

    def __init__(self, params, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.b1, self.b2, self.t = lr, beta1, beta2, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, params, grads):
        self.t += 1
        alpha = F32(self.lr * np.sqrt(1 - self.b2**self.t) / (1 - self.b1**self.t))
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m += (g - m) * F32(1 - self.b1)  # m ← m + (g − m)(1 − β1)
            v += (g * g - v) * F32(1 - self.b2)  # v ← v + (g² − v)(1 − β2)
            p -= alpha * m / (np.sqrt(v) + EPS)  # w ← w − α·m / (√v + ε)


class MLP:
    """Dense relu hidden layers, a dense softmax output, categorical crossentropy averaged over the batch."""

    def __init__(self, sizes, seed):
        rng = np.random.default_rng(seed)
        self.W = [glorot_uniform(rng, a, b) for a, b in zip(sizes[:-1], sizes[1:])]
        self.b = [np.zeros(b, F32) for b in sizes[1:]]
        self.params = [p for pair in zip(self.W, self.b) for p in pair]
        self.opt = Adam(self.params)

    def forward(self, x):
        acts = [x]
        for W, b in zip(self.W[:-1], self.b[:-1]):
            acts.append(np.maximum(acts[-1] @ W + b, F32(0)))
        z = acts[-1] @ self.W[-1] + self.b[-1]
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return acts, e / e.sum(axis=1, keepdims=True)

    def gradients(self, x, y):
        """The batch's loss and ∂loss/∂(W1, b1, W2, b2, …), by backpropagation."""
        acts, p = self.forward(x)
        n = x.shape[0]
        loss = float(-(y * np.log(np.clip(p, EPS, F32(1) - EPS))).sum() / n)
        d = (p - y) / F32(n)  # ∂loss/∂logits of softmax + crossentropy
        grads = []
        for i in range(len(self.W) - 1, -1, -1):
            grads.append((acts[i].T @ d, d.sum(axis=0)))
            if i:
                d = (d @ self.W[i].T) * (acts[i] > 0)  # through the relu of layer i − 1
        return loss, [g for pair in reversed(grads) for g in pair]

    def train_batch(self, x, y):
        loss, grads = self.gradients(x, y)
        self.opt.step(self.params, grads)
        return loss

    def accuracy(self, x, labels):
        return float((self.forward(x)[1].argmax(axis=1) == labels).mean())


def one_pass(model, x, y, batch, rng):
    """One epoch, shuffled as fit() shuffles: each batch gathered from a fresh permutation; mean batch loss."""
    order = rng.permutation(x.shape[0])
    losses = []
    for at in range(0, x.shape[0], batch):
        idx = order[at : at + batch]
        losses.append(model.train_batch(x[idx], y[idx]) * len(idx))
    return sum(losses) / x.shape[0]


def check():
    """Backprop of a 6-5-4-3 net in float64 against central differences of the loss, every parameter."""
    rng = np.random.default_rng(3)
    model = MLP([6, 5, 4, 3], 3)
    model.W = [w.astype(np.float64) for w in model.W]
    model.b = [rng.normal(0, 0.1, b.shape) for b in model.b]  # nonzero biases: their gradients are checked too
    model.params = [p for pair in zip(model.W, model.b) for p in pair]
    x = rng.normal(size=(7, 6))
    y = np.eye(3)[rng.integers(0, 3, 7)]
    _, grads = model.gradients(x, y)
    worst = 0.0
    for p, g in zip(model.params, grads):
        for i in np.ndindex(p.shape):
            keep = p[i]
            p[i] = keep + 1e-6
            up = model.gradients(x, y)[0]
            p[i] = keep - 1e-6
            down = model.gradients(x, y)[0]
            p[i] = keep
            worst = max(worst, abs((up - down) / 2e-6 - g[i]) / max(1e-3, abs(g[i])))
    print(json.dumps({"gradientCheckWorstRelativeError": worst}))
    if not worst < 1e-5:
        raise SystemExit(f"backprop disagrees with central differences: worst relative error {worst}")


def main():
    if sys.argv[1:] == ["--check"]:
        return check()
    path, rows, sizes, batch, passes = sys.argv[1], int(sys.argv[2]), [int(s) for s in sys.argv[3].split("-")], int(sys.argv[4]), int(sys.argv[5])
    seed = int(sys.argv[6]) if len(sys.argv) > 6 else 7
    raw = np.fromfile(path, dtype="<f4")
    if raw.size != rows * (784 + 10) or sizes[0] != 784 or sizes[-1] != 10:
        raise SystemExit(f"{path}: {raw.size} floats, expected {rows} rows of 784 pixels + 10 labels for sizes {sizes}")
    x = raw[: rows * 784].reshape(rows, 784)
    y = raw[rows * 784 :].reshape(rows, 10)
    labels = y.argmax(axis=1)
    model = MLP(sizes, seed)
    rng = np.random.default_rng(seed + 1)
    losses = [one_pass(model, x, y, batch, rng)]  # warm-up pass, untimed: also the "after one epoch" point
    accuracy = model.accuracy(x, labels)
    seconds = []
    cpu0 = time.process_time()
    for _ in range(passes):
        t0 = time.perf_counter()
        losses.append(one_pass(model, x, y, batch, rng))
        seconds.append(time.perf_counter() - t0)
    cpu_per_wall = (time.process_time() - cpu0) / sum(seconds)  # above 1: more than one thread computed
    # The process's OS threads (Linux): OpenBLAS starts its workers when it loads, so one thread means one core.
    threads = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else None
    print(json.dumps({"seconds": seconds, "losses": losses, "accuracyAfterOneEpoch": accuracy, "cpuPerWall": cpu_per_wall, "threads": threads}))


if __name__ == "__main__":
    main()
