#!/usr/bin/python3
"""Generates wafer's model fixtures: torch -> ONNX, golden outputs from ORT.

    /usr/bin/python3 python/wafer_fixtures/gen.py            # test/fixtures/
    /usr/bin/python3 python/wafer_fixtures/gen.py --only 'gpt_*'
    /usr/bin/python3 python/wafer_fixtures/gen.py --large    # out/fixtures-large/
    /usr/bin/python3 python/wafer_fixtures/gen.py --large --export-only

Each fixture is a directory <out>/<name>/ holding model.onnx, one
<input name>.npy per graph input, one <output name>.npy per graph output
(computed by ONNX Runtime through ort_run.js, not by torch) and meta.json.
torch's own outputs are compared with ORT's to catch export problems; a
difference above --max-torch-diff is an error.

With --export-only, ONNX Runtime is not run: the directory holds
model.onnx, the input .npy files and a meta.json whose outputs give only
name, dtype and shape (from torch; no file), with no "ort" or
"torch_vs_ort_max_abs_diff" fields and "export_only": true. Enough to
compile a model (wafer-run --compile-only), not to check its results.

Needs torch and onnx (Debian's /usr/bin/python3) and node with
onnxruntime-node installed at the repository root (docs/fixtures.md);
--export-only needs only torch and onnx.
"""

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))

import onnx  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from wafer_fixtures import models  # noqa: E402

# Sizes for the encoder-layer family; each (norm, activation, mask) variant
# picks a row so that the committed set covers every size without a full
# cross product (which would make the fixtures too big).
ENCODER_SIZES = [
    dict(d_model=32, n_head=2, d_ff=64, batch=2, seq=8),
    dict(d_model=32, n_head=4, d_ff=64, batch=1, seq=16),
    dict(d_model=64, n_head=4, d_ff=128, batch=2, seq=16),
    dict(d_model=64, n_head=2, d_ff=128, batch=1, seq=8),
]


class Fixture:
    def __init__(self, name, family, opset, config, build):
        self.name = name
        self.family = family
        self.opset = opset
        self.config = config
        self.build = build  # (torch.Generator) -> (module, [(name, tensor)])


def padding_mask(batch, seq):
    # Row 0 attends everywhere; row b > 0 pads its last 2*b positions. No row
    # is fully padded (that would make softmax produce NaN in every runtime).
    mask = torch.zeros(batch, seq, dtype=torch.bool)
    for b in range(1, batch):
        mask[b, seq - 2 * b:] = True
    if batch == 1:
        mask[0, seq - 2:] = True
    return mask


def encoder_fixture(norm_first, activation, with_mask, opset, sizes,
                    name=None):
    if name is None:
        name = "encoder_%s_%s_%s_op%d" % (
            "prenorm" if norm_first else "postnorm", activation,
            "mask" if with_mask else "nomask", opset)
    config = dict(sizes, norm_first=norm_first, activation=activation,
                  key_padding_mask=with_mask)

    def build(gen):
        layer = nn.TransformerEncoderLayer(
            sizes["d_model"], sizes["n_head"], sizes["d_ff"], dropout=0.0,
            activation=activation, batch_first=True, norm_first=norm_first)
        models.perturb_parameters(layer, gen)
        x = torch.randn(sizes["batch"], sizes["seq"], sizes["d_model"],
                        generator=gen)
        if with_mask:
            return models.EncoderWithMask(layer), [
                ("x", x), ("mask", padding_mask(sizes["batch"], sizes["seq"]))]
        return models.EncoderNoMask(layer), [("x", x)]

    return Fixture(name, "transformer_encoder_layer", opset, config, build)


def gpt_block_fixture(name, opset, d_model, n_head, batch, seq):
    config = dict(d_model=d_model, n_head=n_head, d_ff=4 * d_model,
                  batch=batch, seq=seq)

    def build(gen):
        block = models.GPTBlock(d_model, n_head)
        models.perturb_parameters(block, gen)
        x = torch.randn(batch, seq, d_model, generator=gen)
        return block, [("x", x)]

    return Fixture(name, "gpt2_block", opset, config, build)


