// SPDX-License-Identifier: GPL-3.0-or-later
// The .melodist-model checkpoint: byte layout, round trip, the errors of damaged,
// foreign and future files, and the Keras import giving bit-identical predictions.
#include "engine/core/Checksum.h"
#include "engine/core/FileIO.h"
#include "engine/keras/KerasMelodyModel.h"
#include "engine/model/Checkpoint.h"
#include "engine/model/LstmCheckpoint.h"
#include "engine/model/MelodyModel.h"

#include <QtTest/QtTest>

#include <cstring>
#include <filesystem>

using namespace melodist::engine;

namespace {

std::string testData(const char* name) { return qEnvironmentVariable("MELODIST_TEST_DATA").toStdString() + "/keras/" + name; }
std::string seedModelDir() { return qEnvironmentVariable("MELODIST_SHARED_DIR").toStdString() + "/seed-models/velardo"; }
bool contains(const std::string& text, const char* piece) { return text.find(piece) != std::string::npos; }

Checkpoint smallCheckpoint() {
    Checkpoint checkpoint;
    checkpoint.metadata["architecture"] = {{"type", "test"}};
    checkpoint.tensors.push_back({"a", {2, 3}, {1.0f, -2.0f, 3.5f, 0.0f, 1e-30f, 7.0f}});
    checkpoint.tensors.push_back({"b.bias", {5}, {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}});
    return checkpoint;
}

// Each window's probabilities from the kernel, to compare bit for bit.
std::vector<std::vector<float>> predictions(const LstmKernel& kernel, const std::vector<std::vector<int>>& windows) {
    std::vector<std::vector<float>> out;
    for (const auto& window : windows) {
        Result<std::vector<float>> p = kernel.probabilities(window);
        out.push_back(p ? *p : std::vector<float>{});
    }
    return out;
}

}  // namespace

