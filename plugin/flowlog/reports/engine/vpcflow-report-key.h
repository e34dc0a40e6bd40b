/* vpcflow-report-key.h
 * A group's key in the report engine: one 64-bit cell per by= field.
 *
 * A value whose text a number gives back exactly is packed into the cell
 * itself: an IPv4 address in dotted-quad form, a decimal number without
 * leading zeros (below 10^18). An IPv6 address in its canonical form
 * (RFC 5952) is interned as its 16 bytes; any other text is interned as
 * it is. "-" (no value) is a cell of its own.
 *
 * The cell is a function of the text alone and two different texts never
 * share a cell, so grouping by cells is grouping by text, and a cell
 * prints back the very text it came from.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_KEY_H
#define VPCFLOW_REPORT_KEY_H

#include <glib.h>

#include "vpcflow-report-intern.h"

typedef guint64 vpcflow_cell_t;

/* The kind of a cell, in its top 4 bits; the rest is the payload. */
typedef enum {
    VPCFLOW_CELL_ABSENT,        /* "-" */
    VPCFLOW_CELL_IPV4,          /* the address */
    VPCFLOW_CELL_NUMBER,        /* the number */
    VPCFLOW_CELL_IPV6,          /* the id of its 16 bytes, interned */
    VPCFLOW_CELL_TEXT           /* the id of the text, interned */
} vpcflow_cell_kind_t;

#define VPCFLOW_CELL_KIND(cell) ((vpcflow_cell_kind_t)((cell) >> 60))

/* Room for any text a cell prints into a caller's buffer (an IPv6 address, 39). */
#define VPCFLOW_CELL_TEXT_MAX 48

/*
 * The cell of a value (its text up to any NUL byte, which the caller
 * cuts: values end there). Interned text goes into strings.
 */
vpcflow_cell_t vpcflow_cell_pack(vpcflow_intern_t *strings, const char *text, gsize len);

/*
 * The text of a cell, *len bytes long, without NUL bytes: either in buf
 * or the interned copy itself.
 */
const char *vpcflow_cell_text(const vpcflow_intern_t *strings, vpcflow_cell_t cell,
                              char buf[VPCFLOW_CELL_TEXT_MAX], gsize *len);

/* The decimal digits of a number into buf (20 at most, no NUL); their count. */
gsize vpcflow_number_text(guint64 value, char *buf);

#endif /* VPCFLOW_REPORT_KEY_H */
