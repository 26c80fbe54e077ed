// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// AboutDialog: Help > About. Shows the versions of Melodist, Qt, LibTorch (and
// whether CUDA is usable), the BLAS in use, FluidSynth and RtMidi, with a button that
// copies them for a bug report. UI thread; owned by its parent window.

#include <QDialog>
#include <QStringList>

class QPlainTextEdit;

namespace melodist::ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    AboutDialog(const QStringList& versionLines, QWidget* parent = nullptr);

    QString versionText() const;

private:
    QPlainTextEdit* m_versions = nullptr;
};

}  // namespace melodist::ui
