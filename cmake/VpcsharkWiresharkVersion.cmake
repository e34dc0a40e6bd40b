# Which Wireshark versions vpcshark can be built against, and the message
# for any other. A plugin must be built for the major.minor that loads it,
# and the reader needs struct wtap, which only some versions let us see:
#
#   4.0, 4.4   our own declarations (plugin/flowlog/reader/compat/), checked
#              against the real headers by the test suite
#   4.6        Wireshark's public wiretap/wtap_module.h
#   4.2        no declarations: only with the real wiretap/wtap-int.h of a
#              source tree (-DWIRESHARK_SOURCE_DIR, or built inside the tree)
#
# Anything else (older, or newer than the project knows) stops here: the
# API differences of a version we have not seen are not in the compat
# headers, and a guessed struct layout would crash when the plugin loads.
#
# Kept apart from CMakeLists.txt so that tests/test_cmake_version.py can
# run it with "cmake -P" on versions that are not installed.
#
# SPDX-License-Identifier: GPL-2.0-or-later

set(VPCSHARK_WIRESHARK_SUPPORTED 4.0 4.4 4.6)
set(VPCSHARK_WIRESHARK_WITH_SOURCE 4.2)

# vpcshark_check_wireshark_version(VERSION HAVE_WTAP_INT WHERE)
#   VERSION        the Wireshark version found (major.minor[.patch])
#   HAVE_WTAP_INT  true when a Wireshark source tree's wiretap/wtap-int.h is used
#   WHERE          where it was found, for the message
# Stops CMake with FATAL_ERROR unless vpcshark supports that version.
function(vpcshark_check_wireshark_version version have_wtap_int where)
    if(NOT version MATCHES "^([0-9]+)\\.([0-9]+)")
        message(FATAL_ERROR "vpcshark: cannot tell the Wireshark version from \"${version}\" (${where})")
    endif()
    set(minor "${CMAKE_MATCH_1}.${CMAKE_MATCH_2}")
    list(FIND VPCSHARK_WIRESHARK_SUPPORTED "${minor}" supported)
    list(FIND VPCSHARK_WIRESHARK_WITH_SOURCE "${minor}" with_source)
    if(supported GREATER -1)
        return()
    endif()
    string(REPLACE ";" ", " list "${VPCSHARK_WIRESHARK_SUPPORTED}")
    if(with_source GREATER -1)
        if(have_wtap_int)
            return()
        endif()
        message(FATAL_ERROR
            "vpcshark: Wireshark ${version} (${where}) needs its source tree.\n"
            "Wireshark ${minor} installs no declaration of struct wtap, and vpcshark carries none "
            "for it. Configure again with -DWIRESHARK_SOURCE_DIR=<the Wireshark ${version} source "
            "tree> (its wiretap/wtap-int.h is then used), or build against one of the versions "
            "supported without it: ${list}.")
    endif()
    message(FATAL_ERROR
        "vpcshark: Wireshark ${version} (${where}) is not a version vpcshark supports.\n"
        "Supported: ${list}, and ${VPCSHARK_WIRESHARK_WITH_SOURCE} with -DWIRESHARK_SOURCE_DIR=<its "
        "source tree>. A plugin loads only into the Wireshark major.minor it was built for, and "
        "for another version the plugin's view of Wireshark's internals (struct wtap, API "
        "changes) is unknown: it would not build, or would crash when loaded.\n"
        "What to do: install the development files of a supported Wireshark (Debian: "
        "libwireshark-dev and libwiretap-dev) and point CMake at it (-DWireshark_DIR=<its "
        "lib/.../wireshark/cmake folder>), or build inside the source tree of a supported "
        "release (see docs/building.md). Porting to ${minor} means adding it to "
        "cmake/VpcsharkWiresharkVersion.cmake and the compat headers.")
endfunction()
