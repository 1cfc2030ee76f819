/* SPDX-License-Identifier: Apache-2.0 */
/* json_file: writing a result file so that it is either whole or absent,
 * with its destination checked and reserved before anything is measured.
 *
 * A crash, a full disk or a second run racing for the same name must never
 * leave a half-written result or clobber an earlier one: the document goes
 * to a temporary file in the same directory (rename and link only work
 * within one file system), is synced, and is then moved into place. link(2)
 * fails with EEXIST instead of replacing, which gives "never overwrite"
 * without a check-then-write race; rename(2) replaces atomically for --force.
 *
 * The temporary file is created by hb_out_open(), before the run, and a
 * probe is written to it and synced: a parent that is a file, a folder
 * without write permission, a read-only or full file system or a tiny
 * file-size limit is found then, not after an hour of measuring. Its name,
 * <path>.tmp.<host>.<pid>, says which process owns it, so a later run can
 * remove the temporary files of runs that were killed (SIGKILL, power loss)
 * instead of letting them pile up. While it exists it is guarded
 * (hb_signal.h): a second SIGINT/SIGTERM/SIGHUP removes it before the
 * process dies. */
#include "json_io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault.h"
#include "hb_signal.h"

/* Releases what hb_out_open() reserved (removes the temporary file). */
static void hb_out_close(hb_out *o);

/* The probe written at hb_out_open(): the room a typical result file needs
 * (a default run's file is about 20 KB; one with --sweep about 100 KB). */
#define PROBE_BYTES (64 * 1024)

int hb_out_is_stdout(const char *path)
{
    return !strcmp(path, "-") || !strcmp(path, "/dev/stdout") || !strcmp(path, "/dev/fd/1") ||
           !strcmp(path, "/proc/self/fd/1");
}

/* This host's name as one file-name-safe word (up to the first dot). */
static void host_tag(char *buf, size_t len)
{
    char name[256] = "";
    if (gethostname(name, sizeof name - 1) != 0 || !name[0])
        snprintf(name, sizeof name, "host");
    size_t i = 0;
    for (; name[i] && name[i] != '.' && i + 1 < len && i < 32; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        buf[i] = ok ? c : '_';
    }
    buf[i] = '\0';
}

/* The pid in a name "<anything>.tmp.<tag>.<pid>" made on this host, or 0. */
static pid_t temp_owner(const char *name, const char *tag)
{
    const char *dot = strrchr(name, '.');
    if (!dot || !dot[1] || dot[strspn(dot + 1, "0123456789") + 1] != '\0' || strlen(dot + 1) > 9)
        return 0;
    size_t tl = strlen(tag);
    if ((size_t)(dot - name) < tl + 5 || strncmp(dot - tl, tag, tl) != 0 || strncmp(dot - tl - 5, ".tmp.", 5) != 0)
        return 0;
    return (pid_t)atol(dot + 1);
}

/* Removes the temporary files in dir that runs on this host left when they
 * were killed: owned by this user, regular, and their pid no longer runs
 * (a pid that runs again is left alone: it may be a new run). */
static int remove_stale(const char *dir)
{
    char tag[40];
    host_tag(tag, sizeof tag);
    DIR *d = opendir(dir);
    int removed = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        pid_t pid = temp_owner(e->d_name, tag);
        if (pid <= 0 || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
            continue;
        char path[PATH_MAX];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
            lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid())
            continue;
        removed += unlink(path) == 0;
    }
    if (d)
        closedir(d);
    return removed;
}

/* The destination itself: absent, or (with force) a regular file. */
static int check_target(const char *path, int force, hb_err *err)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return HB_OK;
        return hb_fail(err, HB_EUSAGE, "%s: %s", path, strerror(errno));
    }
    if (S_ISDIR(st.st_mode))
        return hb_fail(err, HB_EUSAGE, "%s is a directory; give a file name", path);
    if (!force)
        return hb_fail(err, HB_EUSAGE, "%s exists; refusing to overwrite it (use --force)", path);
    if (S_ISLNK(st.st_mode))
        return hb_fail(err, HB_EUSAGE, "%s is a symbolic link; --force replaces only regular files "
                       "(give the path it points to)", path);
    if (!S_ISREG(st.st_mode))
        return hb_fail(err, HB_EUSAGE, "%s is not a regular file (a device, a pipe or a socket); --force replaces "
                       "only regular files (to send the JSON to standard output, use --out -)", path);
    return HB_OK;
}

