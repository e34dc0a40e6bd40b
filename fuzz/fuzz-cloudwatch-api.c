/* fuzz-cloudwatch-api.c
 * What vpcflow-cloudwatch does with what it is answered and what it
 * reads: a FilterLogEvents response page (hostile or broken: any bytes),
 * each event of it turned into a frame as the extcap writes it; the JSON
 * a credential_process prints, or a container's or EC2 instance's
 * metadata service answers; the AWS shared files; a start time.
 *
 * Input: a selector byte (0: page, 1: credentials JSON, of a process if
 * the text's length is even, else of an instance, 2: AWS file, 3: start
 * time), then the text.
 *
 * Besides not crashing: every event of a page has a message; a next
 * token is never empty; each event's frame parses back to the event's
 * message (cut at the record limit) with its metadata items well formed;
 * accepted credentials have both keys.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "aws-credentials.h"
#include "cwl-api.h"
#include "vpcflow-frame.h"
#include "vpcflow-json.h"
#include "vpcflow-record.h"
#include "vpcflow-tokens.h"

static void
check_frame(const vpcflow_json_event_t *ev)
{
    vpcflow_json_context_t context = { .log_group = (char *)"/fuzz" };
    GByteArray *meta = g_byte_array_new();
    vpcflow_record_t record;
    vpcflow_envelope_t env;
    gsize payload;

    memset(&record, 0, sizeof record);
    vpcflow_json_event_meta(meta, ev, &context);
    record.text = ev->message;
    record.length = vpcflow_line_trim_eol(ev->message, strlen(ev->message));
    record.meta = meta->data;
    record.meta_length = meta->len;
    record.has_event_time = ev->has_timestamp;
    record.event_time_ms = ev->timestamp_ms;
    gsize size = vpcflow_record_frame_size(&record);
    guint8 *frame = g_malloc(size);
    vpcflow_record_frame_store(frame, &record);
    FUZZ_CHECK(vpcflow_epdu_payload(frame, size, &payload));
    FUZZ_CHECK(vpcflow_envelope_parse(frame + payload, size - payload, &env));
    FUZZ_CHECK(env.record_length == MIN(record.length, VPCFLOW_RECORD_MAX));
    FUZZ_CHECK(memcmp(env.record, ev->message, env.record_length) == 0);
    gsize offset = 0;
    guint8 type;
    const guint8 *value;
    guint16 value_len;
    gsize items = 0;
    while (vpcflow_meta_next(env.meta, env.meta_length, &offset, &type, &value, &value_len))
        items++;
    FUZZ_CHECK(offset == env.meta_length);
    FUZZ_CHECK(items >= 1);     /* the log group at least */
    g_free(frame);
    g_byte_array_free(meta, TRUE);
}

static void
fuzz_page(const uint8_t *data, size_t size)
{
    cwl_page_t page;

    cwl_page_parse(data, size, &page);
    for (guint i = 0; i < page.events->len; i++) {
        const vpcflow_json_event_t *ev = g_ptr_array_index(page.events, i);
        FUZZ_CHECK(ev->message != NULL);
        check_frame(ev);
    }
    FUZZ_CHECK(page.next_token == NULL || page.next_token[0] != '\0');
    FUZZ_CHECK(page.problems == 0 || page.first_problem != NULL);
    (void)cwl_error_is_transient(page.error_type);
    cwl_page_clear(&page);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input_t in = { data, size };
    uint8_t selector = fuzz_take_byte(&in);
    char *text = fuzz_copy(in.data, in.size);

    switch (selector % 4) {
    case 0:
        fuzz_page((const uint8_t *)text, in.size);
        break;
    case 1: {
        aws_credentials_t c;
        char *error = NULL;
        /* credential_process output, or a container's or instance's answer (by the size's parity) */
        gboolean ok = in.size % 2 ? aws_credentials_from_instance_json(text, in.size, &c, &error)
                                  : aws_credentials_from_process_json(text, in.size, &c, &error);
        if (ok) {
            FUZZ_CHECK(c.access_key_id && *c.access_key_id && c.secret_access_key && *c.secret_access_key);
            aws_credentials_clear(&c);
        } else {
            FUZZ_CHECK(error != NULL);
            g_free(error);
        }
        break;
    }
    case 2: {
        aws_ini_t *ini = aws_ini_parse(text, in.size);
        (void)aws_ini_get(ini, "default", "aws_access_key_id");
        (void)aws_ini_get(ini, "profile x", "credential_process");
        aws_ini_free(ini);
        break;
    }
    default: {
        char *line = g_strndup(text, in.size);
        gint64 start = 0;
        char *error = NULL;
        if (!cwl_parse_start_time(line, G_GINT64_CONSTANT(1700000000000), &start, &error))
            g_free(error);
        g_free(line);
        break;
    }
    }
    free(text);
    return 0;
}
