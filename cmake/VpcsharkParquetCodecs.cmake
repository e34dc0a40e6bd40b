# The codecs of Parquet pages: zlib (GZIP), libsnappy (SNAPPY), libzstd
# (ZSTD). Inside Wireshark's tree its own find modules have found them
# (ZLIB_*, SNAPPY_*, ZSTD_*: Wireshark reads compressed files with them);
# standalone, pkg-config, or the library and header where the system keeps
# them. Sets VPCSHARK_PARQUET_LIBRARIES and VPCSHARK_PARQUET_INCLUDE_DIRS.
#
# SPDX-License-Identifier: GPL-2.0-or-later

set(VPCSHARK_PARQUET_LIBRARIES)
set(VPCSHARK_PARQUET_INCLUDE_DIRS)
find_package(PkgConfig QUIET)
# name: pkg-config module; var: prefix of Wireshark's find module; lib, header: fallback
foreach(codec "zlib;ZLIB;z;zlib.h" "snappy;SNAPPY;snappy;snappy-c.h" "libzstd;ZSTD;zstd;zstd.h")
    list(GET codec 0 module)
    list(GET codec 1 prefix)
    list(GET codec 2 lib)
    list(GET codec 3 header)
    if(${prefix}_LIBRARIES)
        list(APPEND VPCSHARK_PARQUET_LIBRARIES ${${prefix}_LIBRARIES})
        list(APPEND VPCSHARK_PARQUET_INCLUDE_DIRS ${${prefix}_INCLUDE_DIRS} ${${prefix}_INCLUDE_DIR})
        continue()
    endif()
    if(PKG_CONFIG_FOUND)
        pkg_check_modules(VPCSHARK_${prefix} QUIET IMPORTED_TARGET ${module})
    endif()
    if(VPCSHARK_${prefix}_FOUND)
        list(APPEND VPCSHARK_PARQUET_LIBRARIES PkgConfig::VPCSHARK_${prefix})
        continue()
    endif()
    find_library(VPCSHARK_${prefix}_LIBRARY NAMES ${lib})
    find_path(VPCSHARK_${prefix}_INCLUDE_DIR NAMES ${header})
    if(NOT VPCSHARK_${prefix}_LIBRARY OR NOT VPCSHARK_${prefix}_INCLUDE_DIR)
        message(FATAL_ERROR "vpcshark: ${lib} (${header}) not found: Parquet pages need it "
            "(Debian: zlib1g-dev libsnappy-dev libzstd-dev; tools/install-deps.sh)")
    endif()
    list(APPEND VPCSHARK_PARQUET_LIBRARIES ${VPCSHARK_${prefix}_LIBRARY})
    list(APPEND VPCSHARK_PARQUET_INCLUDE_DIRS ${VPCSHARK_${prefix}_INCLUDE_DIR})
endforeach()
