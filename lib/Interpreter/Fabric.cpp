//===- Fabric.cpp - the routers of a lowered program ----------------------===//
#include "wafer/Interpreter/Fabric.h"
#include "Errors.h"
#include "wafer/Dialect/Wafer/WaferOps.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"

using namespace wafer;
using namespace wafer::interp;
using llvm::Error;
using llvm::Expected;

/// Routers per bucket side: coarse enough to keep the grid small on the
/// whole wafer, fine enough that a bucket meets few roles.
static constexpr int64_t kBucket = 32;

static const char *portName(route::Port p) {
  switch (p) {
  case route::Port::East:
    return "east";
  case route::Port::West:
    return "west";
  case route::Port::North:
    return "north";
  case route::Port::South:
    return "south";
  case route::Port::Ramp:
    return "ramp";
  }
  return "?";
}

static std::string where(const RouterGroup &g, int64_t x, int64_t y) {
  return llvm::formatv("{0} color {1} (#{2} {3}, phase {4}) at PE ({5},{6})",
                       g.owner, g.color, g.step,
                       route::kindName(g.pattern.kind), g.phase, x, y)
      .str();
}

Expected<Fabric> Fabric::build(ProgramOp program) {
  Fabric f;
  TargetModel t = program.getTarget().getModel();
  f.width = t.width;
  f.height = t.height;
  f.bucketsX = (f.width + kBucket - 1) / kBucket;
  f.bucketsY = (f.height + kBucket - 1) / kBucket;
  for (RouterOp op : program.getBodyBlock().getOps<RouterOp>()) {
    RouterGroup g;
    g.owner = op.getOwner().str();
    g.step = op.getStep();
    g.slot = op.getSlot();
    g.color = op.getPattern().getColors()[g.slot];
    g.phase = op.getPattern().getPhase();
    g.pattern = op.getPattern().toPattern();
    for (mlir::Attribute a : op.getRoles()) {
      route::Role r = llvm::cast<RoleAttr>(a).toRole();
      r.slot = int(g.slot);
      if (r.routers.x1() > f.width || r.routers.y1() > f.height)
        return err(llvm::formatv("{0} color {1}: a role's routers [{2},{3} "
                                 "{4}x{5}] leave the {6}x{7} mesh",
                                 g.owner, g.color, r.routers.x, r.routers.y,
                                 r.routers.w, r.routers.h, f.width, f.height)
                       .str());
      g.roles.push_back(r);
    }
    f.all.push_back(std::move(g));
  }
  for (const RouterGroup &g : f.all) {
    Layer &layer = f.layers[{g.phase, g.color}];
    if (layer.buckets.empty())
      layer.buckets.resize(f.bucketsX * f.bucketsY);
    for (const route::Role &r : g.roles) {
      if (r.routers.empty())
        continue;
      uint32_t index = layer.entries.size();
      layer.entries.push_back({&g, &r});
      for (int64_t by = r.routers.y / kBucket;
           by <= (r.routers.y1() - 1) / kBucket; ++by)
        for (int64_t bx = r.routers.x / kBucket;
             bx <= (r.routers.x1() - 1) / kBucket; ++bx)
          layer.buckets[by * f.bucketsX + bx].push_back(index);
    }
  }
  // One configuration per color per router in a phase: two roles that
  // cover a common router must agree (identical instances shared by
  // streams carrying the same data do).
  for (auto &[key, layer] : f.layers) {
    for (const std::vector<uint32_t> &bucket : layer.buckets)
      for (size_t i = 0; i < bucket.size(); ++i)
        for (size_t j = i + 1; j < bucket.size(); ++j) {
          const Entry &a = layer.entries[bucket[i]];
          const Entry &b = layer.entries[bucket[j]];
          route::Rect o = a.role->routers.intersect(b.role->routers);
          if (o.empty())
            continue;
          // Parity alternates along one axis: a common router, if any, is
          // among the overlap's first two along each axis.
          for (int64_t y = o.y; y < std::min(o.y1(), o.y + 2); ++y)
            for (int64_t x = o.x; x < std::min(o.x1(), o.x + 2); ++x) {
              if (!route::roleCovers(a.group->pattern, *a.role, x, y) ||
                  !route::roleCovers(b.group->pattern, *b.role, x, y))
                continue;
              if (a.role->config == b.role->config &&
                  a.role->switchPositions == b.role->switchPositions)
                continue;
              return err(llvm::formatv(
                             "the router of PE ({0},{1}) has two "
                             "configurations for color {2} in phase {3}: {4} "
                             "(#{5}) {6} and {7} (#{8}) {9}",
                             x, y, key.second, key.first, a.group->owner,
                             a.group->step, a.role->config.str(),
                             b.group->owner, b.group->step,
                             b.role->config.str())
                             .str());
            }
        }
  }
  return f;
}

