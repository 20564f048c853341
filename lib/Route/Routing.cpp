//===- Routing.cpp - router ports and per-color configurations -----------===//
#include "wafer/Route/Routing.h"

namespace wafer::route {

char portLetter(Port p) {
  static const char letters[] = {'E', 'W', 'N', 'S', 'R'};
  return letters[uint8_t(p)];
}

std::string RouterConfig::str() const {
  std::string s(1, portLetter(input));
  s += "->";
  bool first = true;
  for (int p = 0; p < kNumPorts; ++p) {
    if (!(outputs & portBit(Port(p))))
      continue;
    if (!first)
      s += ',';
    s += portLetter(Port(p));
    first = false;
  }
  return s;
}

} // namespace wafer::route
