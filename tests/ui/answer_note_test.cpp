// The detail pane's note when the answer given at the time differs from what today's rules say.
#include "traffic/answer_note.h"

#include <QtTest>

using namespace tollgate::ui;

class AnswerNoteTest : public QObject {
    Q_OBJECT
private slots:
    void countersAndUpstreamsSayWhichPartAnswered() {
        const QString rate = answerNote(429, QStringLiteral("limit.rate"), 200);
        QVERIFY(rate.contains(QStringLiteral("429 limit.rate")));
        QVERIFY(rate.contains(QStringLiteral("rate limit was used up")));
        QVERIFY(answerNote(429, QStringLiteral("limit.quota"), 200).contains(QStringLiteral("quota")));
        QVERIFY(answerNote(502, QStringLiteral("upstream.unavailable"), 200)
                    .contains(QStringLiteral("upstream failed")));
        QVERIFY(answerNote(404, QString(), 200).contains(QStringLiteral("by the upstream")));
    }

    void agreementNeedsNoNote() {
        QVERIFY(answerNote(200, QString(), 200).isEmpty());
        QVERIFY(answerNote(403, QStringLiteral("deny.no_grant"), 403).isEmpty());
        QVERIFY(answerNote(429, QStringLiteral("limit.rate"), 0).isEmpty()); // explain failed: it says why
    }

    void rulesThatChangedSaySo() {
        const QString note = answerNote(403, QStringLiteral("deny.no_grant"), 200);
        QVERIFY(note.contains(QStringLiteral("403 deny.no_grant")));
        QVERIFY(note.contains(QStringLiteral("config changed")));
        // A counter refusal whose request the rules now deny: the rules changed, not the counter.
        QVERIFY(answerNote(429, QStringLiteral("limit.rate"), 403).contains(QStringLiteral("answer 403")));
    }
};

QTEST_MAIN(AnswerNoteTest)
#include "answer_note_test.moc"
