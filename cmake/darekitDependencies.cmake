# Finds darekit's runtime dependencies and defines darekit::sodium.
# Used both by darekit's own build and by the installed darekitConfig.cmake.
#
# libsodium goes by three names: vcpkg's unofficial-sodium::sodium, Conan's
# libsodium::libsodium, and Debian's pkg-config module `libsodium` (no CMake config).
include(CMakeFindDependencyMacro)

if(NOT TARGET darekit::sodium)
  set(_darekit_sodium_target "")
  find_package(unofficial-sodium CONFIG QUIET)
  if(TARGET unofficial-sodium::sodium)
    set(_darekit_sodium_target unofficial-sodium::sodium)
  else()
    find_package(libsodium CONFIG QUIET)
    if(TARGET libsodium::libsodium)
      set(_darekit_sodium_target libsodium::libsodium)
    else()
      find_package(PkgConfig QUIET)
      if(PKG_CONFIG_FOUND)
        pkg_check_modules(DAREKIT_PC_SODIUM QUIET IMPORTED_TARGET GLOBAL libsodium>=1.0.18)
        if(TARGET PkgConfig::DAREKIT_PC_SODIUM)
          set(_darekit_sodium_target PkgConfig::DAREKIT_PC_SODIUM)
        endif()
      endif()
    endif()
  endif()
  if(NOT _darekit_sodium_target)
    message(FATAL_ERROR "darekit: libsodium (>= 1.0.18) not found. Install libsodium-dev, "
                        "or provide it through vcpkg (unofficial-sodium) or Conan (libsodium).")
  endif()
  add_library(darekit::sodium INTERFACE IMPORTED GLOBAL)
  set_target_properties(darekit::sodium PROPERTIES INTERFACE_LINK_LIBRARIES "${_darekit_sodium_target}")
endif()

if(NOT TARGET simdjson::simdjson)
  if(CMAKE_FIND_PACKAGE_NAME)  # inside darekitConfig.cmake
    find_dependency(simdjson CONFIG)
  else()
    find_package(simdjson CONFIG REQUIRED)
  endif()
endif()
