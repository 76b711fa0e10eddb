// MainWindow's editing: undo and redo, Save, Apply with its diff, a file changed by another program,
// and the unsaved-changes question on close. The edits themselves live in ConfigDocument.
#include "main_window.h"

#include "bridge/engine_controller.h"
#include "dialogs/apply_dialog.h"
#include "document/config_diff.h"
#include "notice_bar.h"

#include <QAction>
#include <QCloseEvent>
#include <QMessageBox>
#include <QStatusBar>
#include <QUndoStack>

namespace tollgate::ui {

void MainWindow::buildEditActions() {
    ConfigDocument* doc = m_workspace.document();
    auto name = [this](QAction* a, const char* objectName, const QString& tip) {
        a->setObjectName(QLatin1String(objectName));
        a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, a->shortcut().toString(QKeySequence::NativeText)));
        addAction(a);
        return a;
    };
    m_undo = name(doc->undoStack()->createUndoAction(this, tr("&Undo")), "undo", tr("Undo the last edit"));
    m_undo->setShortcut(QKeySequence::Undo);
    m_undo->setIcon(QIcon(QStringLiteral(":/icons/undo.svg")));
    m_redo = name(doc->undoStack()->createRedoAction(this, tr("&Redo")), "redo", tr("Redo"));
    m_redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::Key_Y)});
    m_redo->setIcon(QIcon(QStringLiteral(":/icons/redo.svg")));

    m_save = name(new QAction(QIcon(QStringLiteral(":/icons/save.svg")), tr("&Save"), this), "save",
                  tr("Save the workspace file"));
    m_save->setShortcut(QKeySequence::Save);
    m_save->setToolTip(
        tr("Save the workspace file (%1)").arg(m_save->shortcut().toString(QKeySequence::NativeText)));
    m_apply = name(new QAction(QIcon(QStringLiteral(":/icons/apply.svg")), tr("&Apply"), this), "apply",
                   tr("Apply the edits to the running gateway"));
    m_apply->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_apply->setToolTip(tr("Apply the edits to the running gateway (%1)")
                            .arg(m_apply->shortcut().toString(QKeySequence::NativeText)));
    m_reload =
        name(new QAction(tr("Re&load from disk"), this), "reload", tr("Read the workspace file again"));

    connect(m_save, &QAction::triggered, this, &MainWindow::saveDocument);
    connect(m_apply, &QAction::triggered, this, &MainWindow::applyEdits);
    connect(m_reload, &QAction::triggered, this, &MainWindow::reloadDocument);
    connect(doc, &ConfigDocument::changed, this, &MainWindow::onDocumentChanged);
    connect(doc, &ConfigDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(doc, &ConfigDocument::changedOnDisk, this, &MainWindow::onChangedOnDisk);
    connect(m_controller, &EngineController::applied, this, [this](bool ok, const QString& message) {
        if (ok) {
            statusBar()->showMessage(tr("Applied: the gateway runs the edited configuration."), 5000);
        } else {
            m_notice->showNotice(
                NoticeBar::Kind::Error,
                tr("The gateway refused the configuration: %1").arg(message.toHtmlEscaped()));
        }
    });
}

void MainWindow::updateTitle() {
    const bool modified = m_workspace.document()->isModified();
    setWindowTitle(tr("%1[*] — Tollgate").arg(m_workspace.displayName()));
    setWindowModified(modified);
    m_save->setEnabled(m_workspace.document()->isOpen());
}

void MainWindow::onDocumentChanged() {
    loadModels();
    const ConfigDocument* doc = m_workspace.document();
    m_apply->setEnabled(doc->isValid());
    if (m_opening) {
        return; // openWorkspace() says what it found
    }
    if (doc->isValid()) {
        if (m_showingEditProblem) {
            m_notice->hide();
            m_showingEditProblem = false;
        }
        return;
    }
    const QStringList problems = doc->problemTexts();
    m_notice->showNotice(NoticeBar::Kind::Warning,
                         tr("The edits are not valid yet (%n problem(s)); Apply waits. The first: %1",
                            nullptr, int(problems.size()))
                             .arg(problems.isEmpty() ? QString() : problems.first().toHtmlEscaped()),
                         {{tr("Undo"), [this] { m_workspace.document()->undoStack()->undo(); }}});
    m_showingEditProblem = true;
}

bool MainWindow::applyEdits() {
    ConfigDocument* doc = m_workspace.document();
    if (!doc->isValid()) {
        const QStringList problems = doc->problemTexts();
        m_notice->showNotice(
            NoticeBar::Kind::Error,
            tr("Nothing applied: %1")
                .arg(problems.isEmpty() ? tr("the file did not load") : problems.first().toHtmlEscaped()));
        return false;
    }
    const GatewayState state = m_controller->state();
    if (state != GatewayState::Running) {
        // Nothing to swap into: the next start uses the edited config.
        m_controller->setConfig(engineConfig());
        statusBar()->showMessage(
            tr("The gateway is not running; it will start with the edited configuration."), 5000);
        return true;
    }
    const auto running = m_controller->config();
    const std::vector<DiffLine> lines =
        configDiff(running ? running->sourceText : std::string(), doc->text());
    auto* dialog = new ApplyDialog(lines, m_url, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        m_controller->setConfig(engineConfig());
        m_controller->apply();
    });
    dialog->open();
    return true;
}

bool MainWindow::saveDocument() {
    ConfigDocument* doc = m_workspace.document();
    QString error;
    if (!doc->save(&error)) {
        m_notice->showNotice(
            NoticeBar::Kind::Error,
            tr("%1 was not saved: %2").arg(m_workspace.displayName().toHtmlEscaped(), error.toHtmlEscaped()),
            {{tr("Try again"), [this] { saveDocument(); }}});
        return false;
    }
    statusBar()->showMessage(
        doc->isValid()
            ? tr("Saved %1").arg(doc->path())
            : tr("Saved %1 (it still has problems: the gateway will not load it)").arg(doc->path()),
        5000);
    return true;
}

void MainWindow::reloadDocument() {
    openWorkspace(m_workspace.path(), false);
}

void MainWindow::onChangedOnDisk() {
    const QString name = m_workspace.displayName().toHtmlEscaped();
    const QString text =
        m_workspace.document()->isModified()
            ? tr("<b>%1</b> was changed by another program. Reloading drops your unsaved edits.").arg(name)
            : tr("<b>%1</b> was changed by another program.").arg(name);
    m_notice->showNotice(NoticeBar::Kind::Warning, text,
                         {{tr("Reload"), [this] { reloadDocument(); }}, {tr("Keep mine"), [] {}}});
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!m_workspace.document()->isModified()) {
        event->accept();
        return;
    }
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"),
        tr("%1 has unsaved changes. Save them before closing?").arg(m_workspace.displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !saveDocument())) {
        event->ignore();
        return;
    }
    event->accept();
}

} // namespace tollgate::ui
