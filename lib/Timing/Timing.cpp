//===- Timing.cpp - event-driven cycle model --------------------*- C++ -*-===//
#include "wafer/Timing/Timing.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <functional>
#include <queue>

using namespace llvm;

namespace wafer::timing {

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t computeCycles(const TargetModel &t, int64_t ops, int64_t pes,
                      int64_t opsPerCycle) {
  int64_t rate = opsPerCycle > 0 ? opsPerCycle : t.macsF32;
  return ceilDiv(ops, pes * rate);
}

int64_t transferCycles(const TargetModel &t, int64_t bytes, int64_t hops) {
  return ceilDiv(bytes, t.linkBytes) + latencyBound(t, hops);
}

double computeBound(double macs, int64_t pes, int64_t macsPerCycle) {
  return macs / (double(pes) * double(macsPerCycle));
}

double cutBound(double bytes, int64_t cutLinks, int64_t linkBytes) {
  return bytes / (double(linkBytes) * double(cutLinks));
}

int64_t latencyBound(const TargetModel &t, int64_t hops) {
  return hops * t.hopLatency + 2 * t.rampLatency;
}

int64_t TimingProblem::duration(int i) const {
  const Task &t = tasks[i];
  switch (t.kind) {
  case TaskKind::Compute:
    return computeCycles(target, t.ops, t.pes, t.opsPerCycle);
  case TaskKind::Transfer:
    return transferCycles(target, t.bytes, t.hops);
  case TaskKind::Fixed:
    return t.cycles;
  }
  return 0;
}

int64_t TimingProblem::holdCycles(int i, int64_t span) const {
  if (tasks[i].kind != TaskKind::Transfer)
    return span;
  return std::max<int64_t>(0, span - latencyBound(target, tasks[i].hops));
}

int64_t TimingProblem::firstChunkCycles(int i) const {
  const Task &t = tasks[i];
  if (t.kind == TaskKind::Transfer)
    return ceilDiv(ceilDiv(t.bytes, target.linkBytes), t.chunks) +
           latencyBound(target, t.hops);
  return ceilDiv(duration(i), t.chunks);
}

std::optional<TimingFailure> TimingProblem::check() const {
  std::string bad = target.check();
  if (!bad.empty())
    return TimingFailure{"target: " + bad, {}};
  if (numResources < 0)
    return TimingFailure{
        formatv("negative resource count {0}", numResources).str(), {}};
  const int n = tasks.size();
  for (int i = 0; i < n; ++i) {
    const Task &t = tasks[i];
    auto fail = [&](const Twine &what) {
      return TimingFailure{formatv("task '{0}': {1}", t.name, what.str()).str(),
                           {i}};
    };
    if (t.ops < 0 || t.bytes < 0 || t.hops < 0 || t.cycles < 0 ||
        t.opsPerCycle < 0)
      return fail("negative size");
    if (t.pes < 1)
      return fail(formatv("needs at least one PE, got {0}", t.pes));
    if (t.chunks < 1)
      return fail(formatv("needs at least one chunk, got {0}", t.chunks));
    for (int r : t.resources)
      if (r < 0 || r >= numResources)
        return fail(
            formatv("resource {0} out of range [0, {1})", r, numResources));
    for (const Dep &d : t.deps)
      if (d.task < 0 || d.task >= n || d.task == i)
        return fail(formatv("bad dependency on task {0}", d.task));
  }
  // Kahn's algorithm: whatever is left has a cycle.
  std::vector<int> indeg(n, 0);
  std::vector<std::vector<int>> succ(n);
  for (int i = 0; i < n; ++i)
    for (const Dep &d : tasks[i].deps) {
      ++indeg[i];
      succ[d.task].push_back(i);
    }
  std::vector<int> work;
  for (int i = 0; i < n; ++i)
    if (!indeg[i])
      work.push_back(i);
  int done = 0;
  while (!work.empty()) {
    int i = work.back();
    work.pop_back();
    ++done;
    for (int s : succ[i])
      if (--indeg[s] == 0)
        work.push_back(s);
  }
  if (done != n) {
    TimingFailure f;
    for (int i = 0; i < n; ++i)
      if (indeg[i])
        f.tasks.push_back(i);
    f.message = formatv("dependency cycle through task '{0}' ({1} tasks "
                        "involved)",
                        tasks[f.tasks.front()].name, f.tasks.size())
                    .str();
    return f;
  }
  return std::nullopt;
}

namespace {
// One ASAP pass; `useResources` off gives the critical-path bound.
Schedule run(const TimingProblem &p, bool useResources) {
  Schedule sched;
  const int n = p.tasks.size();
  sched.tasks.assign(n, {});
  std::vector<int64_t> ready(n, 0), minEnd(n, 0);
  std::vector<int> readyPred(n, -1), endPred(n, -1), indeg(n, 0);
  std::vector<std::vector<std::pair<int, DepKind>>> succ(n);
  for (int i = 0; i < n; ++i)
    for (const Dep &d : p.tasks[i].deps) {
      ++indeg[i];
      succ[d.task].emplace_back(i, d.kind);
    }
  std::vector<int64_t> freeAt(p.numResources, 0);
  std::vector<int> holder(p.numResources, -1);
  using Item = std::pair<int64_t, int>; // (ready time, task id)
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
  for (int i = 0; i < n; ++i)
    if (!indeg[i])
      queue.push({0, i});
  while (!queue.empty()) {
    int i = queue.top().second;
    queue.pop();
    TaskTiming &tt = sched.tasks[i];
    tt.start = ready[i];
    tt.pred = readyPred[i];
    if (useResources)
      for (int r : p.tasks[i].resources)
        if (freeAt[r] > tt.start) {
          tt.start = freeAt[r];
          tt.pred = holder[r];
        }
    int64_t dur = p.duration(i);
    tt.end = tt.start + dur;
    if (minEnd[i] > tt.end) {
      tt.end = minEnd[i];
      tt.pred = endPred[i];
    }
    if (useResources) {
      int64_t release = tt.start + p.holdCycles(i, tt.end - tt.start);
      for (int r : p.tasks[i].resources) {
        freeAt[r] = release;
        holder[r] = i;
      }
    }
    for (auto [s, kind] : succ[i]) {
      int64_t at =
          kind == DepKind::AfterEnd ? tt.end : tt.start + p.firstChunkCycles(i);
      // The latest dependency binds (first one on ties: lowest pop order).
      if (readyPred[s] < 0 || at > ready[s]) {
        ready[s] = std::max(ready[s], at);
        readyPred[s] = i;
      }
      if (kind == DepKind::AfterFirstChunk) {
        int64_t e = tt.end + ceilDiv(p.duration(s), p.tasks[s].chunks);
        if (e > minEnd[s]) {
          minEnd[s] = e;
          endPred[s] = i;
        }
      }
      if (--indeg[s] == 0)
        queue.push({ready[s], s});
    }
  }
  int last = -1;
  for (int i = 0; i < n; ++i)
    if (last < 0 || sched.tasks[i].end > sched.tasks[last].end)
      last = i;
  if (last >= 0) {
    sched.totalCycles = sched.tasks[last].end;
    for (int i = last; i >= 0; i = sched.tasks[i].pred)
      sched.criticalPath.push_back(i);
    std::reverse(sched.criticalPath.begin(), sched.criticalPath.end());
  }
  return sched;
}
} // namespace

Schedule simulate(const TimingProblem &problem) {
  if (auto f = problem.check()) {
    Schedule s;
    s.failure = std::move(f);
    return s;
  }
  return run(problem, /*useResources=*/true);
}

int64_t criticalPathBound(const TimingProblem &problem) {
  if (problem.check())
    return 0;
  return run(problem, /*useResources=*/false).totalCycles;
}

std::optional<TimingFailure>
TimingProblem::verify(const Schedule &schedule) const {
  if (auto f = check())
    return f;
  const int n = tasks.size();
  if (int(schedule.tasks.size()) != n)
    return TimingFailure{formatv("schedule has {0} tasks, problem has {1}",
                                 schedule.tasks.size(), n)
                             .str(),
                         {}};
  std::vector<std::vector<std::pair<int64_t, int>>> uses(numResources);
  for (int i = 0; i < n; ++i) {
    const TaskTiming &t = schedule.tasks[i];
    auto fail = [&](const Twine &what, std::vector<int> ids) {
      return TimingFailure{
          formatv("task '{0}': {1}", tasks[i].name, what.str()).str(),
          std::move(ids)};
    };
    if (t.start < 0 || t.end - t.start < duration(i))
      return fail(formatv("runs [{0}, {1}), shorter than its {2} cycles",
                          t.start, t.end, duration(i)),
                  {i});
    if (t.end > schedule.totalCycles)
      return fail(formatv("ends at {0}, after the total {1}", t.end,
                          schedule.totalCycles),
                  {i});
    for (const Dep &d : tasks[i].deps) {
      const TaskTiming &pt = schedule.tasks[d.task];
      int64_t at = d.kind == DepKind::AfterEnd
                       ? pt.end
                       : pt.start + firstChunkCycles(d.task);
      if (t.start < at)
        return fail(formatv("starts at {0} before task '{1}' allows ({2})",
                            t.start, tasks[d.task].name, at),
                    {i, d.task});
    }
    for (int r : tasks[i].resources)
      uses[r].push_back({t.start, i});
  }
  for (int r = 0; r < numResources; ++r) {
    auto &u = uses[r];
    std::sort(u.begin(), u.end());
    for (size_t k = 1; k < u.size(); ++k) {
      int a = u[k - 1].second, b = u[k].second;
      const TaskTiming &ta = schedule.tasks[a];
      int64_t release = ta.start + holdCycles(a, ta.end - ta.start);
      if (schedule.tasks[b].start < release)
        return TimingFailure{formatv("tasks '{0}' and '{1}' hold resource {2} "
                                     "at the same time",
                                     tasks[a].name, tasks[b].name, r)
                                 .str(),
                             {a, b}};
    }
  }
  return std::nullopt;
}

} // namespace wafer::timing
