// The application's tests need one QApplication for the whole process, on the offscreen platform
// so that they run without a display.

#include <gtest/gtest.h>

#include <QApplication>

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    testing::InitGoogleTest(&argc, argv);
    QApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("upscale-studio-tests"));
    QApplication::setApplicationName(QStringLiteral("upscale-studio-tests"));
    return RUN_ALL_TESTS();
}