/* The folder of path: exists and is a folder, or is missing below one that
 * exists, and is then created (e.g. results/); deeper trees are the user's
 * to make, so a typo does not sprout folders. */
static int check_parent(const char *path, char *dir, size_t len, hb_err *err)
{
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    snprintf(dir, len, "%s", dirname(copy));
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return hb_fail(err, HB_EUSAGE, "%s: %s is not a directory", path, dir);
        return HB_OK;
    }
    if (errno == ENOTDIR)
        return hb_fail(err, HB_EUSAGE, "%s: a parent of %s is not a directory", path, dir);
    if (errno != ENOENT)
        return hb_fail(err, HB_EUSAGE, "%s: %s: %s", path, dir, strerror(errno));
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return hb_fail(err, HB_EUSAGE, "%s: cannot create directory %s: %s", path, dir, strerror(errno));
    return HB_OK;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Whether PROBE_BYTES fit in the file and reach the disk; then empties it. */
static int probe(int fd)
{
    static const char zeros[PROBE_BYTES];
    return write_all(fd, zeros, sizeof zeros) == 0 && fsync(fd) == 0 && ftruncate(fd, 0) == 0 &&
                   lseek(fd, 0, SEEK_SET) == 0
               ? 0
               : -1;
}

int hb_out_open(hb_out *o, const char *path, int force, hb_err *err)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->force = force;
    if (!path[0])
        return hb_fail(err, HB_EUSAGE, "--out: empty file name");
    if (strlen(path) + 64 > sizeof o->path)
        return hb_fail(err, HB_EUSAGE, "--out: the path is too long");
    snprintf(o->path, sizeof o->path, "%s", path);
    if (hb_out_is_stdout(path)) {
        struct stat st;
        if (fstat(STDOUT_FILENO, &st) != 0)
            return hb_fail(err, HB_EUSAGE, "--out %s: standard output is not open", path);
        o->to_stdout = 1;
        return HB_OK;
    }
    if (path[strlen(path) - 1] == '/')
        return hb_fail(err, HB_EUSAGE, "%s is a directory; give a file name", path);
    char dir[PATH_MAX], tag[40];
    int rc = check_parent(path, dir, sizeof dir, err);
    if (!rc)
        rc = check_target(path, force, err);
    if (rc)
        return rc;
    o->stale_removed = remove_stale(dir);
    host_tag(tag, sizeof tag);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%s.%ld", path, tag, (long)getpid());
    hb_signal_guard(o->tmp); /* before it exists: a second signal removes it */
    unlink(o->tmp); /* our own, from an earlier write of this process */
    o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666); /* 0666 & ~umask, as fopen */
    if (o->fd < 0) {
        rc = hb_fail(err, HB_EUSAGE, "%s: cannot create a file in %s: %s", path, dir, strerror(errno));
        o->tmp[0] = '\0';
        hb_signal_unguard();
        return rc;
    }
    if (probe(o->fd) != 0) {
        rc = hb_fail(err, HB_EUSAGE, "%s: cannot write %d KiB in %s: %s", path, PROBE_BYTES / 1024, dir,
                     strerror(errno));
        hb_out_close(o);
        return rc;
    }
    return HB_OK;
}

/* Moves the temporary file to path: without force never replacing an
 * existing file, with force only a regular one. */
static int move_into_place(const hb_out *o, hb_err *err)
{
    if (o->force) {
        struct stat st;
        if (lstat(o->path, &st) == 0 && !S_ISREG(st.st_mode))
            return hb_fail(err, HB_EFAIL, "%s is no longer a regular file; not replaced", o->path);
        if (rename(o->tmp, o->path) != 0)
            return hb_fail(err, HB_EFAIL, "%s: cannot replace: %s", o->path, strerror(errno));
        return HB_OK;
    }
    if (link(o->tmp, o->path) != 0) {
        if (errno == EEXIST)
            return hb_fail(err, HB_EUSAGE, "%s exists; refusing to overwrite it (use --force)", o->path);
        return hb_fail(err, HB_EFAIL, "%s: cannot create: %s", o->path, strerror(errno));
    }
    unlink(o->tmp);
    return HB_OK;
}

/* Syncs the directory so the new name itself survives a crash; the file is
 * already in place, so a failure here is not worth failing the run. */
