/* parquet-column.h
 * Decoding one column chunk of a row group: its pages (dictionary, data
 * version 1 and 2), decompressed, their definition levels and values
 * (PLAIN or dictionary-encoded) laid out one value per row.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PARQUET_COLUMN_H
#define PARQUET_COLUMN_H

#include <glib.h>

#include "parquet-meta.h"
#include "parquet-values.h"

/* Largest page once decompressed (bigger ones are refused: bombs). */
#define PARQUET_PAGE_MAX (64 * 1024 * 1024)

/* Decompressed pages the values of a row group point into, and how much they hold. */
typedef struct {
    GPtrArray *buffers;         /* g_free'd */
    gsize      kept;            /* bytes in buffers */
    gsize      kept_max;        /* refuse to keep more */
} parquet_pages_t;

/*
 * Decode the pages of chunk (its bytes: data[0..length)) into values,
 * one per row (n_rows of them). FALSE with *error set (g_free it),
 * naming the page and what is wrong.
 */
gboolean parquet_column_decode(const parquet_column_t *column, parquet_codec_t codec, const guint8 *data,
                               gsize length, guint32 n_rows, parquet_value_t *values, parquet_pages_t *pages,
                               char **error);

#endif /* PARQUET_COLUMN_H */
