/* vpcflow-report-list.h
 * The records a list report keeps: the best N by a value, ties in order
 * of arrival.
 *
 * They are kept in a heap whose root is the worst one kept: a record
 * that does not make the list costs one comparison, one that does costs
 * log N moves, and it takes over the buffer of the record it pushes out.
 * Records of the same format share one copy of it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_LIST_H
#define VPCFLOW_REPORT_LIST_H

#include <glib.h>

#include "vpcflow-format.h"

typedef struct vpcflow_shared_format vpcflow_shared_format_t;

typedef struct {
    guint64     value;          /* what the list is sorted by */
    guint64     serial;         /* arrival: a later record goes after equal ones */
    char       *record;         /* the record's text, up to any NUL byte, NUL-terminated */
    gsize       size;           /* bytes allocated for it */
    vpcflow_shared_format_t *format;
} vpcflow_listed_t;

typedef struct vpcflow_list vpcflow_list_t;

vpcflow_list_t *vpcflow_list_new(guint top, gboolean ascending);
void vpcflow_list_free(vpcflow_list_t *list);

/* Forget every record; the memory goes back. */
void vpcflow_list_clear(vpcflow_list_t *list);

/* Keep record[0..len) of a format if its value makes the list. */
void vpcflow_list_offer(vpcflow_list_t *list, guint64 value, guint64 serial, const char *record, gsize len,
                        const vpcflow_format_t *format);

/* The kept records (vpcflow_listed_t *), best first; free it with g_ptr_array_free(..., TRUE). */
GPtrArray *vpcflow_list_sorted(const vpcflow_list_t *list);

/* The format of a kept record. */
const vpcflow_format_t *vpcflow_listed_format(const vpcflow_listed_t *listed);

#endif /* VPCFLOW_REPORT_LIST_H */
