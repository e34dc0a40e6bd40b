/* fuzz-frame.c
 * The frame envelope, as the dissector meets it in any pcapng file:
 * Exported PDU options, our envelope header, the metadata items.
 *
 * Checked: everything parsed points inside the input; the metadata walk
 * moves forward and stays inside; storing what was parsed gives back the
 * same bytes (the writer and the parser agree on every layout); the
 * metadata rebuilt item by item is the same bytes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "vpcflow-frame.h"

static gboolean
inside(const void *p, gsize n, const uint8_t *data, gsize size)
{
    const uint8_t *q = p;
    return q >= data && q <= data + size && n <= (gsize)(data + size - q);
}

static void
check_meta(const vpcflow_envelope_t *env)
{
    gsize off = 0, previous = 0;
    guint8 type;
    const guint8 *value;
    guint16 value_len;
    GByteArray *rebuilt = g_byte_array_new();

    while (vpcflow_meta_next(env->meta, env->meta_length, &off, &type, &value, &value_len)) {
        FUZZ_CHECK(off > previous || (previous == 0 && off >= 3));
        FUZZ_CHECK(off <= env->meta_length);
        FUZZ_CHECK(value == env->meta + off - value_len);
        vpcflow_meta_append(rebuilt, (vpcflow_meta_type_t)type, value, value_len);
        previous = off;
    }
    /* The walk stops at the end or at an item that runs past it. */
    FUZZ_CHECK(off <= env->meta_length);
    FUZZ_CHECK(rebuilt->len == off);
    FUZZ_CHECK(off == 0 || memcmp(rebuilt->data, env->meta, off) == 0);
    g_byte_array_free(rebuilt, TRUE);
}

static void
check_envelope(const uint8_t *data, gsize size)
{
    vpcflow_envelope_t env;

    if (!vpcflow_envelope_parse(data, size, &env))
        return;
    FUZZ_CHECK(size >= VPCFLOW_ENVELOPE_HEADER_LEN);
    FUZZ_CHECK(inside(env.format, env.format_length, data, size));
    FUZZ_CHECK(inside(env.meta, env.meta_length, data, size));
    FUZZ_CHECK(inside(env.record, env.record_length, data, size));
    FUZZ_CHECK(VPCFLOW_ENVELOPE_HEADER_LEN + (gsize)env.format_length + env.meta_length + env.record_length == size);
    check_meta(&env);

    /* Store it again: a full frame whose payload is the same bytes. */
    gsize frame_size = vpcflow_frame_size(&env);
    FUZZ_CHECK(frame_size == VPCFLOW_EPDU_PREFIX_LEN + size);
    uint8_t *frame = malloc(frame_size);
    vpcflow_frame_store(frame, &env);
    gsize payload;
    FUZZ_CHECK(vpcflow_epdu_payload(frame, frame_size, &payload));
    FUZZ_CHECK(payload == VPCFLOW_EPDU_PREFIX_LEN);
    FUZZ_CHECK(memcmp(frame + payload, data, size) == 0);
    free(frame);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = (uint8_t *)fuzz_copy(data, size);
    gsize payload = 0;

    /* As a whole Exported PDU record... */
    if (vpcflow_epdu_payload(copy, size, &payload)) {
        FUZZ_CHECK(payload <= size);
        check_envelope(copy + payload, size - payload);
    }
    /* ...and as an envelope alone (what the dissector is handed). */
    check_envelope(copy, size);
    free(copy);
    return 0;
}