def tiny_gpt_fixture(opset, vocab=96, d_model=32, n_head=2, n_layer=2,
                     batch=2, seq=16):
    config = dict(vocab=vocab, d_model=d_model, n_head=n_head,
                  n_layer=n_layer, d_ff=4 * d_model, batch=batch, seq=seq)

    def build(gen):
        model = models.TinyGPT(vocab, seq, d_model, n_head, n_layer)
        models.perturb_parameters(model, gen)
        ids = torch.randint(0, vocab, (batch, seq), generator=gen,
                            dtype=torch.int64)
        return model, [("ids", ids)]

    return Fixture("tiny_gpt_op%d" % opset, "tiny_gpt", opset, config, build)


def llama_block_fixture(name, opset, d_model, n_head, n_kv_head, d_ff, batch,
                        seq):
    config = dict(d_model=d_model, n_head=n_head, n_kv_head=n_kv_head,
                  d_ff=d_ff, batch=batch, seq=seq)

    def build(gen):
        block = models.LlamaBlock(d_model, n_head, n_kv_head, d_ff)
        with torch.no_grad():
            for m in block.modules():
                if isinstance(m, models.RMSNorm):
                    m.weight.copy_(1.0 + 0.1 * torch.randn(
                        m.weight.shape, generator=gen))
        x = torch.randn(batch, seq, d_model, generator=gen)
        # Positions start at a per-row offset, as in a batch of continued
        # sequences.
        pos = torch.arange(seq, dtype=torch.int64)[None, :] + \
            3 * torch.arange(batch, dtype=torch.int64)[:, None]
        return block, [("x", x), ("pos", pos)]

    return Fixture(name, "llama_block", opset, config, build)


def einsum_encoder_fixture(name, opset, d_model, n_head, d_ff, n_class,
                           batch, seq):
    config = dict(d_model=d_model, n_head=n_head, d_ff=d_ff, n_class=n_class,
                  batch=batch, seq=seq)

    def build(gen):
        model = models.EinsumEncoder(d_model, n_head, d_ff, n_class)
        models.perturb_parameters(model, gen)
        x = torch.randn(batch, seq, d_model, generator=gen)
        return model, [("x", x)]

    return Fixture(name, "einsum_encoder", opset, config, build)


# Graph output names per family (default: one output "y").
OUTPUT_NAMES = {"tiny_gpt": ["logits"], "einsum_encoder": ["y", "classes"]}


def committed_fixtures():
    out = []
    i = 0
    for norm_first in (True, False):
        for activation in ("relu", "gelu"):
            for with_mask in (False, True):
                for k, opset in enumerate((14, 17)):
                    sizes = ENCODER_SIZES[(i + k) % len(ENCODER_SIZES)]
                    out.append(encoder_fixture(norm_first, activation,
                                               with_mask, opset, sizes))
                i += 1
    out.append(gpt_block_fixture("gpt_block_op14", 14, 32, 2, 2, 8))
    out.append(gpt_block_fixture("gpt_block_op17", 17, 64, 4, 1, 16))
    out.append(tiny_gpt_fixture(14))
    out.append(tiny_gpt_fixture(17))
    out.append(llama_block_fixture("llama_block_op14", 14, 32, 4, 2, 64, 2,
                                   8))
    out.append(llama_block_fixture("llama_block_op17", 17, 64, 4, 1, 96, 1,
                                   16))
    out.append(einsum_encoder_fixture("einsum_encoder_op17", 17, 32, 2, 64,
                                      10, 2, 8))
    return out


