"""Compiles every committed fixture with wafer-run --compile-only on the
given targets and checks each report: the fields a user reads are there,
every router stays within the target's usable colors, and the numbers are
consistent (PEs within the mesh, at least one routing phase, patterns
present). Prints one line per compile; exits 1 on the first problem."""
import glob
import json
import os
import subprocess
import sys

wafer_run, fixtures, out = sys.argv[1], sys.argv[2], sys.argv[3]
targets = sys.argv[4:]
REQUIRED = ["target", "mesh", "pes_used", "kernels", "streams", "patterns",
            "colors_max", "colors_max_at", "colors_usable", "route_phases",
            "max_link_bytes", "max_link", "sram_peak_bytes",
            "compile_seconds"]
os.makedirs(out, exist_ok=True)
for model in sorted(glob.glob(os.path.join(fixtures, "*", "model.onnx"))):
    name = os.path.basename(os.path.dirname(model))
    for target in targets:
        report = os.path.join(out, "%s.%s.json" % (name, target))
        proc = subprocess.run([wafer_run, model, "--target", target,
                               "--compile-only", "--report", report],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit("%s on %s: wafer-run failed: %s" %
                     (name, target, proc.stderr.strip()))
        r = json.load(open(report))
        missing = [k for k in REQUIRED if k not in r]
        if missing:
            sys.exit("%s on %s: report lacks %s" % (name, target, missing))
        for phase in ("import", "tensor", "map", "place", "route"):
            if phase not in r["compile_seconds"]:
                sys.exit("%s on %s: no compile_seconds.%s" %
                         (name, target, phase))
        w, h = r["mesh"]
        problems = []
        if r["colors_max"] > r["colors_usable"]:
            problems.append("colors_max %d > %d usable" %
                            (r["colors_max"], r["colors_usable"]))
        if not 0 < r["pes_used"] <= w * h:
            problems.append("pes_used %d" % r["pes_used"])
        if r["route_phases"] < 1 or not r["patterns"]:
            problems.append("no routing")
        x, y = r["colors_max_at"]
        if not (0 <= x < w and 0 <= y < h):
            problems.append("colors_max_at outside the mesh")
        if problems:
            sys.exit("%s on %s: %s" % (name, target, "; ".join(problems)))
        print("%s %s ok: %d PEs, colors %d/%d, %d phases" %
              (name, target, r["pes_used"], r["colors_max"],
               r["colors_usable"], r["route_phases"]))