class CheckpointTest : public QObject {
    Q_OBJECT

private slots:
    void checksumsMatchTheirStandards() {
        // GIVEN the standards' check strings WHEN hashed THEN the published values come out
        QCOMPARE(crc32("123456789"), 0xCBF43926u);
        QCOMPARE(sha256Hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(sha256Hex(std::string(56, 'a')).substr(0, 8), std::string("b35439a4"));
        QCOMPARE(sha256Hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    void encodedTensorsRoundTripAlignedTo64Bytes() {
        // GIVEN a checkpoint with metadata and two tensors
        const Checkpoint checkpoint = smallCheckpoint();
        // WHEN it is encoded and decoded
        const std::string bytes = encodeCheckpoint(checkpoint);
        Result<Checkpoint> decoded = decodeCheckpoint(bytes, "small.melodist-model");
        // THEN the header is the documented one, data starts on 64-byte offsets, and all comes back
        QVERIFY2(decoded.ok(), decoded ? "" : decoded.error().c_str());
        QCOMPARE(bytes.substr(0, 8), std::string("MLDMODEL"));
        uint32_t version = 0;
        std::memcpy(&version, bytes.data() + 8, 4);
        QCOMPARE(version, kCheckpointFormatVersion);
        QCOMPARE(decoded->metadata["format_version"].get<uint32_t>(), kCheckpointFormatVersion);
        QCOMPARE(decoded->metadata["architecture"]["type"].get<std::string>(), std::string("test"));
        QCOMPARE(decoded->tensors.size(), size_t{2});
        for (size_t t = 0; t < 2; ++t) {
            QCOMPARE(decoded->tensors[t].name, checkpoint.tensors[t].name);
            QCOMPARE(decoded->tensors[t].shape, checkpoint.tensors[t].shape);
            QCOMPARE(decoded->tensors[t].values, checkpoint.tensors[t].values);
            const std::string_view data(reinterpret_cast<const char*>(checkpoint.tensors[t].values.data()),
                                        checkpoint.tensors[t].values.size() * sizeof(float));
            const size_t offset = bytes.find(data);
            QVERIFY(offset != std::string::npos);
            QCOMPARE(offset % 64, size_t{0});
        }
        QCOMPARE(encodeCheckpoint(*decoded), bytes);  // same content, same bytes
    }

    void damagedForeignAndFutureFilesAreClearErrors() {
        const std::string bytes = encodeCheckpoint(smallCheckpoint());
        const std::string name = "m.melodist-model";
        // GIVEN truncations at several places THEN each is an error naming the file, never a crash
        for (const size_t keep : {size_t{3}, size_t{12}, size_t{30}, bytes.size() / 2, bytes.size() - 1}) {
            Result<Checkpoint> cut = decodeCheckpoint(std::string_view(bytes).substr(0, keep), name);
            QVERIFY(!cut.ok());
            QVERIFY2(contains(cut.error(), name.c_str()) && contains(cut.error(), "damaged"), cut.error().c_str());
        }
        // GIVEN one flipped bit in the data THEN the checksum catches it
        std::string flipped = bytes;
        flipped[bytes.size() - 10] ^= 0x01;
        QVERIFY(contains(decodeCheckpoint(flipped, name).error(), "checksum"));
        // GIVEN another format THEN it is named as not a Melodist model
        QVERIFY(contains(decodeCheckpoint("PK\x03\x04 a zip archive", name).error(), "not a Melodist model"));
        QVERIFY(contains(decodeCheckpoint("", name).error(), "not a Melodist model"));
        // GIVEN a version from the future THEN the error says to update
        std::string future = bytes;
        const uint32_t next = kCheckpointFormatVersion + 1;
        std::memcpy(future.data() + 8, &next, 4);
        QVERIFY(contains(decodeCheckpoint(future, name).error(), "update Melodist"));
        // GIVEN a missing file THEN the error names it
        QVERIFY(contains(loadCheckpoint("/nonexistent/x.melodist-model").error(), "/nonexistent/x.melodist-model"));
    }

    void importedTinyKerasModelPredictsBitForBitLikeTheH5() {
        // GIVEN the tiny Keras model and a 3-symbol mapping
        QTemporaryDir dir;
        const std::string mapping = dir.filePath("mapping.json").toStdString();
        QVERIFY(writeFileAtomically(mapping, R"({"/": 0, "_": 1, "60": 2})").ok());
        Result<Checkpoint> checkpoint = importKerasCheckpoint(testData("tiny_lstm.h5"), mapping);
        QVERIFY2(checkpoint.ok(), checkpoint ? "" : checkpoint.error().c_str());
        // WHEN it is saved, loaded back, and asked for predictions
        const std::string path = dir.filePath("tiny.melodist-model").toStdString();
        QVERIFY(saveCheckpoint(*checkpoint, path).ok());
        Result<MelodyModel> model = MelodyModel::load(path);
        QVERIFY2(model.ok(), model ? "" : model.error().c_str());
        Result<LstmKernel> direct = loadKerasMelodyLstm(testData("tiny_lstm.h5"));
        QVERIFY(direct.ok());
        // THEN its metadata says where it came from, and the probabilities equal the .h5's exactly
        QCOMPARE(model->defaultContext(), 64);
        QCOMPARE(model->vocabulary().symbols(), (std::vector<std::string>{"/", "_", "60"}));
        QCOMPARE(model->metadata()["architecture"]["recurrent_activation"].get<std::string>(), std::string("hard_sigmoid"));
        QVERIFY(contains(model->metadata()["source"].get<std::string>(), "imported from Keras tiny_lstm.h5 (sha256 "));
        const std::vector<std::vector<int>> windows = {{0}, {2, 1, 1, 0}, {1, 2, 2, 2, 0, 1}};
        QCOMPARE(predictions(*model->kernel(), windows), predictions(*direct, windows));
    }

    void importRefusesAMappingOfAnotherSize() {
        // GIVEN a mapping with 2 symbols for a 3-symbol model WHEN imported THEN both files are named
        QTemporaryDir dir;
        const std::string mapping = dir.filePath("mapping.json").toStdString();
        QVERIFY(writeFileAtomically(mapping, R"({"/": 0, "_": 1})").ok());
        Result<Checkpoint> checkpoint = importKerasCheckpoint(testData("tiny_lstm.h5"), mapping);
        QVERIFY(!checkpoint.ok());
        QVERIFY2(contains(checkpoint.error(), "mapping.json has 2 symbols") && contains(checkpoint.error(), "tiny_lstm.h5"),
                 checkpoint.error().c_str());
    }

    void importedSeedModelPredictsBitForBitLikeTheH5() {
        if (!std::filesystem::exists(seedModelDir()))
            QSKIP("needs $MELODIST_SHARED_DIR/seed-models (the shared folder beside the checkout)");
        // GIVEN the seed model imported and re-loaded from its checkpoint bytes
        Result<Checkpoint> checkpoint = importKerasCheckpoint(seedModelDir() + "/model.h5", seedModelDir() + "/mapping.json");
        QVERIFY2(checkpoint.ok(), checkpoint ? "" : checkpoint.error().c_str());
        Result<Checkpoint> decoded = decodeCheckpoint(encodeCheckpoint(*checkpoint), "seeds.melodist-model");
        QVERIFY(decoded.ok());
        Result<MelodyModel> model = MelodyModel::fromCheckpoint(*decoded, "seeds.melodist-model");
        QVERIFY2(model.ok(), model ? "" : model.error().c_str());
        Result<LstmKernel> direct = loadKerasMelodyLstm(seedModelDir() + "/model.h5");
        QVERIFY(direct.ok());
        // WHEN both predict THEN every probability is the same float
        std::vector<std::vector<int>> windows = {{0}, std::vector<int>(64, 5), {}};
        for (int i = 0; i < 100; ++i) windows[2].push_back((i * 7) % 38);
        QCOMPARE(predictions(*model->kernel(), windows), predictions(*direct, windows));
        QCOMPARE(model->vocabulary().size(), size_t{38});
    }
};

QTEST_GUILESS_MAIN(CheckpointTest)
#include "CheckpointTest.moc"
