//===- AsanDefaults.cpp - ASan options every fuzz target needs ------------===//
//
// LLVM's headers poison BumpPtrAllocator slabs when compiled with ASan, and
// the uninstrumented libMLIR then hands out memory from the same slabs (the
// MLIRContext's uniquer) without unpoisoning it: a false use-after-poison on
// the first attribute built in both. Ignoring manual poisoning costs nothing
// here, since only LLVM's allocators poison. Built in, so that replaying a
// finding by hand behaves like scripts/fuzz.sh; ASAN_OPTIONS still adds to
// it.
//
//===----------------------------------------------------------------------===//

extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}
