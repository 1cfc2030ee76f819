/* SPDX-License-Identifier: Apache-2.0 */
/* progress: where a run stands, on stderr, and the compiler's output in
 * the build log (progress.h). */
#include "progress.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "activity.h"
#include "hb_clock.h"
#include "text.h"

struct hb_progress {
    enum hb_progress_mode mode;
    FILE *f;
    pthread_mutex_t lock;
    hb_activity listener;
    double t0;                 /* hb_now_s() when the run was planned */
    double last_end;           /* when the last measurement finished */
    double cur_t0;             /* when the current measurement began */
    int total, done, skipped;
    char cur[160];             /* the current measurement: "triad f32 4.0 MiB" */
    size_t shown;              /* bytes of the status line on the terminal; 0: none */
    char *log_path;            /* NULL: the compiler's output is only counted */
    int force;
    FILE *log;
    int log_failed;            /* the log could not be opened or written (said once) */
    long warnings;             /* "N warnings generated." summed over builds */
    int builds;                /* successful builds that printed anything */
};

/* The models' activity (activity.h), below. */
static void on_begin(void *arg, const char *what);
static void on_end(void *arg, const char *what, double seconds, int ok);
static void on_output(void *arg, const char *what, const char *text, size_t len);
static void on_interrupt(void *arg);

hb_progress *hb_progress_new(enum hb_progress_mode mode, FILE *f, const char *build_log, int force)
{
    hb_progress *pg = calloc(1, sizeof *pg);
    if (!pg)
        return NULL;
    if (build_log && !(pg->log_path = strdup(build_log))) {
        free(pg);
        return NULL;
    }
    pg->mode = mode;
    pg->f = f;
    pg->force = force;
    pg->t0 = pg->last_end = pg->cur_t0 = hb_now_s();
    pthread_mutex_init(&pg->lock, NULL);
    pg->listener = (hb_activity){.begin = on_begin, .end = on_end, .output = on_output, .interrupt = on_interrupt,
                                 .arg = pg};
    return pg;
}

/* ---- the status line ---- */

/* Every write to f holds pg->lock, then hb_stderr_lock() (activity.h). */
static void clear_locked(hb_progress *pg)
{
    if (!pg->shown)
        return;
    hb_stderr_lock();
    fprintf(pg->f, "\r%*s\r", (int)pg->shown, "");
    fflush(pg->f);
    hb_stderr_unlock();
    pg->shown = 0;
}

void hb_progress_clear(hb_progress *pg)
{
    if (!pg)
        return;
    pthread_mutex_lock(&pg->lock);
    clear_locked(pg);
    pthread_mutex_unlock(&pg->lock);
}

/* "12 s", "3 min 05 s", "2 h 10 min" */
static void duration(double s, char *buf, size_t len)
{
    long t = s > 0 ? (long)(s + 0.5) : 0;
    if (t < 120)
        snprintf(buf, len, "%ld s", t);
    else if (t < 7200)
        snprintf(buf, len, "%ld min %02ld s", t / 60, t % 60);
    else
        snprintf(buf, len, "%ld h %02ld min", t / 3600, t / 60 % 60);
}

/* " 12 s, ~40 s left": since the run began; the mean wall time of the
 * finished measurements (the run's start to the last one's end, over their
 * count) times those not finished, less what has run since the last one. */
static void times(const hb_progress *pg, char *buf, size_t len)
{
    double now = hb_now_s();
    char spent[32], left[32];
    duration(now - pg->t0, spent, sizeof spent);
    int remaining = pg->total - pg->skipped - pg->done;
    if (pg->done < 1 || remaining < 1) {
        snprintf(buf, len, " %s", spent);
        return;
    }
    double est = (pg->last_end - pg->t0) / pg->done * remaining - (now - pg->last_end);
    duration(est > 0 ? est : 0, left, sizeof left);
    snprintf(buf, len, " %s, ~%s left", spent, left);
}

