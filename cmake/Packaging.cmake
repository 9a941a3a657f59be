# The Debian package: `cpack -G DEB` in the build folder. It installs both executables, the
# bundled models, the desktop entry and the icon; dpkg-shlibdeps (dpkg-dev) derives its
# dependencies from the libraries the executables link. scripts/check-package.sh checks it.
set(CPACK_PACKAGE_NAME "upscale-studio")
set(CPACK_PACKAGE_VENDOR "Upscale Studio")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Enlarge images and videos with neural networks (Real-ESRGAN)")
set(CPACK_PACKAGE_DESCRIPTION
    "Upscale Studio enlarges images and videos with neural networks, on the CPU or an NVIDIA \
GPU. It ships the upscale command line and the upscale-studio desktop application, with three \
Real-ESRGAN models.")
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
# The Debian 12 packages of the shared libraries the executables link (LibTorch, OpenCV, FFmpeg,
# Qt 6, spdlog, fmt), with the versions dpkg-shlibdeps finds.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

include(CPack)
