#include "widgets/file_field.h"

#include "document/form_binder.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace tollgate::ui {

QString pathForConfig(const ConfigDocument* doc, const QString& chosen) {
    const QDir base = QFileInfo(doc->path()).absoluteDir();
    const QString relative = base.relativeFilePath(chosen);
    return relative.startsWith(QLatin1String("..")) || QDir::isAbsolutePath(relative) ? chosen : relative;
}

QWidget* bindFileField(FormBinder* binder, QLineEdit* edit, const QString& key, const QString& label,
                       bool save) {
    auto* row = new QWidget(edit->parentWidget());
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(binder->bindLine(edit, key, label), 1);
    auto* choose = new QPushButton(QObject::tr("Choose…"), row);
    choose->setObjectName(key + QStringLiteral(".choose"));
    layout->addWidget(choose, 0, Qt::AlignTop);
    QObject::connect(choose, &QPushButton::clicked, row, [binder, edit, key, label, save] {
        ConfigDocument* doc = binder->document();
        const QString start = QFileInfo(doc->path()).absolutePath();
        const QString chosen = save ? QFileDialog::getSaveFileName(edit, label, start)
                                    : QFileDialog::getOpenFileName(edit, label, start);
        if (!chosen.isEmpty() && !binder->prefix().isEmpty()) {
            doc->setValue(binder->absoluteKey(key), pathForConfig(doc, chosen), label);
        }
    });
    QObject::connect(binder, &FormBinder::refreshed, choose,
                     [binder, choose] { choose->setEnabled(!binder->prefix().isEmpty()); });
    choose->setEnabled(!binder->prefix().isEmpty());
    return row;
}

} // namespace tollgate::ui
