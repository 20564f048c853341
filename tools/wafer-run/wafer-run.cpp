//===- wafer-run.cpp - compile, interpret and check a model -----*- C++ -*-===//
#include "wafer/InitAll.h"
#include "wafer/Target/TargetModel.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::init("-"));
static cl::opt<std::string>
    targetSpec("target", cl::desc("target machine: wse2, wse3 or WxH"),
               cl::init("wse2"));

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "wafer-run: compile a model for a wafer-scale mesh, interpret the "
      "lowered per-PE program and check it against a golden run\n");
  Expected<wafer::TargetModel> target = wafer::TargetModel::fromSpec(targetSpec);
  if (!target) {
    WithColor::error(errs(), "wafer-run") << toString(target.takeError())
                                          << "\n";
    return 2;
  }
  WithColor::error(errs(), "wafer-run")
      << "cannot run '" << inputFile << "' yet: ONNX import is not built\n";
  return 2;
}
