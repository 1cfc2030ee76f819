/* SPDX-License-Identifier: Apache-2.0 */
/* The signal handling of a run (runner/core/hb_signal.c), each case in a
 * child process so the handlers and signals stay there:
 *  - the first SIGINT/SIGTERM/SIGHUP sets the stop flag and the process goes on;
 *  - a second one removes the guarded temporary file and ends the process
 *    by that signal (its parent sees it killed, as a shell expects);
 *  - a reserved result file (hb_out_open) is guarded: a second signal
 *    leaves neither the file nor its temporary file;
 *  - a signal ignored at start (nohup) stays ignored;
 *  - SIGXFSZ is ignored: a write beyond a file-size limit fails with EFBIG
 *    instead of killing the process. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "hb_signal.h"
#include "json_io.h"

/* Runs fn in a child; returns its wait status. */
static int in_child(int (*fn)(const char *), const char *arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn(arg));
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strstr(e->d_name, ".tmp.") != NULL;
    if (d)
        closedir(d);
    return n;
}

/* First signal: flag set, still running; second: killed, guarded file gone. */
static int twice(const char *path)
{
    hb_signal_install();
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return 20;
    close(fd);
    hb_signal_guard(path);
    raise(SIGTERM);
    if (hb_signal_stop() != SIGTERM || !exists(path))
        return 21;
    raise(SIGTERM);
    return 22; /* not reached: the second signal kills */
}

/* A reserved result file, then two SIGINTs. */
static int reserved(const char *path)
{
    hb_signal_install();
    hb_out o;
    hb_err err = {0};
    if (hb_out_open(&o, path, 0, &err) || !exists(o.tmp))
        return 30;
    raise(SIGINT);
    if (hb_signal_stop() != SIGINT)
        return 31;
    raise(SIGINT);
    return 32;
}

static int ignored_at_start(const char *unused)
{
    (void)unused;
    signal(SIGHUP, SIG_IGN);
    hb_signal_install();
    raise(SIGHUP);
    return hb_signal_stop() == 0 ? 0 : 40;
}

static int file_size_limit(const char *path)
{
    hb_signal_install();
    struct rlimit rl = {4096, 4096};
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
        return 50;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    static char buf[8192];
    ssize_t a = write(fd, buf, 4096);
    errno = 0;
    ssize_t b = write(fd, buf, sizeof buf);
    int e = errno;
    close(fd);
    return a == 4096 && b < 0 && e == EFBIG ? 0 : 51;
}

int main(void)
{
    char dir[] = "/tmp/hb-test-signal-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char file[256], result[256], big[256];
    snprintf(file, sizeof file, "%s/partial.json.tmp.x.1", dir);
    snprintf(result, sizeof result, "%s/result.json", dir);
    snprintf(big, sizeof big, "%s/big", dir);

    int st = in_child(twice, file);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "second SIGTERM kills the process by SIGTERM (status %#x)", st);
    CHECK(!exists(file), "second SIGTERM removed the guarded temporary file");

    st = in_child(reserved, result);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "reserved file, second SIGINT kills by SIGINT (status %#x)", st);
    CHECK(!exists(result) && temp_files(dir) == 0, "reserved file, second SIGINT: no result, no temporary file");

    st = in_child(ignored_at_start, NULL);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "SIGHUP ignored at start (nohup) stays ignored (status %#x)", st);

    st = in_child(file_size_limit, big);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "SIGXFSZ ignored: write beyond the limit fails with EFBIG (status %#x)", st);

    unlink(big);
    rmdir(dir);
    return hb_check_failures() != 0;
}