def large_fixtures():
    # Real model sizes, never committed: a GPT-2 small block has about 28 MB
    # of weights, a GPT-2 medium block about 50 MB, a BERT-base encoder
    # layer about 28 MB.
    return [
        gpt_block_fixture("gpt2_small_block_op17", 17, 768, 12, 1, 128),
        gpt_block_fixture("gpt2_medium_block_op17", 17, 1024, 16, 1, 128),
        encoder_fixture(False, "gelu", True, 17,
                        dict(d_model=768, n_head=12, d_ff=3072, batch=1,
                             seq=128),
                        name="bert_base_layer_mask_op17"),
        # TinyLlama-1.1B's block shape (about 176 MB of weights): 32 query
        # and 4 key/value heads, SwiGLU 5632.
        llama_block_fixture("tinyllama_block_op17", 17, 2048, 32, 4, 5632, 1,
                            128),
    ]


def run_ort(model_path, inputs, out_dir, runs):
    """Runs ort_run.js; returns its JSON report."""
    cmd = ["node", os.path.join(HERE, "ort_run.js"), model_path,
           "--output-dir", out_dir, "--runs", str(runs)]
    for name, path in inputs:
        cmd += ["--input", "%s=%s" % (name, path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        raise RuntimeError("ONNX Runtime failed on %s:\n%s" %
                           (model_path, proc.stderr.strip()))
    return json.loads(proc.stdout.strip().splitlines()[-1])


def op_histogram(model):
    counts = {}
    for node in model.graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return dict(sorted(counts.items()))


def generate(fx, out_root, runs, max_torch_diff, export_only=False):
    seed = zlib.crc32(fx.name.encode()) & 0x7FFFFFFF
    torch.manual_seed(seed)  # nn.Module initialisers use the global RNG
    gen = torch.Generator().manual_seed(seed)
    module, inputs = fx.build(gen)
    module.eval()
    with torch.no_grad():
        torch_out = module(*[t for _, t in inputs])
    if isinstance(torch_out, torch.Tensor):
        torch_out = (torch_out,)
    output_names = OUTPUT_NAMES.get(fx.family, ["y"])
    assert len(output_names) == len(torch_out)

    out_dir = os.path.join(out_root, fx.name)
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    model_path = os.path.join(out_dir, "model.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, tuple(t for _, t in inputs), model_path,
                          opset_version=fx.opset,
                          input_names=[n for n, _ in inputs],
                          output_names=output_names,
                          do_constant_folding=True)
    model = onnx.load(model_path)
    onnx.checker.check_model(model)
    graph_inputs = [i.name for i in model.graph.input]
    if graph_inputs != [n for n, _ in inputs]:
        raise RuntimeError("%s: exported inputs %s, expected %s" %
                           (fx.name, graph_inputs, [n for n, _ in inputs]))

    input_files = []
    for name, tensor in inputs:
        path = os.path.join(out_dir, name + ".npy")
        np.save(path, tensor.numpy())
        input_files.append((name, path))

    def desc(name, arr):
        return dict(name=name, dtype=str(arr.dtype), shape=list(arr.shape),
                    file=name + ".npy")

    generator = dict(script="python/wafer_fixtures/gen.py",
                     torch=torch.__version__, onnx=onnx.__version__)
    def write_meta(outputs, **results):
        meta = dict(name=fx.name, family=fx.family, opset=fx.opset,
                    config=fx.config, seed=seed)
        if export_only:
            meta["export_only"] = True
        meta.update(inputs=[desc(n, t.numpy()) for n, t in inputs],
                    outputs=outputs, ops=op_histogram(model),
                    model_bytes=os.path.getsize(model_path))
        meta.update(results)
        meta["generator"] = generator
        with open(os.path.join(out_dir, "meta.json"), "w") as f:
            json.dump(meta, f, indent=2, sort_keys=False)
            f.write("\n")
        return meta

    if export_only:
        # No ORT: no golden outputs. Output descriptors come from torch and
        # name no file, so nothing mistakes torch's values for ORT's.
        outputs = []
        for n, t in zip(output_names, torch_out):
            d = desc(n, t.numpy())
            del d["file"]
            outputs.append(d)
        return write_meta(outputs)

    with tempfile.TemporaryDirectory() as tmp:
        report = run_ort(model_path, input_files, tmp, runs)
        if report["outputs"] != output_names:
            raise RuntimeError("%s: ORT outputs %s, expected %s" %
                               (fx.name, report["outputs"], output_names))
        diffs = {}
        for name, t in zip(output_names, torch_out):
            ort_val = np.load(os.path.join(tmp, name + ".npy"))
            ref = t.numpy()
            if ort_val.shape != ref.shape or ort_val.dtype != ref.dtype:
                raise RuntimeError("%s: output %s is %s %s in ORT, %s %s in "
                                   "torch" % (fx.name, name, ort_val.dtype,
                                              ort_val.shape, ref.dtype,
                                              ref.shape))
            diffs[name] = float(np.max(np.abs(ort_val.astype(np.float64) -
                                              ref.astype(np.float64))))
            shutil.copy(os.path.join(tmp, name + ".npy"),
                        os.path.join(out_dir, name + ".npy"))
    worst = max(diffs.values())
    if not worst <= max_torch_diff:
        raise RuntimeError("%s: torch and ORT differ by %g (> %g): export "
                           "problem" % (fx.name, worst, max_torch_diff))

    return write_meta(
        [desc(n, np.load(os.path.join(out_dir, n + ".npy")))
         for n in output_names],
        torch_vs_ort_max_abs_diff=diffs,
        ort=dict(version=report["ort_version"],
                 median_ms=round(report["median_ms"], 4),
                 min_ms=round(report["min_ms"], 4), runs=report["runs"],
                 intra_op_threads=report["intra_op_threads"]))


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(root, f))
               for root, _, files in os.walk(path) for f in files)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="output root (default test/fixtures, or "
                    "out/fixtures-large with --large)")
    ap.add_argument("--only", action="append", default=[],
                    help="generate only fixtures whose name matches this "
                    "glob (repeatable)")
    ap.add_argument("--large", action="store_true",
                    help="generate the real-size models (GPT-2 small and "
                    "medium blocks, a BERT-base layer; not committed)")
    ap.add_argument("--export-only", action="store_true",
                    help="export to ONNX and save the inputs, but do not run "
                    "ONNX Runtime (no golden outputs, no torch-vs-ORT check; "
                    "needs no node)")
    ap.add_argument("--runs", type=int, default=20,
                    help="timed ORT runs per model (median recorded)")
    ap.add_argument("--max-torch-diff", type=float, default=1e-4,
                    help="largest allowed |torch - ORT| difference")
    ap.add_argument("--list", action="store_true",
                    help="list fixture names and exit")
    args = ap.parse_args()

    fixtures = large_fixtures() if args.large else committed_fixtures()
    if args.only:
        fixtures = [f for f in fixtures
                    if any(fnmatch.fnmatch(f.name, p) for p in args.only)]
    if args.list:
        for f in fixtures:
            print(f.name)
        return 0
    if not fixtures:
        print("gen.py: error: no fixture matches %s" % args.only,
              file=sys.stderr)
        return 1
    out_root = args.out or os.path.join(
        REPO, "out/fixtures-large" if args.large else "test/fixtures")
    os.makedirs(out_root, exist_ok=True)
    torch.set_num_threads(1)
    total = 0
    for fx in fixtures:
        try:
            meta = generate(fx, out_root, args.runs, args.max_torch_diff,
                            args.export_only)
        except RuntimeError as e:
            print("gen.py: error: %s" % e, file=sys.stderr)
            return 1
        size = dir_bytes(os.path.join(out_root, fx.name))
        total += size
        if args.export_only:
            print("%-36s %8.1f KiB  exported (ORT not run)" %
                  (fx.name, size / 1024.0))
            continue
        diff = max(meta["torch_vs_ort_max_abs_diff"].values())
        print("%-36s %8.1f KiB  torch-vs-ORT max|diff| %.2e  ORT %.3f ms" %
              (fx.name, size / 1024.0, diff, meta["ort"]["median_ms"]))
    print("%d fixtures, %.1f KiB in %s" % (len(fixtures), total / 1024.0,
                                          out_root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
