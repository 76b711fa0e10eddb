// The console's models over the demo workspace: each passes QAbstractItemModelTester, and shows
// what the config says in the words of the YAML (and never a key's hash).

#include "models/api_tree_model.h"
#include "models/config_text.h"
#include "models/consumer_table_model.h"
#include "models/explain_chain_model.h"
#include "models/plan_table_model.h"
#include "models/service_tree_model.h"
#include "ui_test_support.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

QString cell(const QAbstractItemModel& m, int row, int column, const QModelIndex& parent = {}) {
    return m.data(m.index(row, column, parent)).toString();
}

// Every cell of every row, for "this text appears nowhere".
QString allText(const QAbstractItemModel& m, const QModelIndex& parent = {}) {
    QString text;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        for (int c = 0; c < m.columnCount(parent); ++c) {
            text += m.data(m.index(r, c, parent)).toString() + QLatin1Char('|');
            text += m.data(m.index(r, c, parent), Qt::ToolTipRole).toString() + QLatin1Char('|');
        }
        text += allText(m, m.index(r, 0, parent));
    }
    return text;
}

} // namespace

class ModelsTest : public QObject {
    Q_OBJECT
private slots:
    void apiTree_listsApisWithTheirRoutes() {
        ApiTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setApis(test::demoConfig().apis);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, 0, ApiTreeModel::Name), QStringLiteral("orders  v1"));
        QCOMPARE(cell(model, 0, ApiTreeModel::Access), QStringLiteral("key, jwt"));
        QCOMPARE(cell(model, 0, ApiTreeModel::Service), QStringLiteral("echo"));
        QVERIFY(cell(model, 1, ApiTreeModel::Lifecycle)
                    .startsWith(QStringLiteral("deprecated, sunset 2027-06-30")));
        const QModelIndex orders = model.index(0, 0);
        QCOMPARE(model.rowCount(orders), 4);
        QCOMPARE(cell(model, 1, ApiTreeModel::Name, orders), QStringLiteral("get"));
        QCOMPARE(cell(model, 1, ApiTreeModel::Path, orders), QStringLiteral("/orders/v1/{id}"));
        QCOMPARE(cell(model, 3, ApiTreeModel::Methods, orders), QStringLiteral("GET, POST, DELETE"));
        QCOMPARE(model.routeIndex(1, 2).data().toString(), QStringLiteral("restock"));
        QVERIFY(!model.routeIndex(2, 0).isValid());
        QCOMPARE(model.rowCount(model.routeIndex(0, 0)), 0);
    }

    void apiTree_resetToEmpty() {
        ApiTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setApis(test::demoConfig().apis);
        model.setApis({});
        QCOMPARE(model.rowCount(), 0);
    }

    void serviceTree_showsTargetsWeightsAndTimeouts() {
        Config config = test::demoConfig();
        ServiceConfig second;
        second.name = "orders-backend";
        second.balance = Balance::ConsistentHash;
        second.hashOn = "header:X-User";
        second.targets.push_back({"http://127.0.0.1:9001", "http", "127.0.0.1", 9001, 2, {}});
        second.targets.push_back({"http://127.0.0.1:9002", "http", "127.0.0.1", 9002, 1, {}});
        second.health = HealthConfig{};
        config.services.push_back(second);
        ServiceTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setServices(config.services);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, 0, ServiceTreeModel::Name), QStringLiteral("echo"));
        QCOMPARE(cell(model, 0, ServiceTreeModel::Timeouts), QStringLiteral("connect 2s, read 30s"));
        QCOMPARE(cell(model, 1, ServiceTreeModel::Balance),
                 QStringLiteral("consistent hash on header:X-User"));
        QVERIFY(cell(model, 1, ServiceTreeModel::Health).startsWith(QStringLiteral("/healthz every 5s")));
        const QModelIndex backend = model.index(1, 0);
        QCOMPARE(model.rowCount(backend), 2);
        QCOMPARE(cell(model, 0, ServiceTreeModel::Name, backend), QStringLiteral("http://127.0.0.1:9001"));
        QCOMPARE(cell(model, 0, ServiceTreeModel::Weight, backend), QStringLiteral("2"));
    }

    void consumers_showPlanStatusAndCredentialIdsNeverHashes() {
        const Config config = test::demoConfig();
        ConsumerTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setConsumers(config.consumers);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(cell(model, 0, ConsumerTableModel::Name), QStringLiteral("acme"));
        QCOMPARE(cell(model, 0, ConsumerTableModel::Plan), QStringLiteral("free"));
        QCOMPARE(cell(model, 0, ConsumerTableModel::Credentials), QStringLiteral("key acme-1"));
        QCOMPARE(cell(model, 0, ConsumerTableModel::Grants), QStringLiteral("orders: create"));
        QCOMPARE(cell(model, 0, ConsumerTableModel::Denies), QStringLiteral("orders: admin"));
        QCOMPARE(cell(model, 1, ConsumerTableModel::IpAllow), QStringLiteral("127.0.0.0/8, ::1"));
        QCOMPARE(cell(model, 2, ConsumerTableModel::Denies), QStringLiteral("orders: admin (DELETE)"));
        QCOMPARE(cell(model, 3, ConsumerTableModel::Status), QStringLiteral("suspended"));
        const QString text = allText(model);
        QVERIFY(!text.contains(QStringLiteral("sha256")));
        QVERIFY(!text.contains(QStringLiteral("8649cdeb")));
    }

    void consumers_jwtCredentialShowsItsIssuer() {
        CredentialConfig jwt;
        jwt.type = CredentialConfig::Type::Jwt;
        jwt.issuer = "https://auth.acme.example";
        jwt.secretEnv = "ACME_SECRET";
        QCOMPARE(credentialText(jwt), QStringLiteral("jwt https://auth.acme.example"));
    }

    void plans_showLimitsQuotaPriceGrantsAndWhoIsOnThem() {
        const Config config = test::demoConfig();
        PlanTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPlans(config.plans, config.consumers);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(model, 0, PlanTableModel::RateLimits), QStringLiteral("10/s, 1\u202F000/h"));
        QCOMPARE(cell(model, 0, PlanTableModel::Quota), QStringLiteral("10\u202F000/month, then blocked"));
        QCOMPARE(cell(model, 0, PlanTableModel::Price), QStringLiteral("free"));
        QCOMPARE(cell(model, 0, PlanTableModel::Grants),
                 QStringLiteral("orders: list, get; inventory: items, item"));
        QCOMPARE(cell(model, 0, PlanTableModel::Consumers), QStringLiteral("2"));
        QCOMPARE(cell(model, 1, PlanTableModel::Quota),
                 QStringLiteral("1\u202F000\u202F000/month, then billed"));
        QCOMPARE(cell(model, 1, PlanTableModel::Price), QStringLiteral("USD 49/month + 0.5/1000 over quota"));
        QCOMPARE(cell(model, 2, PlanTableModel::Quota), QStringLiteral("none"));
        QCOMPARE(cell(model, 2, PlanTableModel::Grants),
                 QStringLiteral("orders: all routes (GET, POST); inventory: all routes"));
    }

    void explainChain_splitsStepsAndMarksTheDecidingRule() {
        ExplainChainModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ExplainQuery q;
        q.consumer = "acme";
        q.method = "DELETE";
        q.path = "/orders/v1/admin/x";
        const ExplainResult denied = explain(test::demoConfig(), q);
        model.setResult(denied);
        QVERIFY(model.rowCount() >= 3);
        QCOMPARE(cell(model, 0, ExplainChainModel::Step), QStringLiteral("ip_rules"));
        QVERIFY(model.decidingRow() >= 0);
        QCOMPARE(cell(model, model.decidingRow(), ExplainChainModel::Step), QStringLiteral("authz"));
        QVERIFY(cell(model, model.decidingRow(), ExplainChainModel::Detail)
                    .startsWith(QStringLiteral("deny.explicit")));
        QVERIFY(model.index(model.decidingRow(), 0).data(Qt::FontRole).value<QFont>().bold());
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.decidingRow(), -1);
    }

    void configText_writesValuesAsTheYamlDoes() {
        QCOMPARE(durationText(Millis(250)), QStringLiteral("250ms"));
        QCOMPARE(durationText(Millis(10'000)), QStringLiteral("10s"));
        QCOMPARE(durationText(Millis(300'000)), QStringLiteral("5m"));
        QCOMPARE(durationText(Millis(86'400'000)), QStringLiteral("1d"));
        QCOMPARE(sizeText(16 * 1024), QStringLiteral("16KiB"));
        QCOMPARE(sizeText(1000), QStringLiteral("1000 B"));
        QCOMPARE(countText(1234567), QStringLiteral("1\u202F234\u202F567"));
        QCOMPARE(methodsText({}), QStringLiteral("any"));
    }
};

QTEST_MAIN(ModelsTest)
#include "models_test.moc"
