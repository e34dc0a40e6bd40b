/* vpcflow-record.c
 * The record builder: a record from any source to a frame (see
 * vpcflow-record.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-record.h"
#include "vpcflow-fields.h"

#include <string.h>

/* Fields naming where a record was seen, most specific first. */
static const int where_fields[] = { VF_INTERFACE_ID, VF_TGW_ATTACHMENT_ID, VF_RESOURCE_ID };

static void
record_envelope(const vpcflow_record_t *record, vpcflow_envelope_t *env)
{
    const vpcflow_format_t *format = record->format;

    memset(env, 0, sizeof *env);
    env->format_from = format ? record->format_from : VPCFLOW_FORMAT_FROM_NONE;
    env->flags = record->flags;
    env->line = record->line;
    env->line_length = record->line_length ? record->line_length : (guint32)MIN(record->length, G_MAXUINT32);
    if (format) {
        env->format = format->text;
        env->format_length = (guint16)MIN(strlen(format->text), G_MAXUINT16);
    }
    if (record->meta) {
        env->meta = record->meta;
        env->meta_length = (guint16)MIN(record->meta_length, G_MAXUINT16);
    }
    env->record = record->text;
    env->record_length = (guint32)MIN(record->length, VPCFLOW_RECORD_MAX);
}

gsize
vpcflow_record_frame_size(const vpcflow_record_t *record)
{
    vpcflow_envelope_t env;

    record_envelope(record, &env);
    return vpcflow_frame_size(&env);
}

void
vpcflow_record_frame_store(guint8 *out, const vpcflow_record_t *record)
{
    vpcflow_envelope_t env;

    record_envelope(record, &env);
    vpcflow_frame_store(out, &env);
}

int
vpcflow_record_where(const vpcflow_format_t *format, const char *text, const vpcflow_token_t *tokens, guint n)
{
    if (!format || n != format->n_columns)
        return -1;
    for (guint i = 0; i < G_N_ELEMENTS(where_fields); i++) {
        int c = vpcflow_format_column(format, where_fields[i]);
        if (c >= 0 && !vpcflow_token_is_absent(text + tokens[c].offset, tokens[c].length))
            return c;
    }
    return -1;
}

void
vpcflow_record_facts(const vpcflow_record_t *record, vpcflow_record_facts_t *facts)
{
    const vpcflow_format_t *format = record->format;
    vpcflow_token_t split[VPCFLOW_FORMAT_MAX_COLUMNS];
    const vpcflow_token_t *tokens = record->tokens;
    guint n = record->n_tokens;

    memset(facts, 0, sizeof *facts);
    if (format && !tokens) {
        n = vpcflow_tokenize(record->text, MIN(record->length, VPCFLOW_RECORD_MAX), split, G_N_ELEMENTS(split));
        tokens = split;
    }

    int start = format ? vpcflow_format_column(format, VF_START) : -1;
    if (start >= 0 && (guint)start < MIN(n, VPCFLOW_FORMAT_MAX_COLUMNS) &&
        vpcflow_parse_time(record->text + tokens[start].offset, tokens[start].length, &facts->secs, &facts->nsecs,
                           &facts->time_in_ms)) {
        facts->has_time = TRUE;
    } else if (record->has_event_time) {
        facts->has_time = TRUE;
        facts->secs = record->event_time_ms / 1000;
        facts->nsecs = (gint32)(record->event_time_ms % 1000) * 1000000;
        facts->time_in_ms = TRUE;
    }

    int where = tokens ? vpcflow_record_where(format, record->text, tokens, n) : -1;
    if (where >= 0) {
        facts->where = record->text + tokens[where].offset;
        facts->where_length = tokens[where].length;
    } else if (record->stream && *record->stream) {
        facts->where = record->stream;
        facts->where_length = strlen(record->stream);
    }
}
