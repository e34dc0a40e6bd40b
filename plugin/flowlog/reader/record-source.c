/* record-source.c
 * The sample every source fills at open (record-source.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "record-source.h"

void
record_sample_init(record_sample_t *sample)
{
    sample->texts = g_ptr_array_new_with_free_func(g_free);
    sample->lengths = g_array_new(FALSE, FALSE, sizeof(gsize));
    sample->claim = FALSE;
    sample->refusal = NULL;
}

void
record_sample_clear(record_sample_t *sample)
{
    g_ptr_array_free(sample->texts, TRUE);
    g_array_free(sample->lengths, TRUE);
    g_free(sample->refusal);
    sample->texts = NULL;
    sample->lengths = NULL;
    sample->refusal = NULL;
}

void
record_sample_add(record_sample_t *sample, const char *text, gsize len)
{
    g_ptr_array_add(sample->texts, g_strndup(text, len));
    g_array_append_val(sample->lengths, len);
}
