/* parquet-thrift.h
 * Reading the Thrift compact protocol, the encoding of Parquet's footer
 * (FileMetaData) and page headers, from a bounded buffer.
 *
 * Every read checks what is left; the first problem stops the cursor
 * (later reads return zero values) and keeps a message, so a decoder can
 * read a whole struct and ask once whether it went well. Nesting is
 * limited, so a hostile footer cannot recurse without end.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PARQUET_THRIFT_H
#define PARQUET_THRIFT_H

#include <glib.h>

/* Compact protocol type codes (as they appear in field headers). */
typedef enum {
    THRIFT_STOP = 0,
    THRIFT_TRUE = 1,            /* a boolean field holding true */
    THRIFT_FALSE = 2,
    THRIFT_BYTE = 3,
    THRIFT_I16 = 4,
    THRIFT_I32 = 5,
    THRIFT_I64 = 6,
    THRIFT_DOUBLE = 7,
    THRIFT_BINARY = 8,
    THRIFT_LIST = 9,
    THRIFT_SET = 10,
    THRIFT_MAP = 11,
    THRIFT_STRUCT = 12
} thrift_type_t;

/* Deepest struct/list nesting accepted (Parquet's own go about 5 deep). */
#define THRIFT_DEPTH_MAX 32

typedef struct {
    const guint8 *data;
    gsize         length;
    gsize         pos;
    guint         depth;
    char         *error;        /* the first problem, or NULL */
    gboolean      unsupported;  /* ... and it is well-formed data the caller does not read */
} thrift_reader_t;

/* A struct being read: the last field id, for the delta encoding of the next. */
typedef struct {
    gint16 last_id;
} thrift_struct_t;

void thrift_reader_init(thrift_reader_t *r, const guint8 *data, gsize length);
/* Stop the cursor with a message (the first one is kept). */
void thrift_fail(thrift_reader_t *r, const char *format, ...) G_GNUC_PRINTF(2, 3);
/* The same for data that is fine but describes what the caller does not read. */
void thrift_refuse(thrift_reader_t *r, const char *format, ...) G_GNUC_PRINTF(2, 3);
static inline gboolean
thrift_ok(const thrift_reader_t *r)
{
    return r->error == NULL;
}

/* Enter and leave a struct (counts the depth). */
gboolean thrift_struct_begin(thrift_reader_t *r, thrift_struct_t *s);
void thrift_struct_end(thrift_reader_t *r);

/* The next field of a struct: FALSE at its end or on a problem. */
gboolean thrift_field(thrift_reader_t *r, thrift_struct_t *s, gint16 *id, thrift_type_t *type);

/* Values; type is the field's type, checked against what is asked. */
gint64 thrift_int(thrift_reader_t *r, thrift_type_t type);
gboolean thrift_bool(thrift_reader_t *r, thrift_type_t type);
/* A binary value: points into the buffer. */
const guint8 *thrift_binary(thrift_reader_t *r, thrift_type_t type, gsize *length);

/* A list header: its element count (at most what the bytes left can hold) and element type. */
guint32 thrift_list(thrift_reader_t *r, thrift_type_t type, thrift_type_t *element);
/* Elements of integers or binaries: thrift_int() / thrift_binary() with the element type. */

/* Skip a value of any type. */
void thrift_skip(thrift_reader_t *r, thrift_type_t type);

#endif /* PARQUET_THRIFT_H */
