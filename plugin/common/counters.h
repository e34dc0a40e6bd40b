/* counters.h
 * Wireshark's conversation tables and statistics trees count in int;
 * flow records carry 64-bit packet and byte counts, and a mirrored
 * frame's original length can exceed 2^31. These hand such counts over
 * without wrapping: the one place either kind of plugin code does it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_COUNTERS_H
#define VPCSHARK_COUNTERS_H

#include <glib.h>

/* value as an int, the largest int if it does not fit. */
static inline int
vpcshark_count_clamp(guint64 value)
{
    return (int)MIN(value, (guint64)G_MAXINT);
}

/* At most this many int-sized pieces of one count go to a table, one call
 * each: 8192 x (2^31 - 1) is 17.6 TB (or 17.6 billion packets), more than a
 * 200 Gbit/s interface carries in a flow log's longest aggregation
 * interval (10 minutes: 15 TB). A larger count cannot be real (a damaged or
 * hostile record), and handing it over whole would take up to 2^33 calls. */
#define VPCSHARK_COUNT_PIECES_MAX 8192

/* value, or the most VPCSHARK_COUNT_PIECES_MAX pieces hold if it is larger:
 * what a table is given of a count, so that its pieces are bounded. */
static inline guint64
vpcshark_count_for_table(guint64 value)
{
    return MIN(value, (guint64)VPCSHARK_COUNT_PIECES_MAX * G_MAXINT);
}

/* The largest piece of *left an int holds, taken off *left: a table
 * given every piece of a count adds it up exactly. */
static inline int
vpcshark_count_piece(guint64 *left)
{
    int now = vpcshark_count_clamp(*left);

    *left -= (guint64)now;
    return now;
}

/* a + b, the largest guint64 instead of wrapping. */
static inline guint64
vpcshark_add_saturating(guint64 a, guint64 b)
{
    return a > G_MAXUINT64 - b ? G_MAXUINT64 : a + b;
}

#endif /* VPCSHARK_COUNTERS_H */
