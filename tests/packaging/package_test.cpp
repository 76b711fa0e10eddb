// Builds the Debian package with CPack into a temporary folder, unpacks it with dpkg-deb and checks
// what a user gets: the binaries and their libraries on this system, man pages, the desktop entry,
// AppStream metadata, icons, the systemd unit and its user, the conffile, the maintainer scripts and
// the Depends line. Runs the build tree's install rules, so it needs a built tree (ctest after build).

#include <QDirIterator>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run run(const QString& program, const QStringList& args, int timeoutMs = 300000) {
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForStarted()) {
        r.err = program + QStringLiteral(": cannot start");
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = program + QStringLiteral(": timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString readText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString gunzip(const QString& path) {
    return run(QStringLiteral("gzip"), {QStringLiteral("-dc"), path}).out;
}

QString tool(const char* name) {
    return QStandardPaths::findExecutable(QString::fromLatin1(name));
}

#define VERIFY_RUN(r) QVERIFY2((r).exitCode == 0, qPrintable((r).out + (r).err))

} // namespace

class PackageTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_work;
    QString m_deb;
    QString m_root;       // dpkg-deb -x
    QString m_control;    // dpkg-deb -e
    QString m_debVersion; // VERSION-REVISION
    const bool m_gui = TOLLGATE_PACKAGE_GUI;

    QString path(const QString& inPackage) const { return m_root + inPackage; }

