//===- Errors.h - the interpreter's one-line errors -------------*- C++ -*-===//
#ifndef WAFER_LIB_INTERPRETER_ERRORS_H
#define WAFER_LIB_INTERPRETER_ERRORS_H

#include "llvm/Support/Error.h"

namespace wafer::interp {
/// A one-line error (the caller names stream, color, PE, kernel).
inline llvm::Error err(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}
} // namespace wafer::interp

#endif // WAFER_LIB_INTERPRETER_ERRORS_H
