//===- Timing.h - event-driven cycle model ----------------------*- C++ -*-===//
//
// The IR-free timing problem: a DAG of tasks (compute kernels, transfers,
// fixed delays) on exclusive resources (a kernel's rectangle, the links a
// transfer crosses), simulated event by event. simulate() gives total
// cycles, per-task start/end and the critical path; the lower-bound helpers
// are the terms of DESIGN.md's report.
//
// Contention model: every resource is exclusive. A transfer holds each of
// its links for its serialisation time (ceil(B / linkBytes) cycles, or
// longer when a streaming input stretches it); hop and ramp latency is
// pipelined and holds nothing. Contending transfers are therefore
// serialised in ready-time order (ties: lower task id), so two equal
// transfers on one link take twice the serialisation plus one latency.
// Callers pass the most loaded link of a route (or all of them) as its
// resources; ids are the caller's dense integers (e.g. route link indices).
//
// Memory: per task and per resource only.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_TIMING_TIMING_H
#define WAFER_TIMING_TIMING_H

#include "wafer/Target/TargetModel.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wafer::timing {

enum class TaskKind {
  /// `ops` operations spread over `pes` PEs at `opsPerCycle` per PE per
  /// cycle (0 = target.macsF32): ceil(ops / (pes * rate)) cycles.
  Compute,
  /// `bytes` over a route of `hops` hops: ceil(bytes / linkBytes)
  /// + hops * hopLatency + 2 * rampLatency cycles.
  Transfer,
  /// `cycles` cycles (a host step, a measured kernel).
  Fixed,
};

enum class DepKind {
  /// Start after the producer ends (a kernel needs all its inputs).
  AfterEnd,
  /// Streaming: start once the producer's first chunk is out
  /// (producer start + ceil(its duration / its chunks)), and end no earlier
  /// than the producer's end plus one of our own chunks (the last chunk
  /// still has to be processed).
  AfterFirstChunk,
};

struct Dep {
  int task = 0;
  DepKind kind = DepKind::AfterEnd;
};

struct Task {
  std::string name;
  TaskKind kind = TaskKind::Compute;
  int64_t ops = 0;
  int64_t pes = 1;
  int64_t opsPerCycle = 0;
  int64_t bytes = 0;
  int64_t hops = 0;
  int64_t cycles = 0;
  /// Pieces the task's output is produced in (for streaming consumers).
  int64_t chunks = 1;
  /// Exclusive resources, ids in [0, TimingProblem::numResources).
  std::vector<int> resources;
  std::vector<Dep> deps;
};

struct TimingFailure {
  std::string message;
  std::vector<int> tasks;
};

struct TaskTiming {
  int64_t start = 0;
  int64_t end = 0;
  /// The task whose end (dependency or resource release) fixed this task's
  /// timing, or -1 when it started at cycle 0 unconstrained.
  int pred = -1;
};

struct Schedule {
  int64_t totalCycles = 0;
  std::vector<TaskTiming> tasks;
  /// Task ids from the first to the last task of the binding chain that
  /// ends at totalCycles.
  std::vector<int> criticalPath;
  std::optional<TimingFailure> failure;
  bool succeeded() const { return !failure.has_value(); }
};

struct TimingProblem {
  TargetModel target;
  int numResources = 0;
  std::vector<Task> tasks;

  /// Inputs valid: usable target, sizes non-negative, pes >= 1, chunks >= 1,
  /// dependency and resource ids in range, no dependency cycle (the failure
  /// names the tasks left on cycles).
  std::optional<TimingFailure> check() const;
  /// Cycles the task takes on its own (no contention, no streaming).
  int64_t duration(int task) const;
  /// Cycles the task holds its resources when it runs for `span` cycles.
  int64_t holdCycles(int task, int64_t span) const;
  /// Cycles from the task's start until its first chunk is out.
  int64_t firstChunkCycles(int task) const;
  /// Schedule valid: every task runs at least its duration, after its
  /// dependencies allow, and no resource is held by two tasks at once.
  std::optional<TimingFailure> verify(const Schedule &schedule) const;
};

/// Event-driven list scheduling: tasks become ready when their
/// dependencies allow, and start in ready-time order (ties: task id) as
/// soon as all their resources are free. Deterministic.
Schedule simulate(const TimingProblem &problem);

int64_t computeCycles(const TargetModel &t, int64_t ops, int64_t pes,
                      int64_t opsPerCycle = 0);
int64_t transferCycles(const TargetModel &t, int64_t bytes, int64_t hops);

/// M / (P * F): compute bound of M MACs on P PEs at F MACs per PE-cycle.
double computeBound(double macs, int64_t pes, int64_t macsPerCycle);
/// V / (linkBytes * c): moving V bytes across a cut of c links.
double cutBound(double bytes, int64_t cutLinks, int64_t linkBytes);
/// h * hopLatency + 2 * rampLatency: one wavelet over h hops, core to core.
int64_t latencyBound(const TargetModel &t, int64_t hops);
/// Longest dependency chain of durations, ignoring resources: a lower bound
/// on simulate()'s total (equal when nothing contends and nothing streams).
int64_t criticalPathBound(const TimingProblem &problem);

} // namespace wafer::timing

#endif // WAFER_TIMING_TIMING_H
