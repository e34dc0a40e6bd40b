/* parquet-codec.h
 * Decompressing Parquet pages: GZIP (zlib), SNAPPY (libsnappy), ZSTD
 * (libzstd), or none.
 *
 * The page header says how large a page is once decompressed; that size
 * is the output buffer and must come out exactly, so a page that
 * inflates to more (a decompression bomb) stops at the buffer's end and
 * is an error, not an allocation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PARQUET_CODEC_H
#define PARQUET_CODEC_H

#include <glib.h>

#include "parquet-meta.h"

/* Whether pages compressed with codec can be read. */
gboolean parquet_codec_supported(parquet_codec_t codec);

/*
 * Decompress in[0..in_length) into out, which must come out exactly
 * out_length bytes long. FALSE with *error set (g_free it) otherwise.
 */
gboolean parquet_decompress(parquet_codec_t codec, const guint8 *in, gsize in_length, guint8 *out,
                            gsize out_length, char **error);

#endif /* PARQUET_CODEC_H */
