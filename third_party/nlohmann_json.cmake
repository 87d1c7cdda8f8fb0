# nlohmann-json (Debian: nlohmann-json3-dev), header only: parses .safetensors headers.
# Exposed as nt::nlohmann_json so the rest of the build does not depend on the package's own name.
find_package(nlohmann_json 3.2 QUIET)
if(NOT nlohmann_json_FOUND)
  message(FATAL_ERROR "nlohmann-json not found: install nlohmann-json3-dev (apt-get install nlohmann-json3-dev)")
endif()
if(NOT TARGET nt::nlohmann_json)
  add_library(nt::nlohmann_json INTERFACE IMPORTED)
  set_target_properties(nt::nlohmann_json PROPERTIES INTERFACE_LINK_LIBRARIES nlohmann_json::nlohmann_json)
endif()
message(STATUS "nlohmann-json: ${nlohmann_json_VERSION}")
