/* parquet-file.c
 * The footer and row groups of a Parquet file (parquet-file.h).
 *
 *   "PAR1" | column chunks of row group 0 | ... | FileMetaData | u32 LE its length | "PAR1"
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "parquet-file.h"
#include "parquet-codec.h"

#include <string.h>

/* The length word and the magic after the footer. */
#define TRAILER_LEN 8

static gboolean
memory_read(void *io, gint64 offset, guint8 *buffer, gsize length, char **error)
{
    parquet_memory_input_t *m = io;

    if (offset < 0 || offset > m->input.size || length > (guint64)(m->input.size - offset)) {
        *error = g_strdup_printf("bytes %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " lie past the end (%"
                                 G_GINT64_FORMAT " bytes)", offset, offset + (gint64)length, m->input.size);
        return FALSE;
    }
    memcpy(buffer, m->data + offset, length);
    return TRUE;
}

void
parquet_memory_input_init(parquet_memory_input_t *m, const guint8 *data, gsize length)
{
    m->input.read = memory_read;
    m->input.io = m;
    m->input.size = (gint64)length;
    m->data = data;
}

parquet_meta_t *
parquet_footer_read(const parquet_input_t *in, char **error, gboolean *unsupported)
{
    guint8 trailer[TRAILER_LEN];
    char *problem = NULL;

    *unsupported = FALSE;
    if (in->size < PARQUET_MAGIC_LEN + TRAILER_LEN) {
        *error = g_strdup_printf("the Parquet file has only %" G_GINT64_FORMAT " bytes (truncated?)", in->size);
        return NULL;
    }
    if (!in->read(in->io, in->size - TRAILER_LEN, trailer, TRAILER_LEN, &problem)) {
        *error = g_strdup_printf("cannot read the Parquet footer: %s", problem);
        g_free(problem);
        return NULL;
    }
    if (memcmp(trailer + 4, "PARE", 4) == 0) {
        *error = g_strdup("the Parquet file is encrypted (it ends with \"PARE\"): vpcshark reads plain files");
        return NULL;
    }
    if (memcmp(trailer + 4, PARQUET_MAGIC, PARQUET_MAGIC_LEN) != 0) {
        /* The schema and where each row group lies are only in the footer: no row can be read. */
        *error = g_strdup_printf("the file starts like Parquet but does not end with \"PAR1\": it is truncated "
                                 "(it ends at byte %" G_GINT64_FORMAT " without the footer, which holds the column "
                                 "names and types and where each row group lies, so no row can be read; fetch "
                                 "the file again), or not Parquet", in->size);
        return NULL;
    }
    guint32 length = (guint32)trailer[0] | (guint32)trailer[1] << 8 | (guint32)trailer[2] << 16 |
                     (guint32)trailer[3] << 24;
    if ((gint64)length > in->size - PARQUET_MAGIC_LEN - TRAILER_LEN) {
        *error = g_strdup_printf("the Parquet footer length (%u bytes) reaches past the start of the file (%"
                                 G_GINT64_FORMAT " bytes)", length, in->size);
        return NULL;
    }
    if (length > PARQUET_FOOTER_MAX) {
        *error = g_strdup_printf("the Parquet footer has %u bytes, more than the %d vpcshark reads", length,
                                 PARQUET_FOOTER_MAX);
        return NULL;
    }
    guint8 *footer = g_malloc(MAX(length, 1));
    parquet_meta_t *meta = NULL;
    if (!in->read(in->io, in->size - TRAILER_LEN - length, footer, length, &problem)) {
        *error = g_strdup_printf("cannot read the Parquet footer: %s", problem);
        g_free(problem);
    } else {
        meta = parquet_meta_parse(footer, length, error, unsupported);
    }
    g_free(footer);
    return meta;
}

void
parquet_rows_free(parquet_rows_t *rows)
{
    if (!rows)
        return;
    for (guint c = 0; c < rows->n_columns; c++)
        g_free(rows->columns[c]);
    g_free(rows->columns);
    g_ptr_array_free(rows->pages.buffers, TRUE);
    g_free(rows);
}

/* Read and decode one column chunk into rows->columns[c]. */
static gboolean
chunk_read(const parquet_input_t *in, const parquet_meta_t *meta, const parquet_chunk_t *chunk, guint c,
           parquet_rows_t *rows, char **error)
{
    const parquet_column_t *column = &meta->columns[c];
    char *problem = NULL;

    if (!parquet_codec_supported(chunk->codec)) {
        *error = g_strdup_printf("column \"%s\" is compressed with %s, which vpcshark does not read (GZIP, "
                                 "SNAPPY, ZSTD and uncompressed it does)", column->name,
                                 parquet_codec_name(chunk->codec));
        return FALSE;
    }
    if (chunk->start < PARQUET_MAGIC_LEN || chunk->start > in->size || chunk->size > in->size - chunk->start) {
        *error = g_strdup_printf("column \"%s\" lies at bytes %" G_GINT64_FORMAT "..+%" G_GINT64_FORMAT
                                 ", outside the file (%" G_GINT64_FORMAT " bytes; truncated?)", column->name,
                                 chunk->start, chunk->size, in->size);
        return FALSE;
    }
    if (chunk->size > PARQUET_CHUNK_MAX) {
        *error = g_strdup_printf("column \"%s\" has a chunk of %" G_GINT64_FORMAT " bytes, more than the %d "
                                 "vpcshark reads at once", column->name, chunk->size, PARQUET_CHUNK_MAX);
        return FALSE;
    }
    guint8 *data = g_malloc(MAX((gsize)chunk->size, 1));
    gboolean ok = in->read(in->io, chunk->start, data, (gsize)chunk->size, &problem);
    if (!ok) {
        *error = g_strdup_printf("column \"%s\": cannot read bytes %" G_GINT64_FORMAT "..+%" G_GINT64_FORMAT ": %s",
                                 column->name, chunk->start, chunk->size, problem);
        g_free(problem);
    } else {
        rows->columns[c] = g_new0(parquet_value_t, MAX(rows->n_rows, 1));
        ok = parquet_column_decode(column, chunk->codec, data, (gsize)chunk->size, rows->n_rows, rows->columns[c],
                                   &rows->pages, error);
    }
    g_free(data);
    return ok;
}

parquet_rows_t *
parquet_row_group_read(const parquet_input_t *in, const parquet_meta_t *meta, guint index, char **error)
{
    char *problem = NULL;

    if (index >= meta->n_row_groups) {
        *error = g_strdup_printf("there is no row group %u (the file has %u)", index, meta->n_row_groups);
        return NULL;
    }
    const parquet_row_group_t *group = &meta->row_groups[index];
    guint64 values = (guint64)group->num_rows * MAX(meta->n_columns, 1);
    if (group->num_rows > PARQUET_ROW_GROUP_VALUES_MAX || values > PARQUET_ROW_GROUP_VALUES_MAX) {
        *error = g_strdup_printf("row group %u has %" G_GINT64_FORMAT " rows of %u columns, more than the %d "
                                 "values vpcshark holds at once", index, group->num_rows, meta->n_columns,
                                 PARQUET_ROW_GROUP_VALUES_MAX);
        return NULL;
    }

    parquet_rows_t *rows = g_new0(parquet_rows_t, 1);
    rows->n_rows = (guint32)group->num_rows;
    rows->n_columns = meta->n_columns;
    rows->columns = g_new0(parquet_value_t *, MAX(meta->n_columns, 1));
    rows->pages.buffers = g_ptr_array_new_with_free_func(g_free);
    rows->pages.kept_max = PARQUET_ROW_GROUP_BYTES_MAX;
    for (guint c = 0; c < meta->n_columns; c++) {
        if (!chunk_read(in, meta, &group->chunks[c], c, rows, &problem)) {
            *error = g_strdup_printf("row group %u: %s", index, problem);
            g_free(problem);
            parquet_rows_free(rows);
            return NULL;
        }
    }
    return rows;
}
