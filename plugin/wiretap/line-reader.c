/* line-reader.c
 * Reading text lines from a wiretap FILE_T without losing any.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "line-reader.h"

void
line_reader_init(line_reader_t *reader)
{
    reader->line = g_malloc(LINE_READER_MAX + 1);
    reader->scratch = g_malloc(LINE_READER_MAX + 1);
}

void
line_reader_free(line_reader_t *reader)
{
    g_free(reader->line);
    g_free(reader->scratch);
    reader->line = NULL;
    reader->scratch = NULL;
}

static inline gboolean
ends_line(const char *buf, gsize n)
{
    return n > 0 && buf[n - 1] == '\n';
}

/*
 * file_getsp() into buf; returns the bytes copied, or -1 with *err set.
 * On an error the bytes copied before it are still counted, from the
 * position, because file_getsp() does not return them.
 */
static gint64
get_piece(FILE_T fh, char *buf, int *err, gchar **err_info)
{
    gint64 before = file_tell(fh);
    char *end = file_getsp(buf, LINE_READER_MAX + 1, fh);

    if (end)
        return end - buf;
    *err = file_error(fh, err_info);
    if (*err == 0)
        return 0;                       /* end of data */
    gint64 got = file_tell(fh) - before;
    return got > 0 ? got : -1;
}

gboolean
line_reader_next(line_reader_t *reader, FILE_T fh, text_line_t *line, int *err, gchar **err_info)
{
    *err = 0;
    line->offset = file_tell(fh);
    line->cut = FALSE;
    line->partial = FALSE;

    gint64 n = get_piece(fh, reader->line, err, err_info);
    if (n <= 0)
        return FALSE;
    line->kept = (gsize)n;
    line->length = (guint64)n;
    if (*err != 0) {
        line->partial = TRUE;
        return TRUE;
    }
    if (ends_line(reader->line, line->kept) || n < LINE_READER_MAX)
        return TRUE;                    /* whole line, or the last one without '\n' */

    /* Longer than we keep: count the rest of it without storing it. */
    for (;;) {
        gint64 more = get_piece(fh, reader->scratch, err, err_info);
        if (more < 0) {
            line->partial = TRUE;
            break;
        }
        if (more == 0)
            break;
        line->length += (guint64)more;
        if (*err != 0) {
            line->partial = TRUE;
            break;
        }
        if (ends_line(reader->scratch, (gsize)more))
            break;
    }
    line->cut = line->length > LINE_READER_MAX;
    if (line->partial && *err == 0)
        line->partial = FALSE;
    return TRUE;
}
