/* fuzz-frame.c
 * The frame envelope, as the dissector meets it in any pcapng file:
 * Exported PDU options, our envelope header, the metadata items; and the
 * record builder that makes every frame, on any record text and format.
 *
 * Checked: everything parsed points inside the input; the metadata walk
 * moves forward and stays inside; storing what was parsed gives back the
 * same bytes (the writer and the parser agree on every layout); the
 * metadata rebuilt item by item is the same bytes; a built frame parses
 * back to the record it was built from, and the interface the builder
 * names lies inside the record (or is its log stream).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "vpcflow-frame.h"
#include "vpcflow-record.h"

#include <string.h>

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

/* The input's first line as a format (if it is one), the rest as the record. */
static void
check_record(const uint8_t *data, gsize size)
{
    const uint8_t *newline = memchr(data, '\n', size);
    gsize spec_len = newline ? (gsize)(newline - data) : 0;
    char *error = NULL;
    vpcflow_format_t *format = newline ? vpcflow_format_parse((const char *)data, spec_len, &error) : NULL;
    vpcflow_record_t record;
    vpcflow_record_facts_t facts;
    vpcflow_envelope_t env;

    g_free(error);
    memset(&record, 0, sizeof record);
    record.format = format;
    record.format_from = VPCFLOW_FORMAT_FROM_DETECTED;
    record.text = (const char *)data + (newline ? spec_len + 1 : 0);
    record.length = size - (newline ? spec_len + 1 : 0);
    record.stream = "stream";
    record.has_event_time = size % 2 == 0;
    record.event_time_ms = (gint64)size * 1000;

    vpcflow_record_facts(&record, &facts);
    FUZZ_CHECK(!facts.where || facts.where == record.stream ||
               inside(facts.where, facts.where_length, (const uint8_t *)record.text, record.length));
    FUZZ_CHECK(!facts.has_time || facts.time_in_ms || facts.nsecs == 0);

    gsize frame_size = vpcflow_record_frame_size(&record);
    uint8_t *frame = malloc(frame_size);
    vpcflow_record_frame_store(frame, &record);
    FUZZ_CHECK(vpcflow_envelope_parse(frame + VPCFLOW_EPDU_PREFIX_LEN, frame_size - VPCFLOW_EPDU_PREFIX_LEN, &env));
    FUZZ_CHECK(env.record_length == MIN(record.length, VPCFLOW_RECORD_MAX));
    FUZZ_CHECK(env.record_length == 0 || memcmp(env.record, record.text, env.record_length) == 0);
    FUZZ_CHECK((env.format_length > 0) == (format != NULL && *format->text != '\0'));
    FUZZ_CHECK(env.format_from == (format ? VPCFLOW_FORMAT_FROM_DETECTED : VPCFLOW_FORMAT_FROM_NONE));
    free(frame);
    vpcflow_format_free(format);
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
    /* ...and as a format and a record for the builder. */
    check_record(copy, size);
    free(copy);
    return 0;
}
