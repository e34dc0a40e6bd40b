/* vpcflow-report-intern.h
 * Interned byte strings for the report engine: each distinct by= value
 * that a cell cannot hold itself (vpcflow-report-key.h) is stored once,
 * in large blocks, and known by a 32-bit id. A group then holds 8 bytes
 * per value whatever the value's length, and a million records of the
 * same interface id cost one copy of it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_INTERN_H
#define VPCFLOW_REPORT_INTERN_H

#include <glib.h>

typedef struct vpcflow_intern vpcflow_intern_t;

vpcflow_intern_t *vpcflow_intern_new(void);
void vpcflow_intern_free(vpcflow_intern_t *strings);

/* Forget every string: ids start again from 0, the memory goes back. */
void vpcflow_intern_clear(vpcflow_intern_t *strings);

/* The id of bytes[0..len) (any bytes, NUL included), storing a copy if new. */
guint32 vpcflow_intern_add(vpcflow_intern_t *strings, const char *bytes, gsize len);

/* The bytes of an id, followed by a NUL that *len does not count. */
const char *vpcflow_intern_get(const vpcflow_intern_t *strings, guint32 id, gsize *len);

/* How many distinct strings are stored. */
guint32 vpcflow_intern_count(const vpcflow_intern_t *strings);

#endif /* VPCFLOW_REPORT_INTERN_H */
