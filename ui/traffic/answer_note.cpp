#include "traffic/answer_note.h"

#include <QCoreApplication>

namespace tollgate::ui {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("AnswerNote", text);
}
} // namespace

QString answerNote(int status, const QString& reason, int ruleStatus) {
    if (ruleStatus == 0) {
        return {}; // explain could not answer; it says why itself
    }
    const QString answered =
        reason.isEmpty() ? QString::number(status) : QStringLiteral("%1 %2").arg(status).arg(reason);
    if (status == ruleStatus) {
        return {};
    }
    if (ruleStatus != 200) {
        return tr("Answered %1 at the time; today's rules answer %2: the config changed since.")
            .arg(answered)
            .arg(ruleStatus);
    }
    if (reason == QLatin1String("limit.rate")) {
        return tr("Answered %1 at the time: the consumer's rate limit was used up. Counters are not "
                  "part of the rules below, which allow the request.")
            .arg(answered);
    }
    if (reason == QLatin1String("limit.quota")) {
        return tr("Answered %1 at the time: the consumer's quota for the period was used up. Counters "
                  "are not part of the rules below, which allow the request.")
            .arg(answered);
    }
    if (reason.startsWith(QLatin1String("upstream."))) {
        return tr("Answered %1 at the time: the rules let it through and the upstream failed.").arg(answered);
    }
    if (reason.isEmpty()) {
        return tr("Answered %1 at the time by the upstream; the gateway's rules allow the request.")
            .arg(answered);
    }
    return tr("Answered %1 at the time; today's rules allow the request: the config changed since.")
        .arg(answered);
}

} // namespace tollgate::ui
