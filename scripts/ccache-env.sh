# Sourced by the build scripts. ccache keys on absolute paths unless told where the tree starts:
# the checkout is its base folder. The unity sources CMake generates include each source by its
# absolute path, so a clone at the same path (CI's) shares the cache and one elsewhere compiles
# again. The precompiled header is cached only with these sloppiness settings.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
