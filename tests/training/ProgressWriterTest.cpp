// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/ProgressWriter.h"

#include <QtTest>

#include <cstdio>
#include <thread>
#include <vector>

using melodist::training::ProgressWriter;

namespace {

std::vector<std::string> readLines(std::FILE* file) {
    std::rewind(file);
    std::vector<std::string> lines;
    std::string line;
    for (int c; (c = std::fgetc(file)) != EOF;) {
        if (c == '\n') {
            lines.push_back(line);
            line.clear();
        } else {
            line.push_back(static_cast<char>(c));
        }
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

}  // namespace

class ProgressWriterTest : public QObject {
    Q_OBJECT
private slots:
    void eachEventIsOneJsonLineWithNameTimeAndFields() {
        std::FILE* out = std::tmpfile();
        ProgressWriter progress(out);
        progress.write("start", {{"songs", 1683}});
        progress.write("epoch", {{"epoch", 1}, {"loss_valid", 1.25}});
        const auto lines = readLines(out);
        std::fclose(out);
        QCOMPARE(lines.size(), size_t(2));
        const auto first = nlohmann::json::parse(lines[0]);
        const auto second = nlohmann::json::parse(lines[1]);
        QCOMPARE(first["event"].get<std::string>(), std::string("start"));
        QCOMPARE(first["songs"].get<int>(), 1683);
        QCOMPARE(second["loss_valid"].get<double>(), 1.25);
        QVERIFY(second["time_s"].get<double>() >= first["time_s"].get<double>());
    }

    void invalidUtf8InAFileNameDoesNotBreakTheStream() {
        std::FILE* out = std::tmpfile();
        ProgressWriter progress(out);
        progress.write("failed", {{"file", std::string("lied\xff.krn")}});
        const auto lines = readLines(out);
        std::fclose(out);
        QCOMPARE(lines.size(), size_t(1));
        const auto event = nlohmann::json::parse(lines[0]);
        QVERIFY(event["file"].get<std::string>().find("lied") == 0);
    }

    void concurrentWritersNeverInterleaveLines() {
        std::FILE* out = std::tmpfile();
        ProgressWriter progress(out);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&progress, t] {
                for (int i = 0; i < 200; ++i) progress.write("step", {{"thread", t}, {"i", i}, {"pad", std::string(100, 'x')}});
            });
        for (auto& thread : threads) thread.join();
        const auto lines = readLines(out);
        std::fclose(out);
        QCOMPARE(lines.size(), size_t(800));
        for (const auto& line : lines) QVERIFY(nlohmann::json::accept(line));
    }
};

QTEST_GUILESS_MAIN(ProgressWriterTest)
#include "ProgressWriterTest.moc"
