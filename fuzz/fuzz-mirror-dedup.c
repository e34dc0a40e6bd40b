/* fuzz-mirror-dedup.c
 * The Traffic Mirror duplicate window, driven by a sequence of packets
 * the input describes, against a plain list that remembers everything.
 *
 * Input: a byte that picks the window and the cap, then 2 bytes per
 * packet: fingerprint (1 byte: few values, many collisions in the
 * index), source (2 bits) and time step (6 bits, which may go backwards).
 *
 * Besides not crashing: every answer is the model's, the window never
 * holds more packets than its cap, and never more than one per
 * fingerprint.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "fuzz-common.h"

#include "mirror-dedup.h"

typedef struct {
    guint64 fingerprint;
    guint64 source;
    gint64 ts;
    guint32 frame;
} ref_t;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input_t in = { data, size };
    guint8 shape = fuzz_take_byte(&in);
    gint64 window = (gint64)(shape & 0x0f) * 3;
    guint cap = 16u << ((shape >> 4) & 0x3);
    gboolean capped = FALSE;
    mirror_dedup_t *dd = mirror_dedup_new(window, cap);
    GArray *model = g_array_new(FALSE, FALSE, sizeof(ref_t));
    gint64 ts = 1000;
    guint32 frame = 0;

    while (in.size >= 2 && frame < 20000) {
        guint8 a = fuzz_take_byte(&in), b = fuzz_take_byte(&in);
        guint64 fp = a;
        guint64 source = b & 0x3;
        gint step = (gint)(b >> 2) - 8; /* mostly forward, sometimes back */
        guint32 expect = 0;
        guint32 got;
        gint i, found = -1;

        frame++;
        ts += step;
        /* The model forgets in arrival order, as the window does. */
        while (model->len > 0 && g_array_index(model, ref_t, 0).ts < ts - window) {
            g_array_remove_index(model, 0);
        }
        for (i = (gint)model->len - 1; i >= 0; i--) {
            if (g_array_index(model, ref_t, i).fingerprint == fp) {
                found = i;
                break;
            }
        }
        if (found >= 0) {
            const ref_t *r = &g_array_index(model, ref_t, found);
            gint64 d = r->ts > ts ? r->ts - ts : ts - r->ts;

            if (d <= window && r->source != source) {
                expect = r->frame;
            }
        }
        got = mirror_dedup_check(dd, fp, source, ts, frame);
        if (!capped) {
            FUZZ_CHECK(got == expect);
        }
        if (got == 0) {
            ref_t r = { fp, source, ts, frame };

            g_array_append_val(model, r);
        }
        /* Superseded entries stay in the model, as they stay in the ring. */
        if (model->len > cap) {
            capped = TRUE; /* from here on the window forgets early: only the bounds are checked */
        }
        FUZZ_CHECK(mirror_dedup_size(dd) <= 256);
        FUZZ_CHECK(mirror_dedup_capacity(dd) <= MAX(cap, 16u));
    }
    mirror_dedup_free(dd);
    g_array_free(model, TRUE);
    return 0;
}
