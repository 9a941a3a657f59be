# The Debian package: `cpack -G DEB` in the build folder. It installs both executables, the
# bundled models, the desktop entry and the icon; its dependencies are Debian 12 package names.
set(CPACK_PACKAGE_NAME "upscale-studio")
set(CPACK_PACKAGE_VENDOR "Upscale Studio")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Enlarge images with neural networks (Real-ESRGAN)")
set(CPACK_PACKAGE_DESCRIPTION
    "Upscale Studio enlarges images with neural networks, on the CPU or an NVIDIA GPU. It ships \
the upscale command line and the upscale-studio desktop application, with two Real-ESRGAN models.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "Upscale Studio maintainers <maintainers@upscale-studio.invalid>")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "upscale-studio")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "graphics")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_LICENSE "GPL-3.0-or-later")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://upscale-studio.invalid")
# The shared libraries the executables link, by their Debian 12 package names.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libtorch1.13, libopencv-core406, libopencv-imgproc406, libopencv-imgcodecs406, \
libspdlog1.10, libfmt9, libqt6widgets6, libqt6gui6, libqt6core6")

include(CPack)
