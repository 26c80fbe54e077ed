// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/pianoroll/NoteClipboard.h"

#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

namespace melodist::ui {
namespace {

using engine::Rational;

QString rationalText(Rational value) { return QString::fromStdString(value.toString()); }

std::optional<Rational> parseRational(const QString& text) {
    const std::string s = text.toStdString();
    int64_t num = 0;
    int64_t den = 1;
    const char* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, num);
    if (ec != std::errc()) return std::nullopt;
    if (p != end) {
        if (*p != '/') return std::nullopt;
        auto [q, ec2] = std::from_chars(p + 1, end, den);
        if (ec2 != std::errc() || q != end || den <= 0) return std::nullopt;
    }
    return Rational(num, den);
}

}  // namespace

QByteArray notesToClipboardJson(std::vector<engine::ProjectNote> notes) {
    std::sort(notes.begin(), notes.end(), [](const engine::ProjectNote& a, const engine::ProjectNote& b) {
        return a.note.onset != b.note.onset ? a.note.onset < b.note.onset : a.note.pitch < b.note.pitch;
    });
    const Rational origin = notes.empty() ? Rational() : notes.front().note.onset;
    QJsonArray array;
    for (const engine::ProjectNote& n : notes) {
        array.append(QJsonObject{{QStringLiteral("pitch"), n.note.pitch},
                                 {QStringLiteral("onset"), rationalText(n.note.onset - origin)},
                                 {QStringLiteral("duration"), rationalText(n.note.duration)},
                                 {QStringLiteral("velocity"), n.note.velocity},
                                 {QStringLiteral("generated"), n.generated}});
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("notes"), array}}).toJson(QJsonDocument::Compact);
}

engine::Result<std::vector<engine::ProjectNote>> notesFromClipboardJson(const QByteArray& json) {
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    const QJsonValue notesValue = doc.object().value(QStringLiteral("notes"));
    if (!notesValue.isArray())
        return engine::makeError("the clipboard's notes are not readable (no \"notes\" list); copy the notes again");
    std::vector<engine::ProjectNote> notes;
    int index = 0;
    for (const QJsonValue& value : notesValue.toArray()) {
        const QJsonObject o = value.toObject();
        const int pitch = o.value(QStringLiteral("pitch")).toInt(-1);
        const int velocity = o.value(QStringLiteral("velocity")).toInt(80);
        const std::optional<Rational> onset = parseRational(o.value(QStringLiteral("onset")).toString());
        const std::optional<Rational> duration = parseRational(o.value(QStringLiteral("duration")).toString());
        if (pitch < 0 || pitch > 127 || velocity < 1 || velocity > 127 || !onset || !duration || *onset < Rational() ||
            *duration <= Rational())
            return engine::makeError("the clipboard's note " + std::to_string(index) +
                                     " is not a valid note (pitch 0..127, velocity 1..127, onset >= 0, duration > 0); "
                                     "copy the notes again");
        engine::ProjectNote note;
        note.note.pitch = pitch;
        note.note.onset = *onset;
        note.note.duration = *duration;
        note.note.velocity = velocity;
        note.generated = o.value(QStringLiteral("generated")).toBool(false);
        notes.push_back(std::move(note));
        ++index;
    }
    return notes;
}

void copyNotesToClipboard(const std::vector<engine::ProjectNote>& notes) {
    auto* mime = new QMimeData;
    mime->setData(QString::fromLatin1(kNotesMimeType), notesToClipboardJson(notes));
    QApplication::clipboard()->setMimeData(mime);  // the clipboard owns it
}

engine::Result<std::vector<engine::ProjectNote>> notesFromClipboard() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (mime == nullptr || !mime->hasFormat(QString::fromLatin1(kNotesMimeType)))
        return engine::makeError("the clipboard holds no notes; select notes in the piano roll and copy them first");
    return notesFromClipboardJson(mime->data(QString::fromLatin1(kNotesMimeType)));
}

}  // namespace melodist::ui
