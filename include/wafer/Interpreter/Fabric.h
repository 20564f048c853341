//===- Fabric.h - the routers of a lowered program ---------------*- C++
//-*-===//
//
// The interpreter's model of the mesh's routers, built only from the
// level-6 `wafer.router` ops (their `#wafer.role` configurations), never
// from the patterns the router chose. Wavelets injected by a PE travel
// router to router as the configurations say: a router without a
// configuration for the color, a configuration that takes the color from
// another port, or a path leaving the mesh stops them with an error naming
// the owner (stream, kernel reduction, output), the color and the PE.
//
// Storage is per (phase, color): the roles (rectangles of routers) and a
// coarse bucket grid over the mesh to find the role of a router; nothing is
// stored per PE except the transient set of routers a trace has visited.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_INTERPRETER_FABRIC_H
#define WAFER_INTERPRETER_FABRIC_H

#include "wafer/Route/Patterns.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace wafer {
class ProgramOp;
}

namespace wafer::interp {

/// One `wafer.router` op: a color slot of one routed pattern.
struct RouterGroup {
  std::string owner; // "stream @s3", "kernel @k reduce", "output #0"
  int64_t step = 0, slot = 0, color = 0, phase = 0;
  route::Pattern pattern;
  std::vector<route::Role> roles;
};

/// Where a traced group's wavelets reached a PE through the ramp.
struct Deliveries {
  /// PE id (y * mesh width + x) -> bit set of the colors delivering there.
  llvm::DenseMap<int64_t, uint64_t> colors;
  bool contains(int64_t id) const { return colors.count(id); }
};

class Fabric {
public:
  // Entries point into `all` and its roles: move only.
  Fabric() = default;
  Fabric(Fabric &&) = default;
  Fabric &operator=(Fabric &&) = default;
  Fabric(const Fabric &) = delete;
  Fabric &operator=(const Fabric &) = delete;

  /// Reads every wafer.router of `program`; checks that no router holds two
  /// different configurations for one color in one phase.
  static llvm::Expected<Fabric> build(ProgramOp program);

  /// Traces every group's wavelets from every router that injects them
  /// (role input R, or a switch that first injects) and records the ramp
  /// deliveries per owner. Fails on the first dropped or misrouted wavelet.
  llvm::Error traceAll();

  /// The deliveries of an owner's groups (empty when it has none).
  const Deliveries &deliveriesOf(llvm::StringRef owner) const;

  const std::vector<RouterGroup> &groups() const { return all; }
  int64_t routersVisited() const { return visited; }

private:
  struct Entry {
    const RouterGroup *group;
    const route::Role *role;
  };
  struct Layer {
    std::vector<Entry> entries;
    /// Bucket (bx, by) -> indices into entries.
    std::vector<std::vector<uint32_t>> buckets;
  };
  const Entry *find(int64_t phase, int64_t color, int64_t x, int64_t y) const;
  llvm::Error trace(const RouterGroup &g, Deliveries &out);

  int64_t width = 0, height = 0, bucketsX = 1, bucketsY = 1;
  std::vector<RouterGroup> all;
  std::map<std::pair<int64_t, int64_t>, Layer> layers;
  std::map<std::string, Deliveries, std::less<>> delivered;
  int64_t visited = 0;
};

} // namespace wafer::interp

#endif // WAFER_INTERPRETER_FABRIC_H
