/* vni-filter.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vni-filter.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mirror-session.h"

static int
compare_vni(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

bool
vni_filter_parse(const char *text, vni_filter_t *filter, char **err)
{
    filter->count = 0;
    if (text == NULL) {
        return true;
    }
    char **words = g_strsplit_set(text, ", \t", -1);
    bool ok = true;

    for (char **word = words; ok && *word != NULL; word++) {
        uint32_t vni;
        if (**word == '\0') {
            continue;
        }
        if (!mirror_parse_vni(*word, &vni, err)) {
            ok = false;
        } else if (filter->count == VNI_FILTER_MAX) {
            *err = g_strdup_printf("more than %u VNIs", VNI_FILTER_MAX);
            ok = false;
        } else {
            filter->vnis[filter->count++] = vni;
        }
    }
    g_strfreev(words);
    if (!ok) {
        filter->count = 0;
        return false;
    }
    qsort(filter->vnis, filter->count, sizeof filter->vnis[0], compare_vni);
    uint32_t unique = 0;
    for (uint32_t i = 0; i < filter->count; i++) {
        if (unique == 0 || filter->vnis[unique - 1] != filter->vnis[i]) {
            filter->vnis[unique++] = filter->vnis[i];
        }
    }
    filter->count = unique;
    return true;
}

bool
vxlan_vni(const uint8_t *payload, size_t len, uint32_t *vni)
{
    if (len < 8 || (payload[0] & 0x08) == 0) {
        return false;
    }
    *vni = (uint32_t)payload[4] << 16 | (uint32_t)payload[5] << 8 | payload[6];
    return true;
}

bool
vni_filter_keeps(const vni_filter_t *filter, const uint8_t *payload, size_t len)
{
    uint32_t vni;

    if (filter->count == 0) {
        return true;
    }
    if (!vxlan_vni(payload, len, &vni)) {
        return false;
    }
    return bsearch(&vni, filter->vnis, filter->count, sizeof vni, compare_vni) != NULL;
}