private slots:
    void initTestCase() {
        for (const char* name : {"cpack", "dpkg-deb", "dpkg-shlibdeps", "gzip", "ldd"}) {
            QVERIFY2(!tool(name).isEmpty(), name);
        }
        QVERIFY(m_work.isValid());
        // The same CPack configuration as `cmake --build build --target package`, written elsewhere
        // so the test never replaces a package the developer built.
        const Run cpack =
            run(tool("cpack"), {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("--config"),
                                QStringLiteral(TOLLGATE_BINARY_DIR "/CPackConfig.cmake"),
                                QStringLiteral("-B"), m_work.filePath(QStringLiteral("out"))});
        VERIFY_RUN(cpack);
        const QString arch =
            run(QStringLiteral("dpkg"), {QStringLiteral("--print-architecture")}).out.trimmed();
        const QStringList debs =
            QDir(m_work.filePath(QStringLiteral("out"))).entryList({QStringLiteral("*.deb")});
        QVERIFY2(debs.size() == 1,
                 qPrintable(debs.join(QLatin1Char(' ')) + QStringLiteral("; cpack said:\n") + cpack.out));
        // tollgate_VERSION-REVISION_ARCH.deb, the name `dpkg-name` would give it.
        const QRegularExpressionMatch name =
            QRegularExpression(QStringLiteral("^tollgate_(" TOLLGATE_VERSION "-[0-9]+)_") + arch +
                               QStringLiteral("\\.deb$"))
                .match(debs.first());
        QVERIFY2(name.hasMatch(), qPrintable(debs.first()));
        m_debVersion = name.captured(1);
        m_deb = m_work.filePath(QStringLiteral("out/")) + debs.first();
        m_root = m_work.filePath(QStringLiteral("root"));
        m_control = m_work.filePath(QStringLiteral("control"));
        VERIFY_RUN(run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_deb, m_root}));
        VERIFY_RUN(run(QStringLiteral("dpkg-deb"), {QStringLiteral("-e"), m_deb, m_control}));
    }

    void binaries_installedInUsrBinAndRun() {
        QStringList binaries{QStringLiteral("tollgated")};
        if (m_gui) {
            binaries << QStringLiteral("tollgate");
        }
        for (const QString& name : binaries) {
            const QString bin = path(QStringLiteral("/usr/bin/") + name);
            QVERIFY2(QFileInfo(bin).isExecutable(), qPrintable(bin));
            const Run v = run(bin, {QStringLiteral("--version")});
            VERIFY_RUN(v);
            QVERIFY2(v.out.startsWith(name + QStringLiteral(" " TOLLGATE_VERSION " ")), qPrintable(v.out));
            // Stripped: a package does not ship debug information.
            const Run file = run(QStringLiteral("file"), {QStringLiteral("-b"), bin});
            if (file.exitCode == 0) {
                QVERIFY2(file.out.contains(QStringLiteral("stripped")) &&
                             !file.out.contains(QStringLiteral("not stripped")),
                         qPrintable(file.out));
            }
        }
        QVERIFY(QFileInfo::exists(path(QStringLiteral("/usr/bin/tollgate"))) == m_gui);
    }

    void binaries_findEveryLibraryOnThisSystem() {
        for (const QString& name : {QStringLiteral("tollgated"), QStringLiteral("tollgate")}) {
            const QString bin = path(QStringLiteral("/usr/bin/") + name);
            if (!QFileInfo::exists(bin)) {
                continue;
            }
            const Run ldd = run(QStringLiteral("ldd"), {bin});
            VERIFY_RUN(ldd);
            QVERIFY2(!ldd.out.contains(QStringLiteral("not found")), qPrintable(ldd.out));
            QVERIFY2(ldd.out.contains(QStringLiteral("libcurl")) &&
                         ldd.out.contains(QStringLiteral("libsqlite3")),
                     qPrintable(ldd.out));
            // No RPATH pointing into a build tree.
            const Run readelf = run(QStringLiteral("readelf"), {QStringLiteral("-d"), bin});
            if (readelf.exitCode == 0) {
                QVERIFY2(!readelf.out.contains(QStringLiteral("RPATH")) &&
                             !readelf.out.contains(QStringLiteral("RUNPATH")),
                         qPrintable(readelf.out));
            }
        }
    }

    void depends_listsLibrariesAndRuntimePackages() {
        const QString control = readText(m_control + QStringLiteral("/control"));
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("^Depends: (.*)$"), QRegularExpression::MultilineOption)
                .match(control);
        QVERIFY2(m.hasMatch(), qPrintable(control));
        QStringList packages;
        for (const QString& entry : m.captured(1).split(QLatin1Char(','))) {
            packages << entry.trimmed().section(QLatin1Char(' '), 0, 0);
        }
        // From dpkg-shlibdeps, and the packages it cannot see (loaded at run time, data, scripts).
        QStringList expected{"libc6",        "libstdc++6",     "libssl3", "libcurl4",
                             "libsqlite3-0", "libyaml-cpp0.7", "adduser", "ca-certificates"};
        if (m_gui) {
            expected << "libqt6core6"
                     << "libqt6widgets6"
                     << "libqt6svg6"
                     << "qt6-qpa-plugins"
                     << "fonts-dejavu-core";
        }
        for (const QString& p : expected) {
            QVERIFY2(packages.contains(p),
                     qPrintable(p + QStringLiteral(" not in Depends: ") + m.captured(1)));
        }
        QCOMPARE(packages.removeDuplicates(), 0);
        QVERIFY(control.contains(QStringLiteral("Package: tollgate\n")));
        QVERIFY(control.contains(QStringLiteral("Version: ") + m_debVersion + QLatin1Char('\n')));
    }

    void manPages_compressedAndDocumentEveryOption() {
        const QString page = gunzip(path(QStringLiteral("/usr/share/man/man1/tollgated.1.gz")));
        QVERIFY(page.startsWith(QStringLiteral(".TH TOLLGATED 1 ")));
        QVERIFY(page.contains(QStringLiteral("Tollgate " TOLLGATE_VERSION)));
        const QString plain = QString(page).replace(QStringLiteral("\\-"), QStringLiteral("-"));
        const QString help = run(path(QStringLiteral("/usr/bin/tollgated")), {QStringLiteral("--help")}).out;
        const QRegularExpression option(QStringLiteral("(?<![\\w-])--[a-z][a-z-]+"));
        int checked = 0;
        for (auto it = option.globalMatch(help); it.hasNext(); ++checked) {
            const QString name = it.next().captured();
            QVERIFY2(plain.contains(name),
                     qPrintable(name + QStringLiteral(" is in --help but not in tollgated(1)")));
        }
        QVERIFY(checked >= 12);
        if (m_gui) {
            const QString console = gunzip(path(QStringLiteral("/usr/share/man/man1/tollgate.1.gz")))
                                        .replace(QStringLiteral("\\-"), QStringLiteral("-"));
            QVERIFY(console.startsWith(QStringLiteral(".TH TOLLGATE 1 ")));
            for (const QString& name :
                 {QStringLiteral("--screenshots"), QStringLiteral("--version"), QStringLiteral("--help")}) {
                QVERIFY2(console.contains(name), qPrintable(name));
            }
        }
        if (!tool("man").isEmpty()) {
            const Run man =
                run(QStringLiteral("man"), {QStringLiteral("--warnings"), QStringLiteral("-l"),
                                            path(QStringLiteral("/usr/share/man/man1/tollgated.1.gz"))});
            VERIFY_RUN(man);
            QVERIFY2(man.err.isEmpty(), qPrintable(man.err));
        }
    }

    void desktopEntryAndMetainfo_validate() {
        if (!m_gui) {
            QSKIP("no console in a TOLLGATE_BUILD_GUI=OFF package");
        }
        const QString desktop = path(QStringLiteral("/usr/share/applications/io.tollgate.Tollgate.desktop"));
        QVERIFY2(!tool("desktop-file-validate").isEmpty(),
                 "desktop-file-validate (desktop-file-utils) is needed");
        VERIFY_RUN(run(QStringLiteral("desktop-file-validate"), {desktop}));
        const QString entry = readText(desktop);
        QVERIFY(entry.contains(QStringLiteral("\nExec=tollgate ")));
        QVERIFY(entry.contains(QStringLiteral("\nIcon=io.tollgate.Tollgate\n")));

        const QString metainfo =
            path(QStringLiteral("/usr/share/metainfo/io.tollgate.Tollgate.metainfo.xml"));
        QVERIFY2(!tool("appstreamcli").isEmpty(), "appstreamcli (appstream) is needed");
        VERIFY_RUN(run(QStringLiteral("appstreamcli"),
                       {QStringLiteral("validate"), QStringLiteral("--no-net"), metainfo}));
        const QString xml = readText(metainfo);
        QVERIFY(xml.contains(QStringLiteral("<release version=\"" TOLLGATE_VERSION "\"")));
        QVERIFY(
            xml.contains(QStringLiteral("<launchable type=\"desktop-id\">io.tollgate.Tollgate.desktop<")));
        // Every screenshot is one of docs/screenshots.
        const QRegularExpression shot(QStringLiteral("/screenshots/([\\w.-]+\\.png)<"));
        int shots = 0;
        for (auto it = shot.globalMatch(xml); it.hasNext(); ++shots) {
            const QString name = it.next().captured(1);
            QVERIFY2(QFileInfo::exists(QStringLiteral(TOLLGATE_SOURCE_DIR "/docs/screenshots/") + name),
                     qPrintable(name));
        }
        QVERIFY(shots > 0);
    }

    void icons_everyHicolorSize() {
        if (!m_gui) {
            QSKIP("no console in a TOLLGATE_BUILD_GUI=OFF package");
        }
        const QString base = path(QStringLiteral("/usr/share/icons/hicolor/"));
        for (int size : {16, 22, 24, 32, 48, 64, 128, 256, 512}) {
            const QString png = base + QStringLiteral("%1x%1/apps/io.tollgate.Tollgate.png").arg(size);
            QFile f(png);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(png));
            const QByteArray head = f.read(24);
            QVERIFY2(head.startsWith("\x89PNG\r\n\x1a\n") && head.mid(12, 4) == "IHDR", qPrintable(png));
            QCOMPARE(qFromBigEndian<quint32>(head.constData() + 16), quint32(size)); // width
            QCOMPARE(qFromBigEndian<quint32>(head.constData() + 20), quint32(size)); // height
        }
        QVERIFY(readText(base + QStringLiteral("scalable/apps/io.tollgate.Tollgate.svg"))
                    .contains(QStringLiteral("<svg")));
    }

    void examples_andDocumentation() {
        for (const QString& f : {QStringLiteral("/usr/share/tollgate/examples/demo.yaml"),
                                 QStringLiteral("/usr/share/tollgate/examples/minimal.yaml")}) {
            const Run check =
                run(path(QStringLiteral("/usr/bin/tollgated")), {QStringLiteral("--check"), path(f)});
            QVERIFY2(check.exitCode == 0 && check.out.trimmed() == QStringLiteral("ok"),
                     qPrintable(f + check.out + check.err));
        }
        QVERIFY(readText(path(QStringLiteral("/usr/share/doc/tollgate/copyright")))
                    .startsWith(QStringLiteral(
                        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")));
        QVERIFY(gunzip(path(QStringLiteral("/usr/share/doc/tollgate/changelog.Debian.gz")))
                    .startsWith(QStringLiteral("tollgate (") + m_debVersion + QStringLiteral(") ")));
        QVERIFY(QFileInfo::exists(path(QStringLiteral("/usr/share/doc/tollgate/install.md"))));
    }

    void conffile_isAValidSafeDefault() {
        const QStringList conffiles =
            readText(m_control + QStringLiteral("/conffiles")).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(conffiles, QStringList{QStringLiteral("/etc/tollgate/tollgate.yaml")});
        const QString config = path(QStringLiteral("/etc/tollgate/tollgate.yaml"));
        const Run check =
            run(path(QStringLiteral("/usr/bin/tollgated")), {QStringLiteral("--check"), config});
        QVERIFY2(check.exitCode == 0 && check.out.trimmed() == QStringLiteral("ok"),
                 qPrintable(check.out + check.err));
        const QString yaml = readText(config);
        // Loopback only, the store in the unit's StateDirectory, the admin token from the environment.
        QVERIFY(yaml.contains(QStringLiteral("listen: [\"127.0.0.1:8080\"]")));
        QVERIFY(yaml.contains(QStringLiteral("store: /var/lib/tollgate/tollgate.db")));
        QVERIFY(yaml.contains(QStringLiteral("listen: \"127.0.0.1:8081\"")));
        QVERIFY(yaml.contains(QStringLiteral("token_env: TOLLGATE_ADMIN_TOKEN")));
        QVERIFY(!QRegularExpression(QStringLiteral("listen:.*0\\.0\\.0\\.0")).match(yaml).hasMatch());
    }

    void systemdUnit_sandboxedWithItsOwnUser() {
        const QString unitPath = path(QStringLiteral("/lib/systemd/system/tollgated.service"));
        const QString unit = readText(unitPath);
        for (const char* line :
             {"User=tollgate", "ExecStart=/usr/bin/tollgated --config /etc/tollgate/tollgate.yaml",
              "ExecReload=/bin/kill -HUP $MAINPID", "EnvironmentFile=-/etc/tollgate/tollgated.env",
              "StateDirectory=tollgate", "LogsDirectory=tollgate", "ConfigurationDirectory=tollgate",
              "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
              "NoNewPrivileges=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
              "CapabilityBoundingSet=\n", "WantedBy=multi-user.target"}) {
            QVERIFY2(unit.contains(QString::fromLatin1(line)), line);
        }
        QVERIFY(readText(path(QStringLiteral("/usr/lib/sysusers.d/tollgate.conf")))
                    .contains(QStringLiteral("\nu tollgate ")));
        // systemd-analyze checks every key and that the commands exist: on a copy whose ExecStart
        // points into the unpacked root (it prints problems, then still exits 0).
        if (!tool("systemd-analyze").isEmpty()) {
            const QString copy = m_work.filePath(QStringLiteral("tollgated.service"));
            QFile out(copy);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(
                QString(unit)
                    .replace(QStringLiteral("/usr/bin/tollgated"), path(QStringLiteral("/usr/bin/tollgated")))
                    .toUtf8());
            out.close();
            const Run verify = run(QStringLiteral("systemd-analyze"),
                                   {QStringLiteral("verify"), QStringLiteral("--man=no"), copy});
            QVERIFY2(verify.exitCode == 0 && !verify.err.contains(QStringLiteral("tollgated.service")),
                     qPrintable(verify.out + verify.err));
        }
    }

    void maintainerScripts_createUserTokenAndPurgeState() {
        for (const char* name : {"postinst", "prerm", "postrm"}) {
            const QString script = m_control + QLatin1Char('/') + QLatin1String(name);
            QVERIFY2(QFileInfo(script).isExecutable(), name);
            VERIFY_RUN(run(QStringLiteral("sh"), {QStringLiteral("-n"), script}));
        }
        const QString postinst = readText(m_control + QStringLiteral("/postinst"));
        QVERIFY(postinst.contains(QStringLiteral("adduser --system")));
        QVERIFY(postinst.contains(QStringLiteral("TOLLGATE_ADMIN_TOKEN=")));
        QVERIFY(postinst.contains(QStringLiteral("chmod 0640 \"$ENV_FILE\"")));
        QVERIFY(postinst.contains(QStringLiteral("daemon-reload")));
        const QString postrm = readText(m_control + QStringLiteral("/postrm"));
        const qsizetype purge = postrm.indexOf(QStringLiteral("\"$1\" = \"purge\""));
        QVERIFY(purge > 0);
        QVERIFY(postrm.indexOf(QStringLiteral("rm -rf /var/lib/tollgate")) > purge);
    }

    void lintian_reportsNoErrors() {
        if (tool("lintian").isEmpty()) {
            QSKIP("lintian is not installed (optional: apt-get install lintian)");
        }
        const Run lintian = run(QStringLiteral("lintian"),
                                {QStringLiteral("--fail-on"), QStringLiteral("error,warning"), m_deb});
        QVERIFY2(lintian.exitCode == 0, qPrintable(lintian.out + lintian.err));
    }
};

QTEST_GUILESS_MAIN(PackageTest)
#include "package_test.moc"