static void sync_parent(const char *path)
{
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static int commit_stdout(const char *text, hb_err *err)
{
    fflush(stdout); /* whatever stdio holds goes first */
    if (write_all(STDOUT_FILENO, text, strlen(text)) != 0 || write_all(STDOUT_FILENO, "\n", 1) != 0)
        return hb_fail(err, HB_EFAIL, "standard output: cannot write the result document: %s", strerror(errno));
    return HB_OK;
}

/* Writes text and a final newline to the reserved file, syncs it (without
 * fsync a crash can leave the new name on an empty file: ext4 delayed
 * allocation) and closes it; the file is then moved into place. */
static int commit_file(hb_out *o, const char *text, hb_err *err)
{
    if (o->fd < 0)
        return hb_fail(err, HB_EFAIL, "%s: internal: no file reserved", o->path);
    int ok = ftruncate(o->fd, 0) == 0 && lseek(o->fd, 0, SEEK_SET) == 0 &&
             write_all(o->fd, text, strlen(text)) == 0 && write_all(o->fd, "\n", 1) == 0 && fsync(o->fd) == 0;
    int e = errno;
    if (close(o->fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    o->fd = -1;
    if (!ok)
        return hb_fail(err, HB_EFAIL, "%s: cannot write: %s", o->path, strerror(e));
    int rc = move_into_place(o, err);
    if (rc == HB_OK)
        sync_parent(o->path);
    return rc;
}

/* As hb_out_commit(), for any document's text (check's verdicts). */
static int hb_out_commit_text(hb_out *o, const char *text, hb_err *err)
{
    int rc;
    if (hb_fault_hit(HB_FAULT_WRITE))
        rc = hb_fail(err, HB_EFAIL, "%s: cannot write: Input/output error (injected by HB_FAULT=%s)",
                     o->to_stdout ? "standard output" : o->path, hb_fault_name(HB_FAULT_WRITE));
    else if (o->to_stdout)
        rc = commit_stdout(text, err);
    else
        rc = commit_file(o, text, err);
    hb_out_close(o); /* whatever failed, no half-written file remains */
    return rc;
}

int hb_out_commit(hb_out *o, const hb_run *run, hb_err *err)
{
    char *text = hb_json_run_dumps(run);
    if (!text) {
        hb_out_close(o);
        return hb_fail(err, HB_EFAIL, "%s: out of memory while making the JSON document", o->path);
    }
    int rc = hb_out_commit_text(o, text, err);
    free(text);
    return rc;
}

int hb_write_text_atomic(const char *text, const char *path, int force, hb_err *err)
{
    hb_out o;
    int rc = hb_out_open(&o, path, force, err);
    return rc ? rc : hb_out_commit_text(&o, text, err);
}

FILE *hb_out_stream(hb_out *o, hb_err *err)
{
    if (o->to_stdout)
        return stdout;
    int fd = o->fd >= 0 && ftruncate(o->fd, 0) == 0 && lseek(o->fd, 0, SEEK_SET) == 0 ? dup(o->fd) : -1;
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        hb_fail(err, HB_EFAIL, "%s: cannot write: %s", o->path, strerror(errno));
    }
    return f;
}

int hb_out_commit_stream(hb_out *o, FILE *f, int ok, hb_err *err)
{
    int rc = HB_OK;
    if (!ok || !f) {   /* the caller's error is in err already */
        if (f && f != stdout)
            fclose(f);
        hb_out_close(o);
        return HB_EFAIL;
    }
    if (o->to_stdout) {
        ok = ok && fputc('\n', f) != EOF && fflush(f) == 0;
        rc = ok ? HB_OK : hb_fail(err, HB_EFAIL, "standard output: cannot write the result document: %s", strerror(errno));
    } else {
        ok = ok && fputc('\n', f) != EOF && fflush(f) == 0 && fsync(fileno(f)) == 0;
        int e = errno;
        if (fclose(f) != 0 && ok) {
            ok = 0;
            e = errno;
        }
        rc = ok ? move_into_place(o, err) : hb_fail(err, HB_EFAIL, "%s: cannot write: %s", o->path, strerror(e));
        if (rc == HB_OK)
            sync_parent(o->path);
    }
    hb_out_close(o);
    return rc;
}

static void hb_out_close(hb_out *o)
{
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (o->tmp[0]) {
        unlink(o->tmp);
        hb_signal_unguard();
    }
    o->tmp[0] = '\0';
}

int hb_json_write_run(const hb_run *run, const char *path, int force, hb_err *err)
{
    hb_out o;
    int rc = hb_out_open(&o, path, force, err);
    return rc ? rc : hb_out_commit(&o, run, err);
}