const Fabric::Entry *Fabric::find(int64_t phase, int64_t color, int64_t x,
                                  int64_t y) const {
  auto it = layers.find({phase, color});
  if (it == layers.end())
    return nullptr;
  const Layer &layer = it->second;
  for (uint32_t i : layer.buckets[(y / kBucket) * bucketsX + x / kBucket]) {
    const Entry &e = layer.entries[i];
    if (route::roleCovers(e.group->pattern, *e.role, x, y))
      return &e;
  }
  return nullptr;
}

Error Fabric::trace(const RouterGroup &g, Deliveries &out) {
  llvm::DenseSet<int64_t> seen;
  struct Hop {
    int64_t x, y;
    route::Port from;
  };
  std::vector<Hop> work;
  uint64_t bit = uint64_t(1) << (g.color & 63);
  for (const route::Role &r : g.roles) {
    bool injects = r.config.input == route::Port::Ramp || r.switchPositions > 1;
    if (!injects)
      continue;
    for (int64_t y = r.routers.y; y < r.routers.y1(); ++y)
      for (int64_t x = r.routers.x; x < r.routers.x1(); ++x) {
        if (!route::roleCovers(g.pattern, r, x, y) || seen.count(y * width + x))
          continue;
        work.push_back({x, y, route::Port::Ramp});
        while (!work.empty()) {
          Hop h = work.back();
          work.pop_back();
          ++visited;
          const Entry *e = find(g.phase, g.color, h.x, h.y);
          if (!e)
            return err("wavelets of " + where(g, h.x, h.y) +
                       " are dropped: its router has no configuration for "
                       "that color");
          const route::Role &role = *e->role;
          bool accepts =
              role.config.input == h.from ||
              (h.from == route::Port::Ramp && role.switchPositions > 1);
          if (!accepts)
            return err(llvm::formatv("wavelets of {0} arrive from the {1}, "
                                     "but its router takes that color from "
                                     "the {2} ({3}, {4})",
                                     where(g, h.x, h.y), portName(h.from),
                                     portName(role.config.input),
                                     e->group->owner, role.config.str())
                           .str());
          if (!seen.insert(h.y * width + h.x).second)
            continue;
          for (int p = 0; p < route::kNumPorts; ++p) {
            auto port = route::Port(p);
            if (!(role.config.outputs & route::portBit(port)))
              continue;
            if (port == route::Port::Ramp) {
              out.colors[h.y * width + h.x] |= bit;
              continue;
            }
            int64_t nx = h.x, ny = h.y;
            route::Port arrive = route::Port::Ramp;
            switch (port) {
            case route::Port::East:
              ++nx, arrive = route::Port::West;
              break;
            case route::Port::West:
              --nx, arrive = route::Port::East;
              break;
            case route::Port::North:
              --ny, arrive = route::Port::South;
              break;
            case route::Port::South:
              ++ny, arrive = route::Port::North;
              break;
            case route::Port::Ramp:
              break;
            }
            if (nx < 0 || ny < 0 || nx >= width || ny >= height)
              return err("wavelets of " + where(g, h.x, h.y) +
                         " leave the mesh to the " + portName(port));
            work.push_back({nx, ny, arrive});
          }
        }
      }
  }
  return Error::success();
}

Error Fabric::traceAll() {
  for (const RouterGroup &g : all)
    if (Error e = trace(g, delivered[g.owner]))
      return e;
  return Error::success();
}

const Deliveries &Fabric::deliveriesOf(llvm::StringRef owner) const {
  static const Deliveries none;
  auto it = delivered.find(owner);
  return it == delivered.end() ? none : it->second;
}
