/* json_file: writing a result file so that it is either whole or absent.
 *
 * A crash, a full disk or a second run racing for the same name must never
 * leave a half-written result or clobber an earlier one: the document goes
 * to a temp file in the same directory (rename and link only work within
 * one file system), is synced, and is then moved into place. link(2) fails
 * with EEXIST instead of replacing, which gives "never overwrite" without a
 * check-then-write race; rename(2) replaces atomically for --force. */
#include "json_io.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates the immediate parent of path (e.g. results/) when it is missing;
 * deeper trees are the user's to make, so a typo does not sprout folders. */
static int make_parent(const char *path, hb_err *err)
{
    char *copy = strdup(path);
    if (!copy)
        return hb_fail(err, HB_EFAIL, "%s: out of memory", path);
    const char *dir = dirname(copy);
    int rc = HB_OK;
    struct stat st;
    if (stat(dir, &st) != 0 && errno == ENOENT && mkdir(dir, 0777) != 0 && errno != EEXIST)
        rc = hb_fail(err, HB_EUSAGE, "%s: cannot create directory %s: %s",
                     path, dir, strerror(errno));
    free(copy);
    return rc;
}

/* The permissions an ordinary fopen(path, "w") would give: mkstemp makes
 * 0600, which would hide results from the other users of a shared machine.
 * umask can only be read by setting it; it is restored at once. */
static mode_t default_file_mode(void)
{
    mode_t mask = umask(022);
    umask(mask);
    return 0666 & ~mask;
}

/* Writes text and a final newline to fd and syncs it; closes fd either way. */
static int write_synced(int fd, const char *text, const char *path, hb_err *err)
{
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        int e = errno;
        close(fd);
        return hb_fail(err, HB_EFAIL, "%s: cannot write: %s", path, strerror(e));
    }
    int ok = fputs(text, fp) >= 0 && fputc('\n', fp) != EOF && fflush(fp) == 0;
    /* fsync before the move: otherwise a crash can leave the new name
     * pointing at an empty file (ext4 delayed allocation). */
    ok = ok && fsync(fileno(fp)) == 0;
    int e = errno;
    if (fclose(fp) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (!ok)
        return hb_fail(err, HB_EFAIL, "%s: cannot write: %s", path, strerror(e));
    return HB_OK;
}

/* Moves tmp to path: without force never replacing an existing file. */
static int move_into_place(const char *tmp, const char *path, int force, hb_err *err)
{
    if (force) {
        if (rename(tmp, path) != 0)
            return hb_fail(err, HB_EFAIL, "%s: cannot replace: %s", path, strerror(errno));
        return HB_OK;
    }
    if (link(tmp, path) != 0) {
        if (errno == EEXIST)
            return hb_fail(err, HB_EUSAGE, "%s exists; refusing to overwrite it (use --force)",
                           path);
        return hb_fail(err, HB_EFAIL, "%s: cannot create: %s", path, strerror(errno));
    }
    unlink(tmp);
    return HB_OK;
}

/* Syncs the directory so the new name itself survives a crash; the file is
 * already in place, so a failure here is not worth failing the run. */
static void sync_parent(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

int hb_json_write_text(const char *text, const char *path, int force, hb_err *err)
{
    int rc = make_parent(path, err);
    char *tmp = NULL;
    if (rc == HB_OK && asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0) {
        tmp = NULL;
        rc = hb_fail(err, HB_EFAIL, "%s: out of memory", path);
    }
    int fd = -1;
    if (rc == HB_OK && (fd = mkstemp(tmp)) < 0)
        rc = hb_fail(err, HB_EUSAGE, "%s: cannot create a temporary file %s: %s",
                     path, tmp, strerror(errno));
    if (rc == HB_OK) {
        if (fchmod(fd, default_file_mode()) != 0) {
            rc = hb_fail(err, HB_EFAIL, "%s: cannot set permissions on %s: %s",
                         path, tmp, strerror(errno));
            close(fd);
        } else {
            rc = write_synced(fd, text, path, err);
        }
        if (rc == HB_OK)
            rc = move_into_place(tmp, path, force, err);
        if (rc == HB_OK)
            sync_parent(path);
        else
            unlink(tmp);   /* whatever failed, no half-written file remains */
    }
    free(tmp);
    return rc;
}

int hb_json_write_run(const hb_run *run, const char *path, int force, hb_err *err)
{
    char *text = hb_json_run_dumps(run);
    if (!text)
        return hb_fail(err, HB_EFAIL, "%s: out of memory while making the JSON document", path);
    int rc = hb_json_write_text(text, path, force, err);
    free(text);
    return rc;
}
