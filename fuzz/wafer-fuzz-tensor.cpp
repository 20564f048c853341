//===- wafer-fuzz-tensor.cpp - libFuzzer target for the tensor readers ----===//
//
// Bytes go to both readers wafer-run's --input uses: `parseNpy` and
// `parseTensorProto`. An llvm::Error is the expected answer to a bad file.
// A tensor either reader accepts must be well formed (storage matching its
// shape) and survive `serializeNpy` -> `parseNpy` unchanged, since that is
// how wafer-run's outputs are read back. Anything else is a finding.
//
//===----------------------------------------------------------------------===//
#include "wafer/Interpreter/TensorIO.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace wafer::interp;

namespace {

[[noreturn]] void finding(llvm::StringRef reader, const Tensor &t,
                          const llvm::Twine &what) {
  llvm::errs() << "wafer-fuzz-tensor: " << reader << " read "
               << describeShape(t.getShape(), t.getKind()) << ": " << what
               << "\n";
  llvm::errs().flush();
  std::abort();
}

void check(llvm::StringRef reader, const Tensor &t) {
  if (t.getNumBytes() != size_t(t.getNumElements()) * elementSize(t.getKind()))
    finding(reader, t,
            "storage of " + llvm::Twine(t.getNumBytes()) + " bytes for " +
                llvm::Twine(t.getNumElements()) + " elements");
  if (t.getKind() == ElementKind::I1)
    for (int64_t i = 0; i < t.getNumElements(); ++i)
      if (t.data()[i] != 0 && t.data()[i] != 1)
        finding(reader, t,
                "i1 element " + llvm::Twine(i) + " holds byte " +
                    llvm::Twine(int(t.data()[i])) + ", not 0 or 1");
  llvm::Expected<Tensor> back = parseNpy(serializeNpy(t), "round-trip.npy");
  if (!back)
    finding(reader, t,
            "serializeNpy wrote a file parseNpy rejects: " +
                llvm::toString(back.takeError()));
  if (back->getKind() != t.getKind() || back->getShape() != t.getShape() ||
      back->getNumBytes() != t.getNumBytes() ||
      (t.getNumBytes() &&
       std::memcmp(back->data(), t.data(), t.getNumBytes()) != 0))
    finding(reader, t,
            "the .npy round trip gives " +
                describeShape(back->getShape(), back->getKind()) +
                " with different contents");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  // Refuse large tensors well below libFuzzer's 2 GB RSS limit (the reader
  // and the round trip hold a few copies). Sizes.h reads this on first use.
  setenv("WAFER_MEMORY_LIMIT", "64M", /*overwrite=*/0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  if (llvm::Expected<Tensor> t = parseNpy(bytes, "fuzz.npy"))
    check("parseNpy", *t);
  else
    llvm::consumeError(t.takeError());
  std::string name;
  if (llvm::Expected<Tensor> t = parseTensorProto(bytes, "fuzz.pb", &name))
    check("parseTensorProto", *t);
  else
    llvm::consumeError(t.takeError());
  return 0;
}
