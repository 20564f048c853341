# Helpers shared by wafer's CMake files.

# wafer_add_library(name SRC... [LINK libs...] [DEPENDS targets...] [EH])
# A static library of wafer's. Libraries link libMLIR.so/libLLVM.so through
# MLIR_LINK_LIBS-style names resolved by the toolchain's exported targets.
function(wafer_add_library name)
  cmake_parse_arguments(ARG "EH" "" "LINK;DEPENDS" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PUBLIC ${ARG_LINK})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  if(ARG_EH)
    target_compile_options(${name} PRIVATE -fexceptions)
  endif()
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
