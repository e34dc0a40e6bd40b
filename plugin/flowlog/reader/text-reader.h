/* text-reader.h
 * Reading a wiretap FILE_T as text, line by line or in raw pieces,
 * without losing any.
 *
 * file_getsp() gives nothing more once the decompressor has met an
 * error, even the lines it had already decompressed, and it splits long
 * lines silently. This reader reads ahead with file_read() (which hands
 * out buffered data before reporting an error) and reports both cases:
 * a line cut at the length limit (the rest is skipped and counted) and a
 * line the data ended inside (truncated or corrupt compressed data), so
 * the caller can flag them instead of dropping them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_TEXT_READER_H
#define VPCSHARK_TEXT_READER_H

#include "wtap-compat.h"

#include "vpcflow-record.h"

/* Longest line kept whole; longer lines keep their first this many bytes. */
#define TEXT_READER_LINE_MAX VPCFLOW_RECORD_MAX

typedef struct {
    gint64   offset;        /* where the line starts (uncompressed bytes) */
    gsize    kept;          /* bytes in the line buffer, end of line included */
    guint64  length;        /* bytes of the whole line, end of line included */
    guint    eol;           /* bytes of its end of line: 0, 1 ("\n") or 2 ("\r\n") */
    gboolean cut;           /* longer than TEXT_READER_LINE_MAX: only its start is kept */
    gboolean partial;       /* the data ended inside the line with an error */
} text_line_t;

typedef struct {
    char    *line;          /* the current line, TEXT_READER_LINE_MAX bytes */
    guint8  *ahead;         /* bytes read ahead */
    gsize    chunk;         /* how much to read ahead at a time */
    gsize    start, end;    /* unread bytes are ahead[start..end) */
    gint64   ahead_offset;  /* file offset of ahead[0] */
    gboolean at_end;        /* no more data */
    int      error;         /* error met after the data read ahead */
    gchar   *error_info;
} text_reader_t;

/* chunk: read-ahead size (large for sequential reads, small for random access). */
void text_reader_init(text_reader_t *reader, gsize chunk);
void text_reader_free(text_reader_t *reader);

/* Forget what was read ahead: the next byte is at offset (after a file_seek()). */
void text_reader_restart(text_reader_t *reader, gint64 offset);

/*
 * Read the next line. Returns TRUE with *line filled when there is one
 * (possibly cut or partial); FALSE at the end of the data (*err == 0)
 * or on an error before any byte of a line (*err, *err_info set).
 */
gboolean text_reader_next_line(text_reader_t *reader, FILE_T fh, text_line_t *line, int *err, gchar **err_info);

/*
 * The unread bytes (reading more if there are none) and the offset of
 * the first. Returns 0 at the end of the data (*err == 0) or on an error
 * (*err, *err_info set). Mark what was used with text_reader_consume().
 */
gsize text_reader_peek(text_reader_t *reader, FILE_T fh, const guint8 **data, gint64 *offset, int *err,
                       gchar **err_info);
void text_reader_consume(text_reader_t *reader, gsize used);

/*
 * Put the place into a read error met after line_number (and, if offset is
 * not negative, at that byte of the uncompressed text), and name a short
 * read for what it is: data cut short, the items ("lines", "rows") before it
 * read.
 */
void text_reader_locate_error(int *err, gchar **err_info, guint64 line_number, gint64 offset, const char *items);

#endif /* VPCSHARK_TEXT_READER_H */
