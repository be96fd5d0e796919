# Locates the Debian packages ttads builds against (tools/setup installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(simdjson CONFIG REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(GTest CONFIG REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)

# SOCI ships neither a CMake config nor a pkg-config file on Debian 12.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY soci_postgresql REQUIRED)
find_path(BOOST_INCLUDE_DIR boost/version.hpp REQUIRED)  # soci-config.h turns Boost on

add_library(soci::core UNKNOWN IMPORTED)
set_target_properties(soci::core PROPERTIES
  IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR};${BOOST_INCLUDE_DIR}")
add_library(soci::sqlite3 UNKNOWN IMPORTED)
set_target_properties(soci::sqlite3 PROPERTIES
  IMPORTED_LOCATION "${SOCI_SQLITE3_LIBRARY}"
  INTERFACE_LINK_LIBRARIES "soci::core;PkgConfig::SQLITE3")
add_library(soci::postgresql UNKNOWN IMPORTED)
set_target_properties(soci::postgresql PROPERTIES
  IMPORTED_LOCATION "${SOCI_POSTGRESQL_LIBRARY}"
  INTERFACE_LINK_LIBRARIES "soci::core;PkgConfig::LIBPQ")

# cpp-httplib (the TikTok sandbox's HTTP server, HTTP test clients) and nlohmann-json (writing
# JSON): well-kept single-purpose libraries from Debian, used instead of hand-written ones.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET GLOBAL cpp-httplib)
find_package(nlohmann_json CONFIG REQUIRED)
