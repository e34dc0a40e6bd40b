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

/* Bits needed for values up to max. */
guint parquet_bit_width(guint32 max);

#endif /* PARQUET_VALUES_H */
