/* parquet-file.h
 * Reading a Parquet file one row group at a time, through a read
 * function, so the library needs no Wireshark (the reader passes wiretap
 * file handles; tests and fuzzers pass memory).
 *
 * Memory is bounded by one row group: its column chunks are read and
 * decoded, then the caller frees them before the next.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PARQUET_FILE_H
#define PARQUET_FILE_H

#include <glib.h>

#include "parquet-meta.h"
#include "parquet-column.h"
#include "parquet-values.h"

/* "PAR1" at the start and the end of every Parquet file. */
#define PARQUET_MAGIC     "PAR1"
#define PARQUET_MAGIC_LEN 4

/* Largest footer read. */
#define PARQUET_FOOTER_MAX (64 * 1024 * 1024)
/* Largest column chunk read at once. */
#define PARQUET_CHUNK_MAX (512 * 1024 * 1024)
/* Most values (rows x columns) of one row group held at once. */
#define PARQUET_ROW_GROUP_VALUES_MAX (16 * 1024 * 1024)
/* Most decompressed page bytes of one row group held at once. */
#define PARQUET_ROW_GROUP_BYTES_MAX ((gsize)512 * 1024 * 1024)

/* Read length bytes at offset into buffer; FALSE with *error set (g_free it) if they cannot be. */
typedef gboolean (*parquet_read_fn)(void *io, gint64 offset, guint8 *buffer, gsize length, char **error);

typedef struct {
    parquet_read_fn read;
    void           *io;
    gint64          size;       /* of the whole file */
} parquet_input_t;

/* An input over bytes in memory (io is the input itself). */
typedef struct {
    parquet_input_t input;
    const guint8   *data;
} parquet_memory_input_t;

void parquet_memory_input_init(parquet_memory_input_t *m, const guint8 *data, gsize length);

/*
 * Read and decode the footer. NULL with *error set (g_free it), saying
 * what is wrong; *unsupported tells a file vpcshark does not read (nested
 * schema, ...) from a damaged one.
 */
parquet_meta_t *parquet_footer_read(const parquet_input_t *in, char **error, gboolean *unsupported);

/* The decoded values of one row group. */
typedef struct {
    guint32           n_rows;
    guint             n_columns;
    parquet_value_t **columns;  /* [column][row] */
    parquet_pages_t   pages;    /* what byte values point into */
} parquet_rows_t;

/* Read and decode row group index. NULL with *error set, naming the column and page. */
parquet_rows_t *parquet_row_group_read(const parquet_input_t *in, const parquet_meta_t *meta, guint index,
                                       char **error);
void parquet_rows_free(parquet_rows_t *rows);

#endif /* PARQUET_FILE_H */
