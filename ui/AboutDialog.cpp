// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/AboutDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace melodist::ui {

AboutDialog::AboutDialog(const QStringList& versionLines, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("About Melodist"));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("<h2>Melodist</h2><p>Draw a melody seed, let a neural network continue it, "
                                "audition, keep what you like.</p>"),
                             this);
    title->setWordWrap(true);
    layout->addWidget(title);

    m_versions = new QPlainTextEdit(versionLines.join('\n'), this);
    m_versions->setObjectName(QStringLiteral("aboutVersions"));
    m_versions->setReadOnly(true);
    m_versions->setMinimumSize(560, 150);
    layout->addWidget(m_versions);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("&Copy versions"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(versionText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QString AboutDialog::versionText() const { return m_versions->toPlainText(); }

}  // namespace melodist::ui
