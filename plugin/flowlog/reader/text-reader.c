/* text-reader.c
 * Reading a wiretap FILE_T as text without losing any.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "text-reader.h"

#include <string.h>

void
text_reader_init(text_reader_t *reader, gsize chunk)
{
    memset(reader, 0, sizeof *reader);
    reader->line = g_malloc(TEXT_READER_LINE_MAX);
    reader->chunk = chunk;
    reader->ahead = g_malloc(chunk);
}

void
text_reader_free(text_reader_t *reader)
{
    g_free(reader->line);
    g_free(reader->ahead);
    g_free(reader->error_info);
    memset(reader, 0, sizeof *reader);
}

void
text_reader_restart(text_reader_t *reader, gint64 offset)
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
refill(text_reader_t *reader, FILE_T fh)
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

gsize
text_reader_peek(text_reader_t *reader, FILE_T fh, const guint8 **data, gint64 *offset, int *err, gchar **err_info)
{
    *err = 0;
    if (reader->start == reader->end && reader->error == 0 && !reader->at_end)
        refill(reader, fh);
    *data = reader->ahead + reader->start;
    *offset = reader->ahead_offset + (gint64)reader->start;
    if (reader->start == reader->end && reader->error != 0) {
        *err = reader->error;
        *err_info = g_strdup(reader->error_info);
    }
    return reader->end - reader->start;
}

void
text_reader_consume(text_reader_t *reader, gsize used)
{
    reader->start += MIN(used, reader->end - reader->start);
}

gboolean
text_reader_next_line(text_reader_t *reader, FILE_T fh, text_line_t *line, int *err, gchar **err_info)
{
    line->offset = reader->ahead_offset + (gint64)reader->start;
    line->kept = 0;
    line->length = 0;
    line->eol = 0;
    line->cut = FALSE;
    line->partial = FALSE;
    *err = 0;

    guint8 last = 0;   /* the byte before the current chunk, for a "\r\n" split between chunks */
    for (;;) {
        const guint8 *from;
        gint64 at;
        gsize avail = text_reader_peek(reader, fh, &from, &at, err, err_info);

        if (avail == 0) {
            /* A last line without an end of line can be too long as well. */
            line->cut = line->length > line->kept;
            if (*err != 0 && line->length > 0) {
                /* The data ends inside this line; the error comes with the next call. */
                g_free(*err_info);
                *err_info = NULL;
                *err = 0;
                line->partial = TRUE;
                return TRUE;
            }
            return *err == 0 && line->length > 0;   /* a last line without '\n' */
        }
        if (line->length == 0)
            line->offset = at;

        const guint8 *eol = memchr(from, '\n', avail);
        gsize take = eol ? (gsize)(eol - from) + 1 : avail;
        gsize copy = MIN(take, TEXT_READER_LINE_MAX - line->kept);

        memcpy(reader->line + line->kept, from, copy);
        line->kept += copy;
        line->length += take;
        text_reader_consume(reader, take);
        if (eol) {
            guint8 before = eol > from ? eol[-1] : last;
            line->eol = line->length >= 2 && before == '\r' ? 2 : 1;
            line->cut = line->length > line->kept;
            return TRUE;
        }
        last = from[take - 1];
    }
}

void
text_reader_locate_error(int *err, gchar **err_info, guint64 line_number, gint64 offset, const char *items)
{
    gchar *place = offset >= 0 ? g_strdup_printf("line %" G_GUINT64_FORMAT " (byte %" G_GINT64_FORMAT
                                                 " of the uncompressed text)", line_number, offset)
                               : g_strdup_printf("line %" G_GUINT64_FORMAT, line_number);
    gchar *located;

    if (*err == WTAP_ERR_SHORT_READ) {
        located = g_strdup_printf("vpcflow: the file ends in the middle of its compressed data, after %s; the %s "
                                  "before it were read", place, items);
        *err = WTAP_ERR_BAD_FILE;
    } else {
        located = g_strdup_printf("vpcflow: after %s: %s", place, *err_info ? *err_info : wtap_strerror(*err));
    }
    g_free(place);
    g_free(*err_info);
    *err_info = located;
}
