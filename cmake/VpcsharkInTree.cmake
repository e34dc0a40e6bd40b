# vpcshark built inside Wireshark's own source tree, as a custom plugin
# folder (the way plugins are built on Windows and macOS):
#
#   <wireshark>/plugins/epan/vpcshark   a copy or link of this repository
#   cmake -DCUSTOM_PLUGIN_SRC_DIR=plugins/epan/vpcshark <wireshark> ...
#
# Included by the top CMakeLists.txt when Wireshark's tree is configuring
# it. The same two plugins and libraries are built from the same folders
# as standalone (plugin/CMakeLists.txt), with Wireshark's plugin macros
# (set_module_info, add_wireshark_plugin_library, install_plugin): they
# land in the tree's build-time plugin folder (run/plugins/<version>/ on
# Linux and macOS without a bundle, run/<config>/plugins/<version>/ with
# Visual Studio, Wireshark.app/Contents/PlugIns/wireshark/<version>/ in a
# macOS bundle), so the tree's own tshark and Wireshark load them, and
# Wireshark's install step puts them with its own.
#
# SPDX-License-Identifier: GPL-2.0-or-later

include(WiresharkPlugin)
if(NOT COMMAND add_wireshark_plugin_library OR NOT COMMAND install_plugin)
    message(FATAL_ERROR "vpcshark: this Wireshark tree has no add_wireshark_plugin_library()/install_plugin() "
        "(cmake/modules/WiresharkPlugin.cmake); see docs/building.md for the versions it supports")
endif()

# Wireshark's top CMakeLists.txt sets PROJECT_{MAJOR,MINOR,PATCH}_VERSION.
set(VPCSHARK_WS_VERSION "${PROJECT_MAJOR_VERSION}.${PROJECT_MINOR_VERSION}")
set(_wtap_int "")
if(EXISTS "${CMAKE_SOURCE_DIR}/wiretap/wtap-int.h")
    set(_wtap_int "${CMAKE_SOURCE_DIR}/wiretap/wtap-int.h")
endif()
vpcshark_check_wireshark_version("${PROJECT_MAJOR_VERSION}.${PROJECT_MINOR_VERSION}.${PROJECT_PATCH_VERSION}"
    "${_wtap_int}" "source tree ${CMAKE_SOURCE_DIR}")
message(STATUS "vpcshark ${VPCSHARK_VERSION_STRING}: built in the Wireshark ${VPCSHARK_WS_VERSION} source tree")

# Before 4.6 struct wtap is declared in the tree's private wiretap/wtap-int.h:
# use it rather than our declarations (4.6's public wtap_module.h needs nothing).
if(_wtap_int AND NOT VPCSHARK_WS_VERSION VERSION_GREATER_EQUAL 4.6)
    set(WIRESHARK_SOURCE_DIR "${CMAKE_SOURCE_DIR}")
else()
    set(WIRESHARK_SOURCE_DIR "")
endif()

# GLib comes with Wireshark's own include folders and libraries; GIO (the
# gzip decompressor for CloudWatch Lambda payloads) is not one Wireshark
# links, so find it next to GLib.
set(VPCSHARK_GLIB_LIBRARIES ${GLIB2_LIBRARIES})
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
    pkg_check_modules(VPCSHARK_GIO QUIET IMPORTED_TARGET gio-2.0)
endif()
if(VPCSHARK_GIO_FOUND)
    set(VPCSHARK_GIO_LIBRARIES PkgConfig::VPCSHARK_GIO)
else()
    find_library(VPCSHARK_GIO_LIBRARY NAMES gio-2.0 HINTS ${GLIB2_HINTS} PATH_SUFFIXES lib)
    if(NOT VPCSHARK_GIO_LIBRARY)
        message(FATAL_ERROR "vpcshark: GIO (gio-2.0, part of GLib) not found next to GLib; set VPCSHARK_GIO_LIBRARY")
    endif()
    set(VPCSHARK_GIO_LIBRARIES ${VPCSHARK_GIO_LIBRARY})
endif()

# Sanitizer and fuzzing builds are standalone only (Wireshark's tree has
# its own ENABLE_ASAN); no cache entries of ours in Wireshark's cache.
set(VPCSHARK_SANITIZE OFF)
set(VPCSHARK_FUZZ OFF)

set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_VISIBILITY_PRESET hidden)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

# Our warnings, as errors, for our files only (this folder and below);
# Wireshark's own flags stay as the tree sets them. MSVC gets Wireshark's.
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    add_compile_options(-Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wformat=2
        -Werror=incompatible-pointer-types -Werror=implicit-function-declaration)
endif()
add_definitions(-DVPCSHARK_VERSION="${VPCSHARK_VERSION_STRING}")

add_subdirectory(plugin)

# The AWS-VPC profile: copied into the tree's build-time data folder
# (DATAFILE_DIR, where the tree's own tools look for global profiles, as
# Wireshark does with its own profiles), and installed with Wireshark's
# data files (<prefix>/share/wireshark/profiles; the installation folder's
# profiles on Windows, where CMAKE_INSTALL_DATADIR is ".").
file(GLOB _vpcshark_profile ${VPCSHARK_SOURCE_DIR}/profiles/AWS-VPC/*)
set(_vpcshark_profile_built)
foreach(_file ${_vpcshark_profile})
    get_filename_component(_name ${_file} NAME)
    list(APPEND _vpcshark_profile_built "${DATAFILE_DIR}/profiles/AWS-VPC/${_name}")
endforeach()
add_custom_command(OUTPUT ${_vpcshark_profile_built}
    COMMAND ${CMAKE_COMMAND} -E copy_directory "${VPCSHARK_SOURCE_DIR}/profiles/AWS-VPC"
        "${DATAFILE_DIR}/profiles/AWS-VPC"
    DEPENDS ${_vpcshark_profile})
add_custom_target(vpcshark-profile ALL DEPENDS ${_vpcshark_profile_built})
add_dependencies(plugins vpcshark-profile)
install(DIRECTORY ${VPCSHARK_SOURCE_DIR}/profiles/AWS-VPC DESTINATION "${CMAKE_INSTALL_DATADIR}/profiles"
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
