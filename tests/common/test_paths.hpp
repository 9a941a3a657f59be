#pragma once
// Where the tests find their data, the bundled models, their build folder, the checkout and the
// command line. The values are defined in one small source file that the build generates for each
// test executable (tests/CMakeLists.txt), so that no other object embeds the checkout's path and a
// compiler cache serves every clone of the project.

namespace upscale::test::paths {

const char* dataDir();    ///< tests/data
const char* modelsDir();  ///< the bundled models/
const char* binaryDir();  ///< the test executable's build folder, for scratch files
const char* sourceDir();  ///< the checkout
const char* cliPath();    ///< the built command line (empty where the tests do not use it)

}  // namespace upscale::test::paths

#define UPSCALE_TEST_DATA_DIR (::upscale::test::paths::dataDir())
#define UPSCALE_TEST_MODELS_DIR (::upscale::test::paths::modelsDir())
#define UPSCALE_TEST_BINARY_DIR (::upscale::test::paths::binaryDir())
#define UPSCALE_SOURCE_DIR (::upscale::test::paths::sourceDir())
#define UPSCALE_CLI_PATH (::upscale::test::paths::cliPath())
