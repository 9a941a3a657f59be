# Finds the three OpenCV libraries the media module needs (core, imgproc, imgcodecs) from
# Debian's narrow -dev packages, which ship no CMake package file of their own, and defines
# imported targets OpenCV::core, OpenCV::imgproc and OpenCV::imgcodecs.
find_path(OpenCVImaging_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4)
set(_ocv_vars OpenCVImaging_INCLUDE_DIR)
foreach(_c core imgproc imgcodecs)
    find_library(OpenCVImaging_${_c}_LIBRARY opencv_${_c})
    list(APPEND _ocv_vars OpenCVImaging_${_c}_LIBRARY)
endforeach()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCVImaging REQUIRED_VARS ${_ocv_vars})
if(OpenCVImaging_FOUND)
    foreach(_c core imgproc imgcodecs)
        if(NOT TARGET OpenCV::${_c})
            add_library(OpenCV::${_c} UNKNOWN IMPORTED)
            set_target_properties(OpenCV::${_c} PROPERTIES
                IMPORTED_LOCATION "${OpenCVImaging_${_c}_LIBRARY}"
                INTERFACE_INCLUDE_DIRECTORIES "${OpenCVImaging_INCLUDE_DIR}")
        endif()
    endforeach()
    set_property(TARGET OpenCV::imgproc APPEND PROPERTY INTERFACE_LINK_LIBRARIES OpenCV::core)
    set_property(TARGET OpenCV::imgcodecs APPEND PROPERTY INTERFACE_LINK_LIBRARIES OpenCV::imgproc)
endif()
mark_as_advanced(${_ocv_vars})
