/* line-reader.c
 * Reading text lines from a wiretap FILE_T without losing any.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "line-reader.h"

#include <string.h>

void
line_reader_init(line_reader_t *reader, gsize chunk)
{
    memset(reader, 0, sizeof *reader);
    reader->line = g_malloc(LINE_READER_MAX);
    reader->chunk = chunk;
    reader->ahead = g_malloc(chunk);
}

void
line_reader_free(line_reader_t *reader)
{
    g_free(reader->line);
    g_free(reader->ahead);
    g_free(reader->error_info);
    memset(reader, 0, sizeof *reader);
}

void
line_reader_restart(line_reader_t *reader, gint64 offset)
{
    reader->start = reader->end = 0;
    reader->ahead_offset = offset;
    reader->at_end = FALSE;
    reader->error = 0;
    g_free(reader->error_info);
    reader->error_info = NULL;
}

/*
 * Read the next chunk. file_read() returns -1 on an error even when it
 * copied bytes first; the position tells how many it copied.
 */
static void
refill(line_reader_t *reader, FILE_T fh)
{
    gint64 before = file_tell(fh);
    int n = file_read(reader->ahead, (unsigned)reader->chunk, fh);
    gint64 got = n >= 0 ? n : file_tell(fh) - before;

    reader->ahead_offset = before;
    reader->start = 0;
    reader->end = got > 0 ? (gsize)got : 0;
    if (n < 0)
        reader->error = file_error(fh, &reader->error_info);
    else if (n == 0)
        reader->at_end = TRUE;
}

gboolean
line_reader_next(line_reader_t *reader, FILE_T fh, text_line_t *line, int *err, gchar **err_info)
{
    line->offset = reader->ahead_offset + (gint64)reader->start;
    line->kept = 0;
    line->length = 0;
    line->cut = FALSE;
    line->partial = FALSE;
    *err = 0;

    for (;;) {
        if (reader->start == reader->end) {
            if (reader->error == 0 && !reader->at_end)
                refill(reader, fh);
            if (reader->start == reader->end) {
                if (reader->error != 0) {
                    if (line->length > 0) {
                        line->partial = TRUE;       /* the error comes with the next call */
                        return TRUE;
                    }
                    *err = reader->error;
                    *err_info = g_strdup(reader->error_info);
                    return FALSE;
                }
                if (reader->at_end)
                    return line->length > 0;        /* a last line without '\n' */
                continue;
            }
            if (line->length == 0)
                line->offset = reader->ahead_offset;
        }

        const char *from = reader->ahead + reader->start;
        gsize avail = reader->end - reader->start;
        const char *eol = memchr(from, '\n', avail);
        gsize take = eol ? (gsize)(eol - from) + 1 : avail;
        gsize room = LINE_READER_MAX - line->kept;
        gsize copy = MIN(take, room);

        memcpy(reader->line + line->kept, from, copy);
        line->kept += copy;
        line->length += take;
        reader->start += take;
        if (eol) {
            line->cut = line->length > line->kept;
            return TRUE;
        }
    }
}
