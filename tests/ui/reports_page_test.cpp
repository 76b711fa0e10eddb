// The Reports page against a running embedded gateway: known requests of known consumers reach the
// store, and the table, the totals and the exports say what the core's billing report says; month
// navigation, the plan filter, sorting, F5, and the messages for an empty month and a missing store.

#include "bridge/engine_controller.h"
#include "main_window.h"
#include "models/billing_table_model.h"
#include "pages/reports_page.h"
#include "reports/quota_bar_delegate.h"
#include "ui_test_support.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDateEdit>
#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTreeView>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

int send(QNetworkAccessManager& net, const QString& method, const QString& url, const QByteArray& key) {
    QNetworkRequest request{QUrl(url)};
    if (!key.isEmpty()) {
        request.setRawHeader("apikey", key);
    }
    QNetworkReply* reply = net.sendCustomRequest(request, method.toLatin1());
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(5000)) {
        return -1;
    }
    reply->deleteLater();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

BillingPeriod thisMonth() {
    BillingPeriod p;
    std::string error;
    const QString text = QDateTime::currentDateTimeUtc().date().toString(QStringLiteral("yyyy-MM"));
    if (!parseBillingPeriod(text.toStdString(), p, error)) {
        qFatal("%s", error.c_str());
    }
    return p;
}

const BillingRow* find(const std::vector<BillingRow>& rows, const std::string& consumer) {
    for (const BillingRow& r : rows) {
        if (r.consumer == consumer) {
            return &r;
        }
    }
    return nullptr;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

BillingRow billingRow(const char* consumer, const char* plan, uint64_t requests,
                      std::optional<uint64_t> quota, uint64_t overage, double price, const char* currency) {
    BillingRow r;
    r.consumer = consumer;
    r.plan = plan;
    r.requests = requests;
    r.refused = requests / 10;
    r.quota = quota;
    r.overage = overage;
    r.price = price;
    r.currency = currency;
    return r;
}

} // namespace

class ReportsPageTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void model_sortsNumbersAsNumbersAndTotalsPerCurrency() {
        BillingTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows({billingRow("acme", "pro", 112'001, 100'000, 12'001, 81.5, "EUR"),
                       billingRow("globex", "free", 9, 10'000, 0, 0, "USD"),
                       billingRow("initech", "partner", 1'000, std::nullopt, 0, 0, ""),
                       billingRow("umbrella", "pro", 20, 100'000, 0, 49, "EUR")});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(BillingTableModel::ColumnCount));
        const auto at = [&](int row, int column, int role = Qt::DisplayRole) {
            return model.data(model.index(row, column), role);
        };
        QCOMPARE(at(0, BillingTableModel::Price).toString(), QStringLiteral("81.50 EUR"));
        QCOMPARE(at(1, BillingTableModel::Requests, BillingTableModel::SortRole).toULongLong(), 9ULL);
        QCOMPARE(at(0, BillingTableModel::QuotaUse, BillingTableModel::QuotaFractionRole).toDouble(),
                 1.12001);
        QVERIFY(!at(2, BillingTableModel::QuotaUse, BillingTableModel::QuotaFractionRole).isValid());
        QCOMPARE(at(2, BillingTableModel::QuotaUse).toString(), QStringLiteral("no quota"));

        // Sorted as numbers, 9 comes before 20 and 1,000 (as text it would come last).
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(BillingTableModel::SortRole);
        proxy.sort(BillingTableModel::Requests, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, BillingTableModel::Consumer).data().toString(), QStringLiteral("globex"));
        QCOMPARE(proxy.index(3, BillingTableModel::Consumer).data().toString(), QStringLiteral("acme"));
        proxy.sort(BillingTableModel::QuotaUse, Qt::AscendingOrder); // no quota first
        QCOMPARE(proxy.index(0, BillingTableModel::Consumer).data().toString(), QStringLiteral("initech"));

        const BillingTotals all = billingTotals(model.rows());
        QCOMPARE(all.consumers, 4);
        QCOMPARE(all.requests, uint64_t(113'030));
        QCOMPARE(all.overage, uint64_t(12'001));
        QCOMPARE(all.price.size(), size_t(3));
        QCOMPARE(all.price.at("EUR"), 130.5);
        QCOMPARE(formatPriceTotals(all.price), QStringLiteral("130.50 EUR + 0.00 USD"));
        const std::vector<BillingRow> pro = model.rowsOfPlan(QStringLiteral("pro"));
        QCOMPARE(pro.size(), size_t(2));
        QCOMPARE(pro[1].consumer, std::string("umbrella"));
        QCOMPARE(model.rowsOfPlan({}).size(), size_t(4));
    }

    void quotaBar_turnsRedPastTheQuota() {
        BillingTableModel model;
        model.setRows({billingRow("over", "pro", 112'001, 100'000, 12'001, 81.5, "EUR"),
                       billingRow("half", "pro", 50'000, 100'000, 0, 49, "EUR")});
        QTreeView view;
        view.setModel(&model);
        view.setItemDelegateForColumn(BillingTableModel::QuotaUse, new QuotaBarDelegate(&view));
        view.resize(1000, 200);
        view.setColumnWidth(BillingTableModel::QuotaUse, 320);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QImage image = view.viewport()->grab().toImage();
        const auto redPixels = [&](int row) {
            const QRect cell = view.visualRect(model.index(row, BillingTableModel::QuotaUse));
            int n = 0;
            for (int y = cell.top(); y <= cell.bottom(); ++y) {
                for (int x = cell.left(); x <= cell.right(); ++x) {
                    const QColor c = image.pixelColor(x * image.width() / view.viewport()->width(),
                                                      y * image.height() / view.viewport()->height());
                    n += c.red() > 180 && c.green() < 90 && c.blue() < 90 ? 1 : 0;
                }
            }
            return n;
        };
        QVERIFY(redPixels(0) > QuotaBarDelegate::kBarWidth); // the whole bar, and the percentage
        QCOMPARE(redPixels(1), 0);
    }

    void page_showsWhatTheCoreBillsAndExportsIt() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(test::openDemoWindow(w, dir, true));
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Running, 10000);
        QTRY_VERIFY(!w.gatewayUrl().isEmpty());
        const std::string storePath = w.controller()->status().storePath;
        QVERIFY(!storePath.empty());
        const std::shared_ptr<const Config> config = w.controller()->config();

        QNetworkAccessManager net;
        const QString url = w.gatewayUrl();
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(send(net, QStringLiteral("GET"), url + QStringLiteral("/orders/v1/%1").arg(i),
                          "demo-key-acme"),
                     200);
        }
        // acme's plan denies the admin route: refused by the gateway, not billed.
        QCOMPARE(
            send(net, QStringLiteral("DELETE"), url + QStringLiteral("/orders/v1/admin/x"), "demo-key-acme"),
            403);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(send(net, QStringLiteral("GET"), url + QStringLiteral("/inventory/v1/items"),
                          "demo-key-globex"),
                     200);
        }
        // A suspended consumer is refused by the gateway: counted, not billed.
        QCOMPARE(send(net, QStringLiteral("GET"), url + QStringLiteral("/orders/v1/7"), "demo-key-umbrella"),
                 403);
        // Anonymous: no consumer to bill.
        QCOMPARE(send(net, QStringLiteral("GET"), url + QStringLiteral("/orders/v1/1"), QByteArray()), 401);

        // The writer flushes about once a second, into the minute, hour and day rows in one
        // transaction: the report sees a request once that flush committed, no roll-up needed.
        const BillingPeriod period = thisMonth();
        std::vector<BillingRow> expected;
        const auto stored = [&] {
            std::string error;
            expected.clear();
            if (!billingReport(*config, storePath, period, expected, error)) {
                return false;
            }
            const BillingRow* acme = find(expected, "acme");
            const BillingRow* globex = find(expected, "globex");
            const BillingRow* umbrella = find(expected, "umbrella");
            return acme && globex && umbrella && acme->requests == 5 && acme->refused == 1 &&
                   globex->requests == 3 && umbrella->refused == 1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(stored(), 10000);

        w.showPage(MainWindow::Reports);
        ReportsPage* page = w.reportsPage();
        QVERIFY(page);
        QCOMPARE(page->period(), QDate(int(period.year), period.month, 1));
        QSignalSpy shown(page, &ReportsPage::reportShown);
        page->refresh();
        QVERIFY(shown.wait(10000));
        QVERIFY(page->lastResult().ok);
        QVERIFY(page->lastResult().running);

        // Row by row, the numbers the core computed.
        BillingTableModel* model = page->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->rowCount(), int(expected.size()));
        QCOMPARE(model->rowCount(), 4); // every consumer of the demo, with or without traffic
        for (int row = 0; row < model->rowCount(); ++row) {
            const BillingRow& e = expected[size_t(row)];
            const auto cell = [&](int column) {
                return model->data(model->index(row, column), BillingTableModel::SortRole);
            };
            QCOMPARE(cell(BillingTableModel::Consumer).toString().toStdString(), e.consumer);
            QCOMPARE(cell(BillingTableModel::Plan).toString().toStdString(), e.plan);
            QCOMPARE(uint64_t(cell(BillingTableModel::Requests).toULongLong()), e.requests);
            QCOMPARE(uint64_t(cell(BillingTableModel::Refused).toULongLong()), e.refused);
            QCOMPARE(uint64_t(cell(BillingTableModel::Overage).toULongLong()), e.overage);
            QCOMPARE(cell(BillingTableModel::Price).toDouble(), e.price);
            QCOMPARE(model
                         ->data(model->index(row, BillingTableModel::QuotaUse),
                                BillingTableModel::QuotaFractionRole)
                         .isValid(),
                     e.quota.has_value());
        }
        QCOMPARE(model->data(model->index(0, BillingTableModel::QuotaUse)).toString(),
                 QStringLiteral("5 of %1").arg(QLocale().toString(10000)));
        QCOMPARE(model->data(model->index(1, BillingTableModel::Price)).toString(),
                 QStringLiteral("49.00 USD"));
        QCOMPARE(find(expected, "umbrella")->requests, uint64_t(0));
        const BillingTotals totals = billingTotals(expected);
        QCOMPARE(totals.requests, uint64_t(8));
        QCOMPARE(totals.refused, uint64_t(2));
        QVERIFY2(
            page->totalsLabel()->text().contains(QStringLiteral("<b>%1</b> requests").arg(totals.requests)),
            qPrintable(page->totalsLabel()->text()));
        QVERIFY(page->totalsLabel()->text().contains(formatPriceTotals(totals.price)));
        QVERIFY(!page->messageLabel()->isVisibleTo(page)); // traffic, a running gateway: nothing to say

        // The exports are the core's, byte for byte.
        const QString csvPath = dir.filePath(QStringLiteral("report.csv"));
        QString error;
        QVERIFY2(page->exportTo(csvPath, ReportsPage::Format::Csv, &error), qPrintable(error));
        QCOMPARE(readAll(csvPath), QByteArray::fromStdString(billingCsv(expected)));
        const QString jsonPath = dir.filePath(QStringLiteral("report.json"));
        QVERIFY(page->exportTo(jsonPath, ReportsPage::Format::Json, &error));
        QCOMPARE(readAll(jsonPath), QByteArray::fromStdString(billingJson(period, expected)));
        QVERIFY(!page->exportTo(dir.filePath(QStringLiteral("missing/report.csv")), ReportsPage::Format::Csv,
                                &error));
        QVERIFY(!error.isEmpty());

        // Sorting by a header click, on numbers: globex (3) then acme (5) descending is acme first.
        page->view()->sortByColumn(BillingTableModel::Requests, Qt::DescendingOrder);
        QCOMPARE(page->proxy()->index(0, 0).data().toString(), QStringLiteral("acme"));
        QCOMPARE(page->proxy()->index(1, 0).data().toString(), QStringLiteral("globex"));

        // The plan filter narrows the table, the totals and the export.
        QComboBox* plan = page->planFilter();
        const int free = plan->findData(QStringLiteral("free"));
        QVERIFY(free > 0);
        plan->setCurrentIndex(free);
        QCOMPARE(page->proxy()->rowCount(), 2); // acme, umbrella
        std::vector<BillingRow> freeRows;
        for (const BillingRow& r : expected) {
            if (r.plan == "free") {
                freeRows.push_back(r);
            }
        }
        QVERIFY(page->totalsLabel()->text().contains(QStringLiteral("for 2 consumers")));
        QVERIFY(page->exportTo(csvPath, ReportsPage::Format::Csv));
        QCOMPARE(readAll(csvPath), QByteArray::fromStdString(billingCsv(freeRows)));
        plan->setCurrentIndex(0);
        QCOMPARE(page->proxy()->rowCount(), 4);

        // Last month: no traffic, every consumer at its plan's monthly price, and a message saying so.
        QTest::mouseClick(page->previousButton(), Qt::LeftButton);
        const QDate previous = QDate(int(period.year), period.month, 1).addMonths(-1);
        QCOMPARE(page->monthEdit()->date(), previous);
        QTRY_VERIFY_WITH_TIMEOUT(page->lastResult().period.month == previous.month(), 10000);
        QCOMPARE(page->lastResult().period.year, previous.year());
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(billingTotals(model->rows()).requests, uint64_t(0));
        QVERIFY(page->messageLabel()->isVisibleTo(page));
        QVERIFY2(page->messageLabel()->text().contains(QStringLiteral("No traffic recorded")),
                 qPrintable(page->messageLabel()->text()));
        QVERIFY(page->totalsLabel()->text().contains(QStringLiteral("49.00 USD"))); // globex's pro plan

        // Forward twice: next month, then back with "this month"'s figures through the month editor.
        QTest::mouseClick(page->nextButton(), Qt::LeftButton);
        QTest::mouseClick(page->nextButton(), Qt::LeftButton);
        QCOMPARE(page->period(), previous.addMonths(2));
        QTRY_VERIFY_WITH_TIMEOUT(page->lastResult().period.month == previous.addMonths(2).month(), 10000);
        page->monthEdit()->setDate(previous.addMonths(1));
        QTRY_VERIFY_WITH_TIMEOUT(page->lastResult().period.month == period.month, 10000);
        QCOMPARE(find(model->rows(), "acme")->requests, uint64_t(5));

        // F5 on this page re-reads the report; it does not start or stop the gateway.
        w.controller()->stop();
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Stopped, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!page->lastResult().running, 10000);
        shown.clear();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        page->view()->setFocus();
        QTest::keyClick(page->view(), Qt::Key_F5);
        QVERIFY(shown.wait(10000));
        QCOMPARE(w.controller()->state(), GatewayState::Stopped);
        QVERIFY(page->lastResult().ok); // the store outlives the gateway
        QCOMPARE(find(model->rows(), "acme")->requests, uint64_t(5));
        QVERIFY(page->messageLabel()->text().contains(QStringLiteral("not running")));
        // Elsewhere F5 is Start again.
        w.showPage(MainWindow::Consumers);
        QCOMPARE(w.action(QStringLiteral("start"))->shortcut(), QKeySequence(Qt::Key_F5));
    }

    void page_saysWhenNothingHasBeenRecorded() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(test::openDemoWindow(w, dir));
        ReportsPage* page = w.reportsPage();
        QSignalSpy shown(page, &ReportsPage::reportShown);
        w.showPage(MainWindow::Reports);
        QVERIFY(shown.wait(10000));
        QVERIFY(page->lastResult().storeMissing);
        QVERIFY(!page->lastResult().ok);
        QCOMPARE(page->model()->rowCount(), 0);
        QVERIFY(page->messageLabel()->isVisibleTo(page));
        QVERIFY2(page->messageLabel()->text().contains(QStringLiteral("does not exist")),
                 qPrintable(page->messageLabel()->text()));
        QVERIFY(page->messageLabel()->text().contains(dir.filePath(QStringLiteral("test.db"))));
        QVERIFY(!page->exportTo(dir.filePath(QStringLiteral("r.csv")), ReportsPage::Format::Csv));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("r.csv"))));
    }
};

QTEST_MAIN(ReportsPageTest)
#include "reports_page_test.moc"
