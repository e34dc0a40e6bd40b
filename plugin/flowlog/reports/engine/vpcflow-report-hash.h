/* vpcflow-report-hash.h
 * The hash both tables of the report engine use (interned strings and
 * groups): 64-bit words folded in with a multiply and a shift, started
 * from a seed each table draws at random, so that a crafted flow log
 * cannot know in advance which values collide.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_REPORT_HASH_H
#define VPCFLOW_REPORT_HASH_H

#include <string.h>

#include <glib.h>

#define VPCFLOW_HASH_MULTIPLIER G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)  /* 2^64 / golden ratio, odd */

static inline guint64
vpcflow_hash_word(guint64 h, guint64 word)
{
    h = (h ^ word) * VPCFLOW_HASH_MULTIPLIER;
    return h ^ (h >> 29);
}

/* The final mix: every input bit reaches the low 32 bits the tables use. */
static inline guint32
vpcflow_hash_finish(guint64 h)
{
    h ^= h >> 32;
    h *= G_GUINT64_CONSTANT(0xd6e8feb86659fd93);
    h ^= h >> 32;
    return (guint32)h;
}

static inline guint32
vpcflow_hash_bytes(guint64 seed, const char *bytes, gsize len)
{
    guint64 h = seed ^ len;
    guint64 word;

    for (; len >= 8; bytes += 8, len -= 8) {
        memcpy(&word, bytes, 8);
        h = vpcflow_hash_word(h, word);
    }
    if (len) {
        word = 0;
        memcpy(&word, bytes, len);
        h = vpcflow_hash_word(h, word);
    }
    return vpcflow_hash_finish(h);
}

/* A seed for a new table. */
static inline guint64
vpcflow_hash_seed(void)
{
    return ((guint64)g_random_int() << 32) | g_random_int();
}

#endif /* VPCFLOW_REPORT_HASH_H */
