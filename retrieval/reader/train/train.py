#!/usr/bin/env python3
"""Fine-tunes USE-lite as newsbot's reader: a cross-encoder that reads a
question and a sentence as one token sequence and gives the log-odds that
the sentence answers the question.

The network is the one retrieval/use runs in Go (see use/params.go for the
parameter names and use/forward.go for the computation); prep (a Go
command) writes the base parameters and the training groups already
tokenized, so tokenization cannot differ between training and serving.
Token embeddings and the timing table stay fixed; everything else is
trained, plus a segment vector per side and a linear head on the tanh
layer. Run through train.sh, which rebuilds the shipped weights.
"""
import argparse
import json
import math
import random
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

MAGIC = b"NBPARAM1"


def read_params(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == MAGIC, "not a parameter file"
    (n,) = struct.unpack("<I", data[8:12])
    header = json.loads(data[12:12 + n])
    off = 12 + n
    out = {}
    for t in header["tensors"]:
        count = int(np.prod(t["shape"]))
        dt = np.float16 if t["dtype"] == "f16" else np.float32
        arr = np.frombuffer(data, dtype=dt, count=count, offset=off).astype(np.float32)
        off += count * np.dtype(dt).itemsize
        out[t["name"]] = arr.reshape(t["shape"])
    assert off == len(data)
    return out


def write_params(path, params, half):
    names = sorted(params)
    entries, blobs = [], []
    for name in names:
        a = np.asarray(params[name], dtype=np.float32)
        dt = "f16" if half and a.size > 1 else "f32"
        entries.append({"name": name, "shape": list(a.shape), "dtype": dt})
        blobs.append(a.astype(np.float16 if dt == "f16" else np.float32).tobytes())
    h = json.dumps({"tensors": entries}, separators=(",", ":")).encode()
    with open(path, "wb") as f:
        f.write(MAGIC + struct.pack("<I", len(h)) + h + b"".join(blobs))


TRAINED = ["adjust", "adjust_bias", "proj", "proj_bias", "segment", "head", "head_bias"] + [
    f"l{i}.{n}" for i in (0, 1) for n in (
        "ln_scale", "ln_bias", "qkv", "qkv_bias", "out", "out_bias",
        "ffn_ln_scale", "ffn_ln_bias", "ffn1", "ffn1_bias", "ffn2", "ffn2_bias")]
CONSTANTS = ["eps", "l2_floor", "max_tokens", "heads", "l0.head_dim", "l1.head_dim"]
NEW = ("segment", "head", "head_bias")


class Reader(torch.nn.Module):
    def __init__(self, base, seed):
        super().__init__()
        self.register_buffer("emb", torch.tensor(base["embeddings"]))
        self.register_buffer("timing", torch.tensor(base["timing"]))
        self.eps = float(base["eps"].reshape(-1)[0])
        self.heads = int(base["heads"].reshape(-1)[0])
        self.constants = {k: base[k] for k in CONSTANTS}
        g = torch.Generator().manual_seed(seed)
        init = dict(base)
        init["segment"] = np.zeros((2, self.emb.shape[1]), np.float32)
        init["head"] = (torch.randn(base["proj"].shape[1], generator=g) * 0.02).numpy()
        init["head_bias"] = np.zeros((1,), np.float32)
        self.p = torch.nn.ParameterDict({
            k.replace(".", "_"): torch.nn.Parameter(torch.tensor(np.array(init[k], np.float32)))
            for k in TRAINED})

    def w(self, name):
        return self.p[name.replace(".", "_")]

    def ln(self, x, scale, bias):
        mean = x.mean(-1, keepdim=True)
        var = ((x - mean) ** 2).mean(-1, keepdim=True)
        return (x - mean) / torch.sqrt(var + self.eps) * scale + bias

    def attention(self, x, i, keymask):
        l = f"l{i}."
        d = x.shape[-1]
        xn = self.ln(x, self.w(l + "ln_scale"), self.w(l + "ln_bias"))
        qkv = xn @ self.w(l + "qkv").reshape(d, 3 * d) + self.w(l + "qkv_bias")
        B, T, _ = qkv.shape
        h = self.heads
        q, k, v = (qkv[..., j * d:(j + 1) * d].reshape(B, T, h, d // h).transpose(1, 2) for j in range(3))
        s = q @ k.transpose(-1, -2)
        s = s.masked_fill(~keymask[:, None, None, :], float("-inf"))
        att = (torch.softmax(s, -1) @ v).transpose(1, 2).reshape(B, T, d)
        return att @ self.w(l + "out").reshape(d, -1) + self.w(l + "out_bias")

    def ffn(self, y, i):
        l = f"l{i}."
        yn = self.ln(y, self.w(l + "ffn_ln_scale"), self.w(l + "ffn_ln_bias"))
        hid = torch.relu(yn @ self.w(l + "ffn1") + self.w(l + "ffn1_bias"))
        return hid @ self.w(l + "ffn2") + self.w(l + "ffn2_bias")

    def forward(self, ids, qlen, lens):
        B, T = ids.shape
        pos = torch.arange(T)[None, :]
        mask = pos < lens[:, None]
        seg = (pos >= qlen[:, None]).long()
        e = self.emb[ids]
        x = e + (e + self.timing[:T][None]) + self.w("segment")[seg]
        y = x @ self.w("adjust") + self.w("adjust_bias")
        y = y + self.attention(x, 0, mask)
        y = y + self.ffn(y, 0)
        y = y + self.attention(y, 1, mask)
        y = y + self.ffn(y, 1)
        m = mask[..., None].float()
        pooled = (y * m).sum(1) / lens[:, None].float()
        proj = pooled @ self.w("proj") + self.w("proj_bias")
        return torch.tanh(proj) @ self.w("head") + self.w("head_bias")

    def export(self, half):
        out = {k: self.w(k).detach().numpy().copy() for k in TRAINED}
        for k in TRAINED:
            out[k] = out[k].reshape(self.constants_shape(k))
            if half and out[k].size > 1:
                out[k] = out[k].astype(np.float16).astype(np.float32)
        out.update(self.constants)
        return out

    def constants_shape(self, k):
        return tuple(self.w(k).shape)

    def load(self, params):
        with torch.no_grad():
            for k in TRAINED:
                self.w(k).copy_(torch.tensor(np.array(params[k], np.float32)).reshape(self.w(k).shape))


def batch(pairs):
    T = max(len(p["ids"]) for p in pairs)
    ids = torch.zeros((len(pairs), T), dtype=torch.long)
    for j, p in enumerate(pairs):
        ids[j, :len(p["ids"])] = torch.tensor(p["ids"])
    qlen = torch.tensor([p["qlen"] for p in pairs])
    lens = torch.tensor([len(p["ids"]) for p in pairs])
    return ids, qlen, lens


def scores(model, groups, bs=64):
    out = []
    model.eval()
    with torch.no_grad():
        flat = [(gi, p) for gi, g in enumerate(groups) for p in g["pairs"]]
        logits = []
        for s in range(0, len(flat), bs):
            chunk = [p for _, p in flat[s:s + bs]]
            logits.extend(model(*batch(chunk)).tolist())
        k = 0
        for g in groups:
            out.append(logits[k:k + len(g["pairs"])])
            k += len(g["pairs"])
    return out


def report(model, groups, label):
    if not groups:
        return {}
    sc = scores(model, groups)
    top1 = n = 0
    ll = cnt = 0.0
    for g, s in zip(groups, sc):
        labels = [p["label"] for p in g["pairs"]]
        for z, y in zip(s, labels):
            pr = 1 / (1 + math.exp(-z))
            ll -= math.log(max(1e-9, pr if y else 1 - pr))
            cnt += 1
        if 1 in labels:
            n += 1
            top1 += labels[int(np.argmax(s))] == 1
    r = {"set": label, "groups": len(groups), "top1": round(top1 / max(n, 1), 4), "logloss": round(ll / cnt, 4)}
    print(json.dumps(r), flush=True)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prep", required=True, help="prep's output folder")
    ap.add_argument("--out", required=True, help="where to write reader.bin")
    ap.add_argument("--golden", help="where to write golden.json (50 pairs and their logits)")
    ap.add_argument("--epochs", type=float, default=0.5)
    ap.add_argument("--groups-per-step", type=int, default=8)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--head-lr", type=float, default=2e-3)
    ap.add_argument("--val-fold", type=int, default=0, help="fold held out for validation (-1: none)")
    ap.add_argument("--init", help="start from these reader weights (a reader.bin) instead of USE-lite's")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N groups only (a smoke test)")
    ap.add_argument("--val-limit", type=int, default=150, help="validate on at most N held-out groups (0: all)")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    random.seed(a.seed)
    np.random.seed(a.seed)
    torch.manual_seed(a.seed)

    base = read_params(f"{a.prep}/base.bin")
    groups = [json.loads(l) for l in open(f"{a.prep}/groups.jsonl")]
    train = [g for g in groups if g["fold"] != a.val_fold]
    val = [g for g in groups if g["fold"] == a.val_fold]
    if a.limit:
        train = train[:a.limit]
        val = val[:max(a.limit // 5, 20)]
    if a.val_limit:
        val = val[:a.val_limit]
    model = Reader(base, a.seed)
    if a.init:
        model.load(read_params(a.init))
    report(model, val, "val-before")

    new = [model.w(k) for k in NEW]
    rest = [model.w(k) for k in TRAINED if k not in NEW]
    opt = torch.optim.AdamW([{"params": rest, "lr": a.lr}, {"params": new, "lr": a.head_lr}], weight_decay=0.01)
    steps = max(1, int(a.epochs * len(train) / a.groups_per_step))
    warm = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    order = []
    t0 = time.time()
    model.train()
    for step in range(steps):
        if len(order) < a.groups_per_step:
            more = list(range(len(train)))
            random.shuffle(more)
            order += more
        gs = [train[i] for i in order[:a.groups_per_step]]
        del order[:a.groups_per_step]
        pairs = [p for g in gs for p in g["pairs"]]
        logits = model(*batch(pairs))
        labels = torch.tensor([float(p["label"]) for p in pairs])
        bce = F.binary_cross_entropy_with_logits(logits, labels)
        ce, k, n = 0.0, 0, 0
        for g in gs:
            m = len(g["pairs"])
            lab = labels[k:k + m]
            if lab.sum() > 0:
                ce = ce + F.cross_entropy(logits[k:k + m][None], lab.argmax()[None])
                n += 1
            k += m
        loss = bce + (ce / n if n else 0.0)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 50 == 0 or step == steps - 1:
            el = time.time() - t0
            print(f"step {step + 1}/{steps} loss {loss.item():.4f} elapsed {el:.0f}s eta {el / (step + 1) * (steps - step - 1):.0f}s", flush=True)

    # Ship half-precision weights, and measure and check what is shipped.
    params = model.export(half=True)
    model.load(params)
    report(model, val, "val-after")
    write_params(a.out, {k: params[k] for k in TRAINED + CONSTANTS}, half=True)
    if a.golden:
        rng = random.Random(a.seed)
        pool = [p for g in (val or train) for p in g["pairs"]]
        picks = rng.sample(pool, min(50, len(pool)))
        sc = scores(model, [{"pairs": picks}])[0]
        with open(a.golden, "w") as f:
            json.dump([{"ids": p["ids"], "qlen": p["qlen"], "logit": z} for p, z in zip(picks, sc)], f)
    print(f"wrote {a.out}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