/* The terminal's width in columns (80 when it does not say). */
static size_t columns(FILE *f)
{
    struct winsize ws;
    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

static void say_locked(hb_progress *pg, int whole, const char *text)
{
    char tail[80], raw[512], line[512];
    int planned = pg->total - pg->skipped, at = pg->done + 1 < planned ? pg->done + 1 : planned;
    times(pg, tail, sizeof tail);
    snprintf(raw, sizeof raw, "[%d/%d] %s%s", at, planned > 0 ? planned : 0, text, tail);
    hb_stderr_lock();
    if (pg->mode == HB_PROGRESS_TERMINAL) {
        /* one screen line, so that '\r' goes back to its start */
        size_t width = columns(pg->f), n = sizeof line < width ? sizeof line : width;
        hb_text_clean(raw, HB_TEXT_LINE, line, n);
        size_t len = strlen(line);
        fprintf(pg->f, "\r%s", line);
        if (pg->shown > len)
            fprintf(pg->f, "%*s", (int)(pg->shown - len), "");
        pg->shown = len > pg->shown ? len : pg->shown;
        fflush(pg->f);
    } else if (pg->mode == HB_PROGRESS_LINES && whole) {
        fprintf(pg->f, "%s\n", hb_text_clean(raw, HB_TEXT_LINE, line, sizeof line));
        fflush(pg->f);
    }
    hb_stderr_unlock();
}

void hb_progress_step(hb_progress *pg, int whole, const char *fmt, ...)
{
    if (!pg || pg->mode == HB_PROGRESS_OFF)
        return;
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&pg->lock);
    say_locked(pg, whole, text);
    pthread_mutex_unlock(&pg->lock);
}

/* ---- the count ---- */

void hb_progress_plan(hb_progress *pg, int total)
{
    if (!pg)
        return;
    pthread_mutex_lock(&pg->lock);
    pg->total = total;
    pg->done = pg->skipped = 0;
    pg->t0 = pg->last_end = pg->cur_t0 = hb_now_s();
    pthread_mutex_unlock(&pg->lock);
}

void hb_progress_skip(hb_progress *pg, int n)
{
    if (!pg || n <= 0)
        return;
    pthread_mutex_lock(&pg->lock);
    pg->skipped += n;
    pthread_mutex_unlock(&pg->lock);
}

void hb_progress_begin(hb_progress *pg, const char *what)
{
    if (!pg)
        return;
    pthread_mutex_lock(&pg->lock);
    pg->cur_t0 = hb_now_s();
    snprintf(pg->cur, sizeof pg->cur, "%s", what);
    if (pg->mode == HB_PROGRESS_TERMINAL)
        say_locked(pg, 0, pg->cur);
    pthread_mutex_unlock(&pg->lock);
}

void hb_progress_end(hb_progress *pg)
{
    if (!pg)
        return;
    pthread_mutex_lock(&pg->lock);
    pg->done++;
    pg->last_end = hb_now_s();
    clear_locked(pg);
    pthread_mutex_unlock(&pg->lock);
}

/* ---- the models' activity: builds, and the compiler's output ---- */

static void on_begin(void *arg, const char *what)
{
    hb_progress *pg = arg;
    if (pg->mode != HB_PROGRESS_TERMINAL)
        return;
    pthread_mutex_lock(&pg->lock);
    char text[400];
    snprintf(text, sizeof text, "%s: %s", pg->cur, what);
    say_locked(pg, 0, text);
    pthread_mutex_unlock(&pg->lock);
}

/* A build that took more than a second is worth a line of its own. */
#define SLOW_BUILD_S 1.0
static void on_end(void *arg, const char *what, double seconds, int ok)
{
    hb_progress *pg = arg;
    if (pg->mode == HB_PROGRESS_OFF || seconds <= SLOW_BUILD_S)
        return;
    pthread_mutex_lock(&pg->lock);
    char text[400];
    snprintf(text, sizeof text, "%s: %s took %.1f s%s", pg->cur, what, seconds, ok ? "" : " and failed");
    say_locked(pg, 1, text);
    pthread_mutex_unlock(&pg->lock);
}

/* The warnings in a compiler's output: the sum of its "N warning(s)
 * generated." lines (clang's summary), else its lines with "warning:". */
