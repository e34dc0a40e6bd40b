/* parquet-codec.c
 * Page decompression (parquet-codec.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "parquet-codec.h"

#include <string.h>

#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

gboolean
parquet_codec_supported(parquet_codec_t codec)
{
    return codec == PARQUET_UNCOMPRESSED || codec == PARQUET_GZIP || codec == PARQUET_SNAPPY ||
           codec == PARQUET_ZSTD;
}

/* gzip members (or a zlib stream) back to back, exactly filling out. */
static gboolean
inflate_exact(const guint8 *in, gsize in_length, guint8 *out, gsize out_length, char **error)
{
    z_stream z = { 0 };
    int ret = Z_OK;

    /* 15 + 32: a gzip or zlib header, whichever it is. */
    if (inflateInit2(&z, 15 + 32) != Z_OK) {
        *error = g_strdup("GZIP: cannot start zlib");
        return FALSE;
    }
    z.next_in = (Bytef *)in;
    z.next_out = out;
    /* zlib counts in uInt; pages are capped far below 4 GiB. */
    z.avail_in = (uInt)MIN(in_length, G_MAXUINT);
    z.avail_out = (uInt)MIN(out_length, G_MAXUINT);
    for (;;) {
        ret = inflate(&z, Z_FINISH);
        if (ret == Z_STREAM_END && z.avail_in > 0 && z.avail_out > 0 && inflateReset(&z) == Z_OK)
            continue;           /* another gzip member */
        break;
    }
    gsize produced = out_length - z.avail_out;
    gboolean more = ret != Z_STREAM_END && z.avail_out == 0;
    inflateEnd(&z);
    if (more) {
        *error = g_strdup_printf("GZIP: the page decompresses to more than the %" G_GSIZE_FORMAT
                                 " bytes its header gives", out_length);
        return FALSE;
    }
    if (ret != Z_STREAM_END || produced != out_length) {
        *error = g_strdup_printf("GZIP: the page is corrupt or truncated (%" G_GSIZE_FORMAT " of %"
                                 G_GSIZE_FORMAT " bytes decompressed)", produced, out_length);
        return FALSE;
    }
    return TRUE;
}

static gboolean
snappy_exact(const guint8 *in, gsize in_length, guint8 *out, gsize out_length, char **error)
{
    size_t length;

    if (snappy_uncompressed_length((const char *)in, in_length, &length) != SNAPPY_OK) {
        *error = g_strdup("SNAPPY: the page is corrupt");
        return FALSE;
    }
    if (length != out_length) {
        *error = g_strdup_printf("SNAPPY: the page decompresses to %" G_GSIZE_FORMAT " bytes, its header gives %"
                                 G_GSIZE_FORMAT, (gsize)length, out_length);
        return FALSE;
    }
    if (snappy_uncompress((const char *)in, in_length, (char *)out, &length) != SNAPPY_OK || length != out_length) {
        *error = g_strdup("SNAPPY: the page is corrupt or truncated");
        return FALSE;
    }
    return TRUE;
}

static gboolean
zstd_exact(const guint8 *in, gsize in_length, guint8 *out, gsize out_length, char **error)
{
    /* Writes at most out_length bytes: a larger frame is an error. */
    size_t produced = ZSTD_decompress(out, out_length, in, in_length);

    if (ZSTD_isError(produced)) {
        *error = g_strdup_printf("ZSTD: %s (the page header gives %" G_GSIZE_FORMAT " bytes)",
                                 ZSTD_getErrorName(produced), out_length);
        return FALSE;
    }
    if (produced != out_length) {
        *error = g_strdup_printf("ZSTD: the page decompresses to %" G_GSIZE_FORMAT " bytes, its header gives %"
                                 G_GSIZE_FORMAT, (gsize)produced, out_length);
        return FALSE;
    }
    return TRUE;
}

gboolean
parquet_decompress(parquet_codec_t codec, const guint8 *in, gsize in_length, guint8 *out, gsize out_length,
                   char **error)
{
    switch (codec) {
    case PARQUET_UNCOMPRESSED:
        if (in_length != out_length) {
            *error = g_strdup_printf("an uncompressed page of %" G_GSIZE_FORMAT " bytes says it has %"
                                     G_GSIZE_FORMAT, in_length, out_length);
            return FALSE;
        }
        memcpy(out, in, in_length);
        return TRUE;
    case PARQUET_GZIP:
        return inflate_exact(in, in_length, out, out_length, error);
    case PARQUET_SNAPPY:
        return snappy_exact(in, in_length, out, out_length, error);
    case PARQUET_ZSTD:
        return zstd_exact(in, in_length, out, out_length, error);
    default:
        *error = g_strdup_printf("pages compressed with %s are not supported (GZIP, SNAPPY, ZSTD and "
                                 "uncompressed are)", parquet_codec_name(codec));
        return FALSE;
    }
}
