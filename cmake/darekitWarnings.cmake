# Warning flags for darekit's own targets (tests, tools, bench). Not applied to consumers.
add_library(darekit_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(darekit_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
endif()
