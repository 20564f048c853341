"""Reads a wafer-run --check --report JSON and prints what the test checks:
the interpretation's fields are present and consistent (cycles at least
every lower bound, a check entry per output)."""
import json
import sys

r = json.load(open(sys.argv[1]))
assert r["cycles"] > 0 and r["microseconds"] > 0, r
print("cycles > 0, microseconds > 0")
lb = r["lower_bound_cycles"]
print("lower_bound_cycles: " + " ".join(sorted(lb)))
bad = [k for k, v in lb.items() if v > r["cycles"]]
print("cycles >= every lower bound" if not bad else "cycles below %s" % bad)
c = r["check"]
print("check %s: %s" % ("passed" if c["passed"] else "FAILED",
                        " ".join(o["name"] for o in c["outputs"]
                                 if o["passed"])))
s = r["interpret_seconds"]
print("interpret_seconds ok" if 0 < s < 600 else "interpret_seconds %r" % s)
