/* parquet-values.h
 * Decoding the values and levels of a Parquet page: the RLE/bit-packed
 * hybrid (definition levels, dictionary indexes) and PLAIN values.
 *
 * Values of byte arrays point into the page they were decoded from,
 * which the caller keeps as long as the values.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PARQUET_VALUES_H
#define PARQUET_VALUES_H

#include <glib.h>

#include "parquet-meta.h"

/* One cell of a column. */
typedef struct {
    union {
        gint64        i;        /* BOOLEAN, INT32, INT64 */
        double        d;        /* FLOAT, DOUBLE */
        const guint8 *bytes;    /* BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96 */
    } v;
    guint32 length;             /* of bytes */
    guint8  present;            /* 0: null */
} parquet_value_t;

/*
 * Decode count values of the RLE/bit-packed hybrid of bit_width bits
 * (0..32) into out; *used is how many bytes it took. FALSE with *error
 * set when the data ends before count values.
 */
gboolean parquet_rle_decode(const guint8 *data, gsize length, guint bit_width, guint32 count, guint32 *out,
                            gsize *used, char **error);

/*
 * Decode count PLAIN values of type into out (present set). *used is
 * how many bytes they took. FALSE with *error set when the data ends
 * early.
 */
gboolean parquet_plain_decode(parquet_type_t type, gint32 type_length, const guint8 *data, gsize length,
                              guint32 count, parquet_value_t *out, gsize *used, char **error);

/*
 * Decode the count integers of a DELTA_BINARY_PACKED run (header, then
 * blocks of a minimum delta and bit-packed miniblocks) into out, with
 * 64-bit wrapping arithmetic (an INT32 column's values are the low 32
 * bits). *used is how many bytes it took: what follows (the bytes of a
 * DELTA_LENGTH_BYTE_ARRAY page) starts there. FALSE with *error set when
 * the run is cut short, holds another number of values, or has a bit
 * width or block shape the format does not allow.
 */
gboolean parquet_delta_decode(const guint8 *data, gsize length, guint32 count, gint64 *out, gsize *used,
                              char **error);

/*
 * Decode count BYTE_STREAM_SPLIT values of type (FLOAT, DOUBLE, INT32,
 * INT64: byte k of every value in stream k) into out. FALSE with *error
 * set when the data is not exactly count values.
 */
gboolean parquet_byte_stream_split_decode(parquet_type_t type, const guint8 *data, gsize length, guint32 count,
                                          parquet_value_t *out, char **error);

/* Bits needed for values up to max. */
guint parquet_bit_width(guint32 max);

#endif /* PARQUET_VALUES_H */
