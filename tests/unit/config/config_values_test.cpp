// Scalar parsers of the config file: durations, sizes, CIDRs, and the error line format.
#include "tollgate/config.h"

#include <QTest>

using namespace tollgate;

namespace {

std::string bytesOf(const Cidr& c) {
    std::string out;
    const int n = c.v6 ? 16 : 4;
    for (int i = 0; i < n; ++i) {
        out += std::to_string(c.addr[i]);
        out += i + 1 < n ? "." : "";
    }
    return out;
}

} // namespace

class ConfigValuesTest : public QObject {
    Q_OBJECT
private slots:
    void parseDuration_acceptsEveryUnit_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("millis");
        QTest::newRow("ms") << "250ms" << qint64(250);
        QTest::newRow("s") << "10s" << qint64(10'000);
        QTest::newRow("m") << "5m" << qint64(300'000);
        QTest::newRow("h") << "1h" << qint64(3'600'000);
        QTest::newRow("d") << "1d" << qint64(86'400'000);
        QTest::newRow("zero") << "0s" << qint64(0);
        QTest::newRow("leading zeros") << "007s" << qint64(7'000);
    }
    void parseDuration_acceptsEveryUnit() {
        QFETCH(QString, text);
        QFETCH(qint64, millis);
        const auto d = parseDuration(text.toStdString());
        QVERIFY(d.has_value());
        QCOMPARE(qint64(d->count()), millis);
    }

    void parseDuration_rejectsMalformed_data() {
        QTest::addColumn<QString>("text");
        for (const char* bad : {"", "10", "s", "10 s", "10sec", "1.5s", "-1s", "+1s", "10S", "1w", "ms10",
                                "99999999999999999999d", "106751991167d"}) {
            QTest::newRow(bad) << QString(bad);
        }
    }
    void parseDuration_rejectsMalformed() {
        QFETCH(QString, text);
        QVERIFY(!parseDuration(text.toStdString()).has_value());
    }

    void parseSize_acceptsBytesAndBinaryUnits_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<quint64>("bytes");
        QTest::newRow("plain") << "512" << quint64(512);
        QTest::newRow("B") << "512B" << quint64(512);
        QTest::newRow("KiB") << "16KiB" << quint64(16 * 1024);
        QTest::newRow("MiB") << "10MiB" << quint64(10 * 1024 * 1024);
        QTest::newRow("GiB") << "1GiB" << quint64(1024ull * 1024 * 1024);
        QTest::newRow("zero") << "0" << quint64(0);
    }
    void parseSize_acceptsBytesAndBinaryUnits() {
        QFETCH(QString, text);
        QFETCH(quint64, bytes);
        const auto s = parseSize(text.toStdString());
        QVERIFY(s.has_value());
        QCOMPARE(quint64(*s), bytes);
    }

    void parseSize_rejectsMalformed_data() {
        QTest::addColumn<QString>("text");
        for (const char* bad : {"", "KiB", "10MB", "10kib", "10 KiB", "1.5MiB", "-1", "10TiB",
                                "99999999999GiB", "18446744073709551616"}) {
            QTest::newRow(bad) << QString(bad);
        }
    }
    void parseSize_rejectsMalformed() {
        QFETCH(QString, text);
        QVERIFY(!parseSize(text.toStdString()).has_value());
    }

    void parseCidr_bareIpv4IsSlash32() {
        const auto c = parseCidr("192.168.1.7");
        QVERIFY(c.has_value());
        QVERIFY(!c->v6);
        QCOMPARE(c->prefix, 32);
        QCOMPARE(bytesOf(*c), std::string("192.168.1.7"));
        QCOMPARE(c->text, std::string("192.168.1.7"));
    }

    void parseCidr_clearsHostBits() {
        const auto c = parseCidr("10.1.2.3/8");
        QVERIFY(c.has_value());
        QCOMPARE(c->prefix, 8);
        QCOMPARE(bytesOf(*c), std::string("10.0.0.0"));
        QCOMPARE(c->text, std::string("10.1.2.3/8"));
        const auto odd = parseCidr("203.0.113.255/25");
        QVERIFY(odd.has_value());
        QCOMPARE(bytesOf(*odd), std::string("203.0.113.128"));
    }

    void parseCidr_ipv6() {
        const auto bare = parseCidr("::1");
        QVERIFY(bare.has_value());
        QVERIFY(bare->v6);
        QCOMPARE(bare->prefix, 128);
        QCOMPARE(int(bare->addr[15]), 1);
        const auto net = parseCidr("2001:db8:ffff::1/33");
        QVERIFY(net.has_value());
        QCOMPARE(net->prefix, 33);
        QCOMPARE(bytesOf(*net), std::string("32.1.13.184.128.0.0.0.0.0.0.0.0.0.0.0"));
        const auto all = parseCidr("::/0");
        QVERIFY(all.has_value());
        QCOMPARE(all->prefix, 0);
    }

    void parseCidr_rejectsMalformed_data() {
        QTest::addColumn<QString>("text");
        for (const char* bad :
             {"", "10.0.0.0/33", "::1/129", "10.0.0/8", "10.0.0.256", "10.0.0.0/", "/8", "10.0.0.0/8/8",
              "10.0.0.0/-1", "example.com", "1.2.3.4 ", "[::1]", "::1/0128", "::g"}) {
            QTest::newRow(bad) << QString(bad);
        }
    }
    void parseCidr_rejectsMalformed() {
        QFETCH(QString, text);
        QVERIFY(!parseCidr(text.toStdString()).has_value());
    }

    void errorFormat_fileLineColumnKeyMessage() {
        ConfigError e{"gw.yaml", 42, 7, "plans[1].rate_limits[0].per", "unknown unit \"minut\"", false};
        QCOMPARE(e.format(),
                 std::string("gw.yaml:42:7: plans[1].rate_limits[0].per: unknown unit \"minut\""));
        e.warning = true;
        QCOMPARE(e.format(),
                 std::string("gw.yaml:42:7: warning: plans[1].rate_limits[0].per: unknown unit \"minut\""));
        e.key.clear();
        e.warning = false;
        QCOMPARE(e.format(), std::string("gw.yaml:42:7: unknown unit \"minut\""));
    }
};

QTEST_APPLESS_MAIN(ConfigValuesTest)
#include "config_values_test.moc"
