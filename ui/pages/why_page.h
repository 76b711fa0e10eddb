#pragma once
// "Why?": choose a consumer, a method and a path; see what the gateway would answer and the chain
// of rules behind it (the core's explain(), run on the controller's thread).

#include "tollgate/explain.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTreeView;

namespace tollgate::ui {

class EngineController;
class ExplainChainModel;

class WhyPage : public QWidget {
    Q_OBJECT
public:
    WhyPage(EngineController* controller, QWidget* parent = nullptr);

    // Fills the consumer list from the controller's config (keeps the choice when it still exists).
    void refreshConsumers();
    // Sets the fields and asks; the answer arrives asynchronously (resultReady).
    void ask(const QString& consumer, const QString& method, const QString& path);

    const ExplainResult& lastResult() const { return m_last; }
    ExplainChainModel* chainModel() const { return m_chain; }

signals:
    void resultReady(const tollgate::ExplainResult& result);

private:
    void askFromFields();
    void showResult(quint64 ticket, const ExplainResult& result);

    EngineController* m_controller;
    QComboBox* m_consumer;
    QComboBox* m_method;
    QComboBox* m_path;
    QLabel* m_badge;
    QLabel* m_summary;
    QTreeView* m_chainView;
    ExplainChainModel* m_chain;
    quint64 m_ticket = 0;
    ExplainResult m_last;
};

} // namespace tollgate::ui
