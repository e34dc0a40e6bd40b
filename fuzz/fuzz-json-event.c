/* fuzz-json-event.c
 * The event parser (Wireshark's wsjson underneath) on any bytes, with
 * the nesting depth the scanner would report taken from the first byte.
 *
 * Checked: success gives a message and no error, failure an error and a
 * cleared event; member strings are whole C strings; timestamps are
 * whole milliseconds from 0 to 9e15 (beyond that a double loses them).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "vpcflow-json.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input_t in = { data, size };
    guint depth = fuzz_take_byte(&in) % (VPCFLOW_JSON_ITEM_MAX_DEPTH + 4);
    char *json = fuzz_copy(in.data, in.size);
    vpcflow_json_event_t event;
    char *error = NULL;

    gboolean ok = vpcflow_json_event_parse((const guint8 *)json, in.size, depth, &event, &error);
    if (ok) {
        FUZZ_CHECK(error == NULL && event.message != NULL);
        FUZZ_CHECK(depth <= VPCFLOW_JSON_ITEM_MAX_DEPTH);
        FUZZ_CHECK(memchr(json, '\0', in.size) == NULL);
        FUZZ_CHECK(!event.has_timestamp || (event.timestamp_ms >= 0 && event.timestamp_ms <= (gint64)9e15));
        FUZZ_CHECK(!event.has_ingestion_time ||
                   (event.ingestion_time_ms >= 0 && event.ingestion_time_ms <= (gint64)9e15));
        /* Touch every byte of the strings (ASan checks they are whole). */
        const char *strings[] = { event.message, event.log_stream, event.log_group, event.event_id };
        for (guint i = 0; i < G_N_ELEMENTS(strings); i++) {
            if (strings[i])
                FUZZ_CHECK(strlen(strings[i]) <= in.size);
        }
    } else {
        FUZZ_CHECK(error != NULL && error[0] != '\0');
        FUZZ_CHECK(event.message == NULL && event.log_stream == NULL && event.log_group == NULL &&
                   event.event_id == NULL);
    }
    vpcflow_json_event_clear(&event);
    g_free(error);
    free(json);
    return 0;
}
