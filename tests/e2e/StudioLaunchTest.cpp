// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: start the real melodist-studio executable in the X server that xvfb-run
// gives this test, wait until its main window is shown, take a screenshot of the
// screen and save it into the build tree (screenshots/studio-launch.png) for review.
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPixmap>
#include <QProcess>
#include <QScreen>
#include <QSet>
#include <QtTest>

class StudioLaunchTest : public QObject {
    Q_OBJECT
private slots:
    void studioOpensItsMainWindowInARealXServer() {
        if (QGuiApplication::platformName() != QStringLiteral("xcb")) QSKIP("needs an X server (run under xvfb-run)");
        // GIVEN the studio started as a user would start it
        QProcess studio;
        studio.setProcessChannelMode(QProcess::SeparateChannels);
        studio.start(qEnvironmentVariable("MELODIST_BIN_DIR") + QStringLiteral("/melodist-studio"), {});
        QVERIFY2(studio.waitForStarted(10000), qPrintable(studio.errorString()));

        // WHEN its main window has been shown
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += studio.readAllStandardOutput()).contains("main window shown"), 60000);
        QTest::qWait(1500);  // let the first paints and the status-bar probe land
        QCOMPARE(studio.state(), QProcess::Running);

        // THEN the screen shows it: save the screenshot and check it is not an empty screen
        const QImage shot = QGuiApplication::primaryScreen()->grabWindow(0).toImage();
        QVERIFY(!shot.isNull());
        const QString dir = qEnvironmentVariable("MELODIST_BINARY_DIR") + QStringLiteral("/screenshots");
        QVERIFY(QDir().mkpath(dir));
        const QString path = dir + QStringLiteral("/studio-launch.png");
        QVERIFY(shot.save(path));
        qInfo("screenshot saved to %s", qPrintable(path));
        QSet<QRgb> colours;
        for (int y = 0; y < shot.height(); y += 3)
            for (int x = 0; x < shot.width(); x += 3) colours.insert(shot.pixel(x, y));
        QVERIFY2(colours.size() > 20, "the screen is (nearly) uniform: no window was drawn");

        studio.terminate();
        QVERIFY(studio.waitForFinished(10000));
        const QByteArray errors = studio.readAllStandardError();
        QVERIFY2(!errors.contains("terminate called"), errors.constData());
    }
};

QTEST_MAIN(StudioLaunchTest)
#include "StudioLaunchTest.moc"
