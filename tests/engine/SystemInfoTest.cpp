// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/DeviceNames.h"
#include "engine/system/SystemInfo.h"

#include <torch/version.h>

#include <QFile>
#include <QFileInfo>
#include <QtTest>

using namespace melodist::engine;

class SystemInfoTest : public QObject {
    Q_OBJECT
private slots:
    void blasIsTheLibraryMappedIntoThisProcess() {
        // GIVEN a process that links LibTorch (which links libblas.so.3)
        // WHEN we ask which BLAS provides sgemm_
        const BlasInfo blas = detectBlas();
        // THEN it names a real file that /proc/self/maps shows loaded
        QVERIFY2(!blas.path.empty(), blas.name.c_str());
        QVERIFY(QFileInfo::exists(QString::fromStdString(blas.path)));
        QFile maps(QStringLiteral("/proc/self/maps"));
        QVERIFY(maps.open(QIODevice::ReadOnly));
        QVERIFY(maps.readAll().contains(QByteArray::fromStdString(blas.path)));
    }

    void debianAlternativeDecidesTheBlas() {
        // GIVEN Debian's libblas.so.3 alternative (skip elsewhere, e.g. a pip LibTorch with MKL)
        const QString alternative = QStringLiteral("/usr/lib/x86_64-linux-gnu/libblas.so.3");
        if (!QFileInfo::exists(alternative)) QSKIP("not a Debian multiarch system");
        const QString target = QFileInfo(alternative).canonicalFilePath();
        const BlasInfo blas = detectBlas();
        if (QString::fromStdString(blas.path) != target) QSKIP("LibTorch does not use the system libblas.so.3");
        // THEN OpenBLAS is named with its thread count, the reference BLAS is flagged as slow
        if (target.contains(QStringLiteral("openblas"))) {
            QCOMPARE(QString::fromStdString(blas.name), QStringLiteral("OpenBLAS"));
            QVERIFY(QString::fromStdString(blas.version).startsWith(QStringLiteral("OpenBLAS ")));
            QVERIFY(blas.threads >= 1);
            QVERIFY(!blas.isReference);
        } else if (target.contains(QStringLiteral("/blas/"))) {
            QVERIFY(blas.isReference);
        }
    }

    void torchVersionMatchesTheHeadersWeCompiledAgainst() {
        const TorchInfo torch = detectTorch();
        const QString expected = QStringLiteral("%1.%2.").arg(TORCH_VERSION_MAJOR).arg(TORCH_VERSION_MINOR);
        QVERIFY2(QString::fromStdString(torch.version).startsWith(expected), torch.version.c_str());
        QVERIFY(torch.intraOpThreads >= 1);
        if (!torch.cudaAvailable) QCOMPARE(torch.cudaDeviceCount, 0);
        if (torch.cudaAvailable) QVERIFY(torch.cudaBuilt && torch.cudaDeviceCount >= 1);
    }

    void versionLinesNameMelodistTorchAndBlas() {
        const auto lines = engineVersionLines();
        QCOMPARE(lines.size(), size_t(3));
        QVERIFY(QString::fromStdString(lines[0]).startsWith(QStringLiteral("Melodist ")));
        QVERIFY(QString::fromStdString(lines[1]).startsWith(QStringLiteral("LibTorch ")));
        QVERIFY(QString::fromStdString(lines[2]).startsWith(QStringLiteral("BLAS: ")));
        QVERIFY(QString::fromStdString(lines[2]).contains(QString::fromStdString(detectBlas().name)));
    }

    void deviceNamesComeFromTheirProcLines() {
        const char* cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel\t\t: 17\n"
                              "model name\t: AMD EPYC 9B14 96-Core Processor  \nprocessor\t: 1\n"
                              "model name\t: AMD EPYC 9B14 96-Core Processor\n";
        QCOMPARE(parseCpuModelName(cpuinfo), std::string("AMD EPYC 9B14 96-Core Processor"));
        QCOMPARE(parseCpuModelName("processor : 0\nmodel : 17\n"), std::string());  // "model" is not "model name"
        const char* gpu = "Model: \t\t NVIDIA H100 80GB HBM3\nIRQ:             35\nGPU UUID:        GPU-1234\n";
        QCOMPARE(parseNvidiaGpuModel(gpu), std::string("NVIDIA H100 80GB HBM3"));
        QCOMPARE(parseNvidiaGpuModel(""), std::string());
        // This machine's own /proc/cpuinfo, when it names the processor.
        QFile proc(QStringLiteral("/proc/cpuinfo"));
        if (proc.open(QIODevice::ReadOnly) && proc.readAll().contains("model name"))
            QVERIFY(!cpuModelName().empty());
    }
};

QTEST_GUILESS_MAIN(SystemInfoTest)
#include "SystemInfoTest.moc"
