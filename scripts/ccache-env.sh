# Sourced by the build scripts. ccache keys on absolute paths unless told where the tree starts:
# with the checkout as its base folder, every clone of the project (CI makes a fresh one each
# run) shares one cache. The precompiled header is cached only with these sloppiness settings.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
