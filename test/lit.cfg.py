# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "wafer"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.wafer_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "unit", "Inputs"]

config.substitutions.append(("%wafer_src", config.wafer_src_root))
config.substitutions.append(("%python", "/usr/bin/python3"))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.wafer_tools_dir, config.llvm_tools_dir]
tools = ["wafer-opt", "wafer-translate", "wafer-run",
         ToolSubst("FileCheck", unresolved="fatal"),
         ToolSubst("not", unresolved="fatal"),
         ToolSubst("count", unresolved="fatal"),
         ToolSubst("split-file", unresolved="fatal")]
llvm_config.add_tool_substitutions(tools, tool_dirs)
