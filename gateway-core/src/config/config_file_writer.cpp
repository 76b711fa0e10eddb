#include "tollgate/config_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace tollgate {
namespace {

bool writeAll(int fd, std::string_view content) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        content.remove_prefix(size_t(n));
    }
    return true;
}

// Writes `content` to `path` (created or truncated) with `mode` and fsyncs it.
bool writeDurably(const std::string& path, std::string_view content, mode_t mode, std::string& error) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        error = "cannot create " + path + ": " + std::strerror(errno);
        return false;
    }
    const bool ok = writeAll(fd, content) && ::fsync(fd) == 0;
    const int savedErrno = errno;
    ::close(fd);
    if (!ok) {
        error = "cannot write " + path + ": " + std::strerror(savedErrno);
        ::unlink(path.c_str());
        return false;
    }
    return true;
}

bool readAll(const std::string& path, std::string& out) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    char buf[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            ::close(fd);
            return n == 0;
        }
        out.append(buf, size_t(n));
    }
}

} // namespace

bool replaceFileAtomically(const std::string& path, std::string_view content, std::string& error) {
    const std::filesystem::path target(path);
    std::string folder = target.parent_path().string();
    if (folder.empty()) {
        folder = ".";
    }
    // Keep the file's permissions: a config may be readable by its owner only.
    mode_t mode = 0644;
    struct stat st {};
    std::string previous;
    if (::stat(path.c_str(), &st) == 0) {
        mode = st.st_mode & 07777;
        if (!readAll(path, previous)) {
            error = "cannot read " + path + " to keep a backup: " + std::strerror(errno);
            return false;
        }
        if (!writeDurably(path + ".bak", previous, mode, error)) {
            return false;
        }
    }
    const std::string tmp = folder + "/." + target.filename().string() + ".tmp-" + std::to_string(::getpid());
    if (!writeDurably(tmp, content, mode, error)) {
        return false;
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        error = "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno);
        ::unlink(tmp.c_str());
        return false;
    }
    const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return true;
}

} // namespace tollgate