static long count_warnings(const char *text, size_t len)
{
    long generated = 0, lines = 0;
    const char *end = text + len;
    for (const char *l = text; l < end;) {
        const char *nl = memchr(l, '\n', (size_t)(end - l));
        size_t n = nl ? (size_t)(nl - l) : (size_t)(end - l);
        char line[256], *after;
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), l);
        long k = strtol(line, &after, 10);
        if (after != line && k > 0 && !strncmp(after, " warning", 8) && strstr(after, " generated"))
            generated += k;
        else if (memmem(l, n, "warning:", 8))
            lines++;
        l += n + (nl != NULL);
    }
    return generated ? generated : lines;
}

/* The build log, created at its first line (progress.h). Says once why it
 * cannot be, on stderr. */
static FILE *open_log(hb_progress *pg)
{
    if (pg->log || pg->log_failed || !pg->log_path)
        return pg->log;
    struct stat st;
    const char *why = NULL;
    int fd = -1;
    if (lstat(pg->log_path, &st) == 0 && !S_ISREG(st.st_mode))
        why = "exists and is not a regular file";
    else if (lstat(pg->log_path, &st) == 0 && !pg->force)
        why = "exists (--force replaces it)";
    else if ((fd = open(pg->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666)) < 0)
        why = strerror(errno);
    else if (!(pg->log = fdopen(fd, "w"))) {
        why = strerror(errno);
        close(fd);
    }
    if (why) {
        pg->log_failed = 1;
        clear_locked(pg);
        hb_stderr_lock();
        hb_text_fprintf(pg->f, "hbmbench run: --build-log %s: %s; the OpenCL compiler's output is not kept\n",
                        pg->log_path, why);
        hb_stderr_unlock();
    }
    return pg->log;
}

static void on_output(void *arg, const char *what, const char *text, size_t len)
{
    hb_progress *pg = arg;
    pthread_mutex_lock(&pg->lock);
    pg->builds++;
    pg->warnings += count_warnings(text, len);
    FILE *log = open_log(pg);
    if (log) {
        fprintf(log, "== %s, for %s ==\n", what, pg->cur[0] ? pg->cur : "(no measurement)");
        fwrite(text, 1, len, log);
        if (len && text[len - 1] != '\n')
            fputc('\n', log);
        fflush(log);
    }
    pthread_mutex_unlock(&pg->lock);
}

static void on_interrupt(void *arg)
{
    hb_progress_clear(arg);
}

void hb_progress_listen(hb_progress *pg)
{
    hb_activity_listen(pg ? &pg->listener : NULL);
}

void hb_progress_report_builds(hb_progress *pg, int quiet)
{
    if (!pg)
        return;
    pthread_mutex_lock(&pg->lock);
    clear_locked(pg);
    int write_failed = pg->log && (fflush(pg->log) != 0 || ferror(pg->log));
    hb_stderr_lock();
    if (write_failed && !pg->log_failed)
        hb_text_fprintf(pg->f, "hbmbench run: --build-log %s: could not be written: %s\n", pg->log_path,
                        strerror(errno));
    if (pg->builds && !quiet) {
        char where[600];
        if (pg->log && !write_failed)
            snprintf(where, sizeof where, "the OpenCL compiler's output is in %s", pg->log_path);
        else if (pg->log_path)
            snprintf(where, sizeof where, "the OpenCL compiler's output was not kept");
        else
            snprintf(where, sizeof where, "not kept: --build-log FILE keeps the OpenCL compiler's output");
        hb_text_fprintf(pg->f, "hbmbench run: compiler warnings: %ld, in %d build%s (%s)\n", pg->warnings,
                        pg->builds, pg->builds == 1 ? "" : "s", where);
    }
    hb_stderr_unlock();
    pthread_mutex_unlock(&pg->lock);
}

void hb_progress_free(hb_progress *pg)
{
    if (!pg)
        return;
    hb_progress_clear(pg);
    if (pg->log)
        fclose(pg->log);
    pthread_mutex_destroy(&pg->lock);
    free(pg->log_path);
    free(pg);
}
