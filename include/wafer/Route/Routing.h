//===- Routing.h - router ports and per-color configurations ---*- C++ -*-===//
//
// The vocabulary every routing level shares: a router's five ports and the
// configuration of one color at one router (an input port and a set of
// output ports). The pattern library (Patterns.h) describes the routers a
// pattern configures with these; the pattern router (PatternRouter.h)
// assigns the colors.
//
// Coordinates: x grows to the east, y to the south. Ports name the side of
// the router: data arriving "from West" entered on the router's West port;
// an output "East" leaves towards x + 1.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_ROUTE_ROUTING_H
#define WAFER_ROUTE_ROUTING_H

#include <cstdint>
#include <optional>
#include <string>

namespace wafer::route {

enum class Port : uint8_t {
  East = 0,
  West = 1,
  North = 2,
  South = 3,
  Ramp = 4
};
constexpr int kNumPorts = 5;
/// 'E', 'W', 'N', 'S', 'R'.
char portLetter(Port p);
/// Bit of a port in RouterConfig::outputs.
constexpr uint8_t portBit(Port p) { return uint8_t(1) << uint8_t(p); }

/// One color's configuration at one router: one input port -> a set of
/// output ports.
struct RouterConfig {
  Port input = Port::Ramp;
  uint8_t outputs = 0; // bit set of portBit()
  bool operator==(const RouterConfig &o) const {
    return input == o.input && outputs == o.outputs;
  }
  /// "W->E,S,R" style, for messages and tests.
  std::string str() const;
};

} // namespace wafer::route

#endif // WAFER_ROUTE_ROUTING_H
