#pragma once
// Shows a freshly issued API key once: the only place the clear key ever appears. The config keeps
// its hash only, so the dialog says so and offers a copy button; closing it forgets the key.
// UI thread only.

#include <QDialog>

class QLabel;
class QPushButton;

namespace tollgate::ui {

class NewKeyDialog : public QDialog {
    Q_OBJECT
public:
    NewKeyDialog(const QString& key, const QString& credentialId, const QString& consumer,
                 QWidget* parent = nullptr);

    QString key() const;
    QPushButton* copyButton() const { return m_copy; }

private:
    QLabel* m_key;
    QPushButton* m_copy;
};

} // namespace tollgate::ui
