#include "document/form_binder.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

namespace tollgate::ui {

FormBinder::FormBinder(ConfigDocument* doc, QObject* parent) : QObject(parent), m_doc(doc) {
    connect(doc, &ConfigDocument::changed, this, &FormBinder::refresh);
}

void FormBinder::setPrefix(const QString& prefix) {
    m_prefix = prefix;
    refresh();
}

QString FormBinder::absoluteKey(const QString& relativeKey) const {
    if (m_prefix.isEmpty()) {
        return relativeKey;
    }
    return relativeKey.isEmpty() ? m_prefix : m_prefix + QLatin1Char('.') + relativeKey;
}

QLabel* FormBinder::newMessage(QWidget* parent) {
    auto* message = new QLabel(parent);
    message->setObjectName(QStringLiteral("fieldMessage"));
    message->setWordWrap(true);
    message->setVisible(false);
    QFont f = message->font();
    f.setPointSizeF(f.pointSizeF() * 0.92);
    message->setFont(f);
    return message;
}

QWidget* FormBinder::wrap(QWidget* editor, Binding binding) {
    auto* box = new QWidget(editor->parentWidget());
    auto* column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    editor->setParent(box);
    column->addWidget(editor);
    binding.message = newMessage(box);
    column->addWidget(binding.message);
    binding.editor = editor;
    m_bindings.push_back(std::move(binding));
    showMessage(m_bindings.back());
    m_loading = true;
    m_bindings.back().load();
    m_loading = false;
    return box;
}

QWidget* FormBinder::bindLine(QLineEdit* edit, const QString& key, const QString& label) {
    connect(edit, &QLineEdit::textEdited, this, [this, key, label](const QString& text) {
        if (!m_loading && !m_prefix.isEmpty()) {
            m_doc->setValue(absoluteKey(key), text.trimmed(), label, true);
        }
    });
    return wrap(edit, {nullptr, key,
                       [this, edit, key] {
                           const QString value = m_doc->scalar(absoluteKey(key));
                           // Keep the cursor where it is while the user types.
                           if (edit->text().trimmed() != value) {
                               edit->setText(value);
                           }
                       },
                       nullptr});
}

QWidget* FormBinder::bindCombo(QComboBox* combo, const QString& key, const QString& label) {
    auto write = [this, key, label](const QString& text) {
        if (!m_loading && !m_prefix.isEmpty()) {
            m_doc->setValue(absoluteKey(key), text.trimmed(), label, true);
        }
    };
    if (combo->isEditable()) {
        connect(combo->lineEdit(), &QLineEdit::textEdited, this, write);
    }
    connect(combo, &QComboBox::textActivated, this, write);
    return wrap(combo, {nullptr, key,
                        [this, combo, key] {
                            const QString value = m_doc->scalar(absoluteKey(key));
                            if (combo->currentText() == value) {
                                return;
                            }
                            const int i = combo->findText(value);
                            if (i >= 0) {
                                combo->setCurrentIndex(i);
                            } else if (combo->isEditable()) {
                                combo->setEditText(value);
                            } else {
                                combo->setCurrentIndex(-1);
                            }
                        },
                        nullptr});
}

QWidget* FormBinder::bindCheck(QCheckBox* check, const QString& key, const QString& label,
                               bool defaultValue) {
    connect(check, &QCheckBox::toggled, this, [this, key, label](bool on) {
        if (!m_loading && !m_prefix.isEmpty()) {
            m_doc->setValue(absoluteKey(key), on ? QStringLiteral("true") : QStringLiteral("false"), label);
        }
    });
    return wrap(check,
                {nullptr, key,
                 [this, check, key, defaultValue] {
                     const QString value = m_doc->scalar(absoluteKey(key));
                     check->setChecked(value.isEmpty() ? defaultValue : value == QLatin1String("true"));
                 },
                 nullptr});
}

QWidget* FormBinder::bindSpin(QSpinBox* spin, const QString& key, const QString& label, int defaultValue) {
    connect(spin, &QSpinBox::valueChanged, this, [this, key, label](int v) {
        if (!m_loading && !m_prefix.isEmpty()) {
            m_doc->setValue(absoluteKey(key), QString::number(v), label, true);
        }
    });
    return wrap(spin, {nullptr, key,
                       [this, spin, key, defaultValue] {
                           bool ok = false;
                           const int v = m_doc->scalar(absoluteKey(key)).toInt(&ok);
                           spin->setValue(ok ? v : defaultValue);
                       },
                       nullptr});
}

QLabel* FormBinder::messageFor(const QString& key) {
    Binding b{nullptr, key, [] {}, nullptr};
    b.message = newMessage(nullptr);
    m_bindings.push_back(b);
    showMessage(m_bindings.back());
    return b.message;
}

void FormBinder::showMessage(Binding& b) {
    if (!b.message) {
        return;
    }
    const QString text = m_prefix.isEmpty() ? QString() : m_doc->problemAt(absoluteKey(b.key));
    b.message->setText(text);
    b.message->setVisible(!text.isEmpty());
    if (b.editor && b.editor->property("invalid").toBool() != !text.isEmpty()) {
        b.editor->setProperty("invalid", !text.isEmpty());
        b.editor->setToolTip(text);
        // Style sheets read dynamic properties at polish time only.
        b.editor->style()->unpolish(b.editor);
        b.editor->style()->polish(b.editor);
    }
}

void FormBinder::refresh() {
    m_loading = true;
    for (Binding& b : m_bindings) {
        if (b.editor) {
            b.editor->setEnabled(!m_prefix.isEmpty());
            if (!m_prefix.isEmpty()) {
                b.load();
            }
        }
        showMessage(b);
    }
    m_loading = false;
    emit refreshed();
}

} // namespace tollgate::ui
