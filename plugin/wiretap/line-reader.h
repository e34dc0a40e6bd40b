/* line-reader.h
 * Reading text lines from a wiretap FILE_T without losing any.
 *
 * file_getsp() returns NULL on an error even when part of a line was
 * already copied, and splits lines longer than its buffer silently. This
 * wrapper reports both: a line cut at the length limit (the rest is
 * skipped and counted) and a line the file ended inside (truncated or
 * corrupt compressed data), so the reader can flag them instead of
 * dropping them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_LINE_READER_H
#define VPCSHARK_LINE_READER_H

#include "wtap-compat.h"

/* Longest line kept whole; longer lines keep their first this many bytes. */
#define LINE_READER_MAX 65536

typedef struct {
    gint64  offset;         /* where the line starts (uncompressed bytes) */
    gsize   kept;           /* bytes in the buffer, end of line included */
    guint64 length;         /* bytes of the whole line, end of line included */
    gboolean cut;           /* longer than LINE_READER_MAX: only its start is kept */
    gboolean partial;       /* the data ended inside the line with an error */
} text_line_t;

/* Buffers for one FILE_T: the kept line and a scratch area for skipping. */
typedef struct {
    char *line;             /* LINE_READER_MAX + 1 bytes */
    char *scratch;          /* LINE_READER_MAX + 1 bytes */
} line_reader_t;

void line_reader_init(line_reader_t *reader);
void line_reader_free(line_reader_t *reader);

/*
 * Read the next line. Returns TRUE with *line filled when there is one
 * (possibly cut or partial); FALSE at the end of the data (*err == 0)
 * or on an error before any byte of a line (*err, *err_info set). After
 * a partial line, the error is reported by the next call.
 */
gboolean line_reader_next(line_reader_t *reader, FILE_T fh, text_line_t *line, int *err, gchar **err_info);

#endif /* VPCSHARK_LINE_READER_H */
