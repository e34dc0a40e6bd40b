/* fuzz-common.h
 * What the fuzz targets share: invariant checks that abort (so libFuzzer
 * and the replay driver both report them) and a reader of the input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_FUZZ_COMMON_H
#define VPCSHARK_FUZZ_COMMON_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A GLib critical or warning means a GLib function was misused (called
 * with NULL, a bad length...): it aborts here (SIGABRT, which libFuzzer
 * catches and saves the input for; GLib's own fatal path traps instead). */
static void
fuzz_log_handler(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer unused G_GNUC_UNUSED)
{
    if (!(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)))
        return;
    fprintf(stderr, "%s-%s: %s\n", domain ? domain : "", (level & G_LOG_LEVEL_WARNING) ? "WARNING" : "CRITICAL",
            message);
    abort();
}

int
LLVMFuzzerInitialize(int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
    g_log_set_default_handler(fuzz_log_handler, NULL);
    return 0;
}

/* A broken invariant is a bug like a crash: report it and abort. */
#define FUZZ_CHECK(cond)                                                              \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* Taking parameters from the front of the input, the rest is the data. */
typedef struct {
    const uint8_t *data;
    size_t         size;
} fuzz_input_t;

static inline uint8_t
fuzz_take_byte(fuzz_input_t *in)
{
    if (in->size == 0)
        return 0;
    uint8_t b = in->data[0];
    in->data++;
    in->size--;
    return b;
}

/* A heap copy of exactly len bytes, so ASan sees any read past the end. */
static inline char *
fuzz_copy(const uint8_t *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (len)
        memcpy(copy, data, len);
    else
        copy[0] = 0;        /* never read, but gcc cannot tell */
    return copy;
}

/* Split data into lines (without their '\n'), each an exact-size heap copy. */
typedef struct {
    char  **line;
    gsize  *length;
    guint   count;
} fuzz_lines_t;

static inline void
fuzz_lines_split(fuzz_lines_t *lines, const uint8_t *data, size_t size, guint max)
{
    size_t start = 0;

    lines->line = g_new0(char *, max);
    lines->length = g_new0(gsize, max);
    lines->count = 0;
    while (start < size && lines->count < max) {
        const uint8_t *nl = memchr(data + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - data) : size;
        lines->line[lines->count] = fuzz_copy(data + start, end - start);
        lines->length[lines->count] = end - start;
        lines->count++;
        start = end + 1;
    }
}

static inline void
fuzz_lines_free(fuzz_lines_t *lines)
{
    for (guint i = 0; i < lines->count; i++)
        free(lines->line[i]);
    g_free(lines->line);
    g_free(lines->length);
}

#endif /* VPCSHARK_FUZZ_COMMON_H */
