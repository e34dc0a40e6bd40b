/* fuzz-json-payload.c
 * Decoding the Lambda form's payload: JSON string escapes, base64, gzip.
 *
 * The first input byte picks what the rest is:
 *   0  the payload text as it appears in the file (any bytes);
 *   1  data the target gzips and base64-encodes itself: the decoder must
 *      give it back exactly (so every valid payload round-trips);
 *   2  the same, with every '/' of the base64 escaped as JSON may ("\/");
 *   3  gzip (or anything) as bytes, base64-encoded by the target: the
 *      inflater meets corrupt, truncated and concatenated streams.
 *
 * Checked: a result or an error, never both; results stay under the cap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include <gio/gio.h>

#include "vpcflow-json.h"

static GBytes *
gzip(const uint8_t *data, gsize size)
{
    GZlibCompressor *zip = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
    GByteArray *out = g_byte_array_new();
    guint8 buf[4096];
    gsize in_off = 0;

    for (;;) {
        gsize read = 0, written = 0;
        GError *error = NULL;
        GConverterResult r = g_converter_convert(G_CONVERTER(zip), data + in_off, size - in_off, buf, sizeof buf,
                                                 G_CONVERTER_INPUT_AT_END, &read, &written, &error);
        FUZZ_CHECK(r != G_CONVERTER_ERROR);
        in_off += read;
        g_byte_array_append(out, buf, (guint)written);
        if (r == G_CONVERTER_FINISHED)
            break;
    }
    g_object_unref(zip);
    return g_byte_array_free_to_bytes(out);
}

static char *
escape_slashes(const char *b64)
{
    GString *s = g_string_new(NULL);

    for (const char *p = b64; *p; p++) {
        if (*p == '/')
            g_string_append(s, "\\/");
        else
            g_string_append_c(s, *p);
    }
    return g_string_free(s, FALSE);
}

static GByteArray *
decode(const char *text, gsize len, char **error)
{
    char *exact = fuzz_copy((const uint8_t *)text, len);
    /* The reader hands over a GByteArray's data, which is NULL when empty. */
    GByteArray *out = vpcflow_json_payload_decode(len ? (const guint8 *)exact : NULL, len, error);

    FUZZ_CHECK((out == NULL) != (*error == NULL));
    FUZZ_CHECK(!out || out->len <= VPCFLOW_JSON_INFLATED_MAX);
    free(exact);
    return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input_t in = { data, size };
    guint mode = fuzz_take_byte(&in) % 4;
    char *error = NULL;
    GByteArray *out = NULL;

    if (mode == 0) {
        out = decode((const char *)in.data, in.size, &error);
    } else if (mode == 1 || mode == 2) {
        GBytes *zipped = gzip(in.data, in.size);
        gsize zlen;
        const guint8 *z = g_bytes_get_data(zipped, &zlen);
        char *b64 = g_base64_encode(z, zlen);
        if (mode == 2) {
            char *escaped = escape_slashes(b64);
            g_free(b64);
            b64 = escaped;
        }
        out = decode(b64, strlen(b64), &error);
        FUZZ_CHECK(out != NULL);
        FUZZ_CHECK(out->len == in.size && (in.size == 0 || memcmp(out->data, in.data, in.size) == 0));
        g_free(b64);
        g_bytes_unref(zipped);
    } else {
        char *b64 = g_base64_encode(in.data, in.size);
        out = decode(b64, strlen(b64), &error);
        g_free(b64);
    }
    if (out)
        g_byte_array_free(out, TRUE);
    g_free(error);
    return 0;
}
