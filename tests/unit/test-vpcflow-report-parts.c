/* test-vpcflow-report-parts.c
 * Unit tests of the pieces of the report engine: the index of its
 * tables, interned strings, the packing of by= values into cells, the group table and its 128-bit
 * sums, the kept records of list, and text tables. Expected values are
 * worked out by hand here (addresses in hex, sums in decimal).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "vpcflow-report-groups.h"
#include "vpcflow-report-index.h"
#include "vpcflow-report-intern.h"
#include "vpcflow-report-key.h"
#include "vpcflow-report-list.h"
#include "vpcflow-report-table.h"

#define MAX64 G_GUINT64_CONSTANT(18446744073709551615)

/* --- interned strings --- */

static void
assert_interned(const vpcflow_intern_t *s, guint32 id, const char *bytes, gsize len)
{
    gsize got_len;
    const char *got = vpcflow_intern_get(s, id, &got_len);

    g_assert_cmpuint(got_len, ==, len);
    g_assert_cmpmem(got, got_len, bytes, len);
    g_assert_cmpint(got[len], ==, '\0');
}

static void
test_intern_ids(void)
{
    vpcflow_intern_t *s = vpcflow_intern_new();

    g_assert_cmpuint(vpcflow_intern_add(s, "eni-a", 5), ==, 0);
    g_assert_cmpuint(vpcflow_intern_add(s, "eni-b", 5), ==, 1);
    g_assert_cmpuint(vpcflow_intern_add(s, "eni-a", 5), ==, 0);
    /* bytes, not C strings: a NUL inside counts, a prefix is another string */
    g_assert_cmpuint(vpcflow_intern_add(s, "eni-a\0x", 7), ==, 2);
    g_assert_cmpuint(vpcflow_intern_add(s, "eni-", 4), ==, 3);
    g_assert_cmpuint(vpcflow_intern_add(s, "", 0), ==, 4);
    g_assert_cmpuint(vpcflow_intern_count(s), ==, 5);
    assert_interned(s, 0, "eni-a", 5);
    assert_interned(s, 2, "eni-a\0x", 7);
    assert_interned(s, 4, "", 0);

    vpcflow_intern_clear(s);
    g_assert_cmpuint(vpcflow_intern_count(s), ==, 0);
    g_assert_cmpuint(vpcflow_intern_add(s, "eni-b", 5), ==, 0);
    vpcflow_intern_free(s);
}

static void
test_intern_many_and_long(void)
{
    vpcflow_intern_t *s = vpcflow_intern_new();
    const guint n = 100000;         /* several blocks of 64 KiB, many table sizes */
    gsize long_len = 200 * 1024;    /* longer than a block */
    char *long_text = g_malloc(long_len);

    memset(long_text, 'x', long_len);
    /* ids in order of arrival: "vpc-0" .. "vpc-49999", the long one, "vpc-50000" .. */
    for (guint i = 0; i < n; i++) {
        char text[32];
        int len = g_snprintf(text, sizeof text, "vpc-%u", i);
        if (i == n / 2)
            g_assert_cmpuint(vpcflow_intern_add(s, long_text, long_len), ==, n / 2);
        g_assert_cmpuint(vpcflow_intern_add(s, text, (gsize)len), ==, i < n / 2 ? i : i + 1);
    }
    g_assert_cmpuint(vpcflow_intern_count(s), ==, n + 1);
    for (guint i = 0; i < n; i += 997) {
        char text[32];
        int len = g_snprintf(text, sizeof text, "vpc-%u", i);
        guint32 id = i < n / 2 ? i : i + 1;
        g_assert_cmpuint(vpcflow_intern_add(s, text, (gsize)len), ==, id);
        assert_interned(s, id, text, (gsize)len);
    }
    assert_interned(s, n / 2, long_text, long_len);
    g_free(long_text);
    vpcflow_intern_free(s);
}

/* --- the index both tables find items through --- */

/* The slot of item (hash) in the index, walking past the others; or the empty slot. */
static guint32
index_find(const vpcflow_index_t *index, guint32 hash, guint32 item, gboolean *found)
{
    guint32 at, got;

    *found = FALSE;
    for (at = vpcflow_index_first(index, hash); (got = vpcflow_index_item(index, at, hash)) != VPCFLOW_INDEX_EMPTY;
         at = vpcflow_index_next(index, at)) {
        if (got == item) {
            *found = TRUE;
            break;
        }
    }
    return at;
}

static void
test_index_collisions(void)
{
    vpcflow_index_t index = { NULL, 0 };
    const guint32 n = 1000;
    gboolean found;

    /* every third item with the same hash: they queue up one after the other */
    for (guint32 i = 0; i < n; i++) {
        guint32 hash = i % 3 ? i * 2654435761u : 7;
        vpcflow_index_reserve(&index, i);
        guint32 at = index_find(&index, hash, i, &found);
        g_assert_false(found);
        vpcflow_index_put(&index, at, hash, i);
    }
    /* at most 3/4 full: 1000 items need 2048 slots */
    g_assert_cmpuint(index.n_slots, ==, 2048);
    for (guint32 i = 0; i < n; i++) {
        index_find(&index, i % 3 ? i * 2654435761u : 7, i, &found);
        g_assert_true(found);
    }
    index_find(&index, 7, n, &found);
    g_assert_false(found);
    vpcflow_index_clear(&index);
    g_assert_cmpuint(index.n_slots, ==, 0);
}

/* --- cells --- */

static vpcflow_cell_t
pack(vpcflow_intern_t *s, const char *text)
{
    return vpcflow_cell_pack(s, text, strlen(text));
}

static guint64
payload(vpcflow_cell_t cell)
{
    return cell & ((G_GUINT64_CONSTANT(1) << 60) - 1);
}

/* A cell prints back the text it was made of. */
static void
assert_prints(const vpcflow_intern_t *s, vpcflow_cell_t cell, const char *text)
{
    char buf[VPCFLOW_CELL_TEXT_MAX];
    gsize len;
    const char *got = vpcflow_cell_text(s, cell, buf, &len);

    g_assert_cmpmem(got, len, text, strlen(text));
}

static void
assert_kind(vpcflow_intern_t *s, const char *text, vpcflow_cell_kind_t kind)
{
    vpcflow_cell_t cell = pack(s, text);

    if (VPCFLOW_CELL_KIND(cell) != kind)
        g_error("\"%s\": kind %d, expected %d", text, VPCFLOW_CELL_KIND(cell), kind);
    assert_prints(s, cell, text);
}

static void
test_cell_ipv4(void)
{
    vpcflow_intern_t *s = vpcflow_intern_new();

    g_assert_cmphex(payload(pack(s, "10.0.0.1")), ==, 0x0a000001);
    g_assert_cmphex(payload(pack(s, "192.168.1.254")), ==, 0xc0a801fe);
    g_assert_cmphex(payload(pack(s, "255.255.255.255")), ==, 0xffffffff);
    g_assert_cmphex(payload(pack(s, "0.0.0.0")), ==, 0);
    assert_kind(s, "10.0.0.1", VPCFLOW_CELL_IPV4);
    assert_kind(s, "0.0.0.0", VPCFLOW_CELL_IPV4);
    assert_kind(s, "255.255.255.255", VPCFLOW_CELL_IPV4);
    /* written otherwise than an address prints: kept as text */
    assert_kind(s, "010.0.0.1", VPCFLOW_CELL_TEXT);
    assert_kind(s, "10.0.0.01", VPCFLOW_CELL_TEXT);
    assert_kind(s, "10.0.0.256", VPCFLOW_CELL_TEXT);
    assert_kind(s, "10.0.0", VPCFLOW_CELL_TEXT);
    assert_kind(s, "10.0.0.1.5", VPCFLOW_CELL_TEXT);
    assert_kind(s, "10.0.0.1000", VPCFLOW_CELL_TEXT);
    assert_kind(s, "10..0.1", VPCFLOW_CELL_TEXT);
    assert_kind(s, "10.0.0.", VPCFLOW_CELL_TEXT);
    assert_kind(s, "10.0.0.1 ", VPCFLOW_CELL_TEXT);
    g_assert_cmpuint(pack(s, "010.0.0.1"), !=, pack(s, "10.0.0.1"));
    vpcflow_intern_free(s);
}

static void
test_cell_numbers(void)
{
    vpcflow_intern_t *s = vpcflow_intern_new();

    g_assert_cmpuint(payload(pack(s, "443")), ==, 443);
    g_assert_cmpuint(payload(pack(s, "0")), ==, 0);
    g_assert_cmpuint(payload(pack(s, "999999999999999999")), ==, G_GUINT64_CONSTANT(999999999999999999));
    assert_kind(s, "443", VPCFLOW_CELL_NUMBER);
    assert_kind(s, "0", VPCFLOW_CELL_NUMBER);
    assert_kind(s, "1664150400", VPCFLOW_CELL_NUMBER);
    assert_kind(s, "999999999999999999", VPCFLOW_CELL_NUMBER);    /* 18 digits */
    assert_kind(s, "1000000000000000000", VPCFLOW_CELL_TEXT);     /* 19 digits: no room */
    assert_kind(s, "18446744073709551616", VPCFLOW_CELL_TEXT);
    assert_kind(s, "0443", VPCFLOW_CELL_TEXT);
    assert_kind(s, "00", VPCFLOW_CELL_TEXT);
    assert_kind(s, "+5", VPCFLOW_CELL_TEXT);
    assert_kind(s, "1e3", VPCFLOW_CELL_TEXT);
    g_assert_cmpuint(pack(s, "0443"), !=, pack(s, "443"));
    vpcflow_intern_free(s);
}

static void
test_cell_ipv6(void)
{
    static const guint8 doc1[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };
    vpcflow_intern_t *s = vpcflow_intern_new();
    vpcflow_cell_t cell = pack(s, "2001:db8::1");
    gsize len;

    /* interned as its 16 bytes */
    g_assert_cmpint(VPCFLOW_CELL_KIND(cell), ==, VPCFLOW_CELL_IPV6);
    g_assert_cmpmem(vpcflow_intern_get(s, (guint32)payload(cell), &len), 16, doc1, 16);
    g_assert_cmpuint(len, ==, 16);
    /* RFC 5952 forms */
    assert_kind(s, "2001:db8::1", VPCFLOW_CELL_IPV6);
    assert_kind(s, "::", VPCFLOW_CELL_IPV6);
    assert_kind(s, "::1", VPCFLOW_CELL_IPV6);
    assert_kind(s, "2001:db8::", VPCFLOW_CELL_IPV6);
    assert_kind(s, "2001:db8:1234:a100:8d6e:3477:df66:f105", VPCFLOW_CELL_IPV6);
    assert_kind(s, "1:0:2:3:4:5:6:7", VPCFLOW_CELL_IPV6);      /* one zero group stays */
    assert_kind(s, "1:0:0:2::3", VPCFLOW_CELL_IPV6);           /* the longer run is "::" */
    assert_kind(s, "1::2:0:0:3:4", VPCFLOW_CELL_IPV6);         /* equal runs: the first */
    assert_kind(s, "fe80::1:0:0:1", VPCFLOW_CELL_IPV6);
    /* other spellings of addresses: kept as text */
    assert_kind(s, "2001:DB8::1", VPCFLOW_CELL_TEXT);
    assert_kind(s, "2001:0db8::1", VPCFLOW_CELL_TEXT);
    assert_kind(s, "2001:db8:0:0:0:0:0:1", VPCFLOW_CELL_TEXT);
    assert_kind(s, "1::2:0:0:0:3", VPCFLOW_CELL_TEXT);
    assert_kind(s, "1:0:0:2:0:0:3:4", VPCFLOW_CELL_TEXT);
    assert_kind(s, "1::2:3:4:5:6:7", VPCFLOW_CELL_TEXT);       /* "::" for one group */
    assert_kind(s, "::ffff:1.2.3.4", VPCFLOW_CELL_TEXT);
    assert_kind(s, "1:::2", VPCFLOW_CELL_TEXT);
    assert_kind(s, "1:2:3:4:5:6:7:8:9", VPCFLOW_CELL_TEXT);
    g_assert_cmpuint(pack(s, "2001:DB8::1"), !=, pack(s, "2001:db8::1"));
    vpcflow_intern_free(s);
}

static void
test_cell_text_and_absent(void)
{
    vpcflow_intern_t *s = vpcflow_intern_new();

    assert_kind(s, "-", VPCFLOW_CELL_ABSENT);
    assert_kind(s, "ACCEPT", VPCFLOW_CELL_TEXT);
    assert_kind(s, "eni-0a1b2c3d4e5f60718", VPCFLOW_CELL_TEXT);
    assert_kind(s, "--", VPCFLOW_CELL_TEXT);
    assert_kind(s, "caf\xc3\xa9", VPCFLOW_CELL_TEXT);
    assert_kind(s, "a\x1f" "b", VPCFLOW_CELL_TEXT);
    g_assert_cmpuint(pack(s, "ACCEPT"), ==, pack(s, "ACCEPT"));
    g_assert_cmpuint(pack(s, "ACCEPT"), !=, pack(s, "REJECT"));
    /* one copy per distinct text */
    g_assert_cmpuint(vpcflow_intern_count(s), ==, 6);
    vpcflow_intern_free(s);
}

/* Any two of a set of texts: equal cells exactly when equal texts. */
static void
test_cell_one_to_one(void)
{
    static const char *const texts[] = {
        "10.0.0.1", "010.0.0.1", "10.0.0.10", "1.0.0.10", "443", "0443", "4430", "0", "00", "-", "--",
        "::", "::1", "2001:db8::1", "2001:DB8::1", "ACCEPT", "accept", "167772161", "10.0.0.1:443",
    };
    vpcflow_intern_t *s = vpcflow_intern_new();
    vpcflow_cell_t cells[G_N_ELEMENTS(texts)];

    for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
        cells[i] = pack(s, texts[i]);
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
        assert_prints(s, cells[i], texts[i]);
        for (guint j = 0; j < G_N_ELEMENTS(texts); j++)
            g_assert_cmpint(cells[i] == cells[j], ==, i == j);
    }
    vpcflow_intern_free(s);
}

/* --- groups --- */

static void
test_groups_find(void)
{
    vpcflow_groups_t *t = vpcflow_groups_new(2);
    const guint n = 200000;         /* many slabs and table sizes */

    for (guint i = 0; i < n; i++) {
        vpcflow_cell_t key[2] = { i, i % 7 };
        vpcflow_group_t *g = vpcflow_groups_find(t, key);
        g_assert_cmpuint(g->records, ==, 0);
        g_assert_cmpuint(g->key[0], ==, i);
        g_assert_cmpuint(g->key[1], ==, i % 7);
        vpcflow_group_account(g, FALSE, 0);
    }
    g_assert_cmpuint(vpcflow_groups_count(t), ==, n);
    for (guint i = 0; i < n; i += 13) {
        vpcflow_cell_t key[2] = { i, i % 7 };
        vpcflow_group_t *g = vpcflow_groups_find(t, key);
        g_assert_true(g == vpcflow_groups_get(t, i));  /* numbered in order of creation */
        g_assert_cmpuint(g->records, ==, 1);
    }
    /* the same first cell with another second is another group */
    vpcflow_cell_t other[2] = { 5, 6 };
    g_assert_cmpuint(vpcflow_groups_find(t, other)->records, ==, 0);
    g_assert_cmpuint(vpcflow_groups_count(t), ==, n + 1);

    vpcflow_groups_clear(t);
    g_assert_cmpuint(vpcflow_groups_count(t), ==, 0);
    g_assert_cmpuint(vpcflow_groups_find(t, other)->records, ==, 0);
    vpcflow_groups_free(t);
}

static void
test_groups_without_key(void)
{
    vpcflow_groups_t *t = vpcflow_groups_new(0);
    vpcflow_cell_t unused[1] = { 0 };
    vpcflow_group_t *g = vpcflow_groups_find(t, unused);

    g_assert_true(vpcflow_groups_find(t, unused) == g);
    g_assert_cmpuint(vpcflow_groups_count(t), ==, 1);
    vpcflow_groups_free(t);
}

static void
assert_sum_text(const vpcflow_group_t *g, const char *expected)
{
    char buf[VPCFLOW_GROUP_NUMBER_TEXT_MAX];
    gsize len = vpcflow_group_sum_text(g, buf);

    g_assert_cmpstr(buf, ==, expected);
    g_assert_cmpuint(len, ==, strlen(expected));
}

static void
test_group_sums_do_not_wrap(void)
{
    vpcflow_groups_t *t = vpcflow_groups_new(1);
    vpcflow_cell_t key[1] = { 1 };
    vpcflow_group_t *g = vpcflow_groups_find(t, key);

    assert_sum_text(g, "0");
    vpcflow_group_account(g, TRUE, 7);
    vpcflow_group_account(g, FALSE, 0);
    assert_sum_text(g, "7");
    vpcflow_group_account(g, TRUE, MAX64);
    /* 7 + (2^64 - 1) = 2^64 + 6 */
    g_assert_cmpuint(g->sum_high, ==, 1);
    g_assert_cmpuint(g->sum_low, ==, 6);
    assert_sum_text(g, "18446744073709551622");
    vpcflow_group_account(g, TRUE, MAX64);
    vpcflow_group_account(g, TRUE, MAX64);
    /* 7 + 3 * (2^64 - 1) = 3 * 2^64 + 4 */
    assert_sum_text(g, "55340232221128654852");
    g_assert_cmpfloat(vpcflow_group_sum(g), ==, 3 * 18446744073709551616.0 + 4);
    g_assert_cmpuint(g->records, ==, 5);
    g_assert_cmpuint(g->with_value, ==, 4);
    g_assert_cmpuint(g->min, ==, 7);
    g_assert_cmpuint(g->max, ==, MAX64);

    /* the largest a sum can be: 2^128 - 1 (2^64 + 1 values of 2^64 - 1 would
     * pass it; frame numbers are 32-bit, so no capture gets near) */
    g->sum_high = MAX64;
    g->sum_low = MAX64;
    assert_sum_text(g, "340282366920938463463374607431768211455");
    vpcflow_groups_free(t);
}

/* --- kept records of list --- */

static vpcflow_format_t *
format_of(const char *names)
{
    char *error = NULL;
    vpcflow_format_t *format = vpcflow_format_parse(names, strlen(names), &error);

    g_assert_null(error);
    return format;
}

/* The kept records' texts, best first, joined by "|". */
static char *
kept(const vpcflow_list_t *list)
{
    GPtrArray *sorted = vpcflow_list_sorted(list);
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < sorted->len; i++) {
        const vpcflow_listed_t *l = g_ptr_array_index(sorted, i);
        g_string_append_printf(out, "%s%s", i ? "|" : "", l->record);
    }
    g_ptr_array_free(sorted, TRUE);
    return g_string_free(out, FALSE);
}

static void
offer_all(vpcflow_list_t *list, const guint64 *values, guint n, const vpcflow_format_t *format)
{
    for (guint i = 0; i < n; i++) {
        char record[32];
        int len = g_snprintf(record, sizeof record, "r%u:%" G_GUINT64_FORMAT, i + 1, values[i]);
        vpcflow_list_offer(list, values[i], i + 1, record, (gsize)len, format);
    }
}

static void
test_list_keeps_the_best(void)
{
    static const guint64 values[] = { 5, 9, 1, 9, 7, 3, 9 };
    vpcflow_format_t *format = format_of("start");
    vpcflow_list_t *list = vpcflow_list_new(3, FALSE);
    char *text;

    offer_all(list, values, G_N_ELEMENTS(values), format);
    /* descending; equal values in order of arrival; the third 9 comes too late */
    g_assert_cmpstr((text = kept(list)), ==, "r2:9|r4:9|r7:9");
    g_free(text);
    vpcflow_list_free(list);

    list = vpcflow_list_new(4, TRUE);
    offer_all(list, values, G_N_ELEMENTS(values), format);
    g_assert_cmpstr((text = kept(list)), ==, "r3:1|r6:3|r1:5|r5:7");
    g_free(text);
    vpcflow_list_clear(list);
    g_assert_cmpstr((text = kept(list)), ==, "");
    g_free(text);
    vpcflow_list_free(list);

    /* fewer records than top */
    list = vpcflow_list_new(100, FALSE);
    offer_all(list, values, 2, format);
    g_assert_cmpstr((text = kept(list)), ==, "r2:9|r1:5");
    g_free(text);
    vpcflow_list_free(list);
    vpcflow_format_free(format);
}

static void
test_list_records_and_formats(void)
{
    vpcflow_format_t *a = format_of("srcaddr bytes");
    vpcflow_format_t *a_again = format_of("srcaddr bytes");
    vpcflow_format_t *b = format_of("bytes srcaddr");
    vpcflow_list_t *list = vpcflow_list_new(2, FALSE);
    GPtrArray *sorted;

    /* the text ends at a NUL byte */
    vpcflow_list_offer(list, 10, 1, "10.0.0.1 10\0junk", 16, a);
    vpcflow_list_offer(list, 20, 2, "10.0.0.2 20", 11, a_again);
    sorted = vpcflow_list_sorted(list);
    g_assert_cmpstr(((vpcflow_listed_t *)g_ptr_array_index(sorted, 1))->record, ==, "10.0.0.1 10");
    /* one copy of a format for the records that have it */
    g_assert_true(vpcflow_listed_format(g_ptr_array_index(sorted, 0)) ==
                  vpcflow_listed_format(g_ptr_array_index(sorted, 1)));
    g_ptr_array_free(sorted, TRUE);

    /* a longer record takes the place (and buffer) of the worst */
    vpcflow_list_offer(list, 30, 3, "30 10.0.0.3.and.a.longer.text", 29, b);
    sorted = vpcflow_list_sorted(list);
    const vpcflow_listed_t *best = g_ptr_array_index(sorted, 0);
    g_assert_cmpstr(best->record, ==, "30 10.0.0.3.and.a.longer.text");
    g_assert_cmpstr(vpcflow_listed_format(best)->text, ==, "bytes srcaddr");
    g_assert_cmpstr(((vpcflow_listed_t *)g_ptr_array_index(sorted, 1))->record, ==, "10.0.0.2 20");
    g_ptr_array_free(sorted, TRUE);

    vpcflow_list_free(list);
    vpcflow_format_free(a);
    vpcflow_format_free(a_again);
    vpcflow_format_free(b);
}

/* --- text tables --- */

static void
collect(const char *text, gsize len, void *data)
{
    GPtrArray *pieces = data;

    g_ptr_array_add(pieces, g_strndup(text, len));
}

static void
write_rows(vpcflow_table_t *table, vpcflow_sink_t *sink, const char *const rows[][2], guint n)
{
    for (guint pass = 0; pass < 2; pass++) {
        for (guint r = 0; r < n; r++) {
            gsize lens[2] = { strlen(rows[r][0]), strlen(rows[r][1]) };
            if (pass == 0)
                vpcflow_table_measure(table, rows[r], lens);
            else
                vpcflow_table_write(table, sink, rows[r], lens);
        }
    }
}

static void
test_table(void)
{
    static const char *const rows[][2] = { { "name", "n" }, { "a", "10" }, { "\xc3\xa9t\xc3\xa9", "5" } };
    GPtrArray *pieces = g_ptr_array_new_with_free_func(g_free);
    vpcflow_sink_t sink;
    vpcflow_table_t table;

    vpcflow_sink_init(&sink, collect, pieces);
    vpcflow_table_init(&table, 2, 1);
    write_rows(&table, &sink, rows, G_N_ELEMENTS(rows));
    vpcflow_table_clear(&table);
    vpcflow_sink_finish(&sink);
    /* widths in characters: "été" is 3 wide; the number column is right-aligned */
    g_assert_cmpuint(pieces->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(pieces, 0), ==,
                    "name   n\n"
                    "----  --\n"
                    "a     10\n"
                    "\xc3\xa9t\xc3\xa9    5\n");
    g_ptr_array_free(pieces, TRUE);
}

static void
test_table_in_pieces(void)
{
    GPtrArray *pieces = g_ptr_array_new_with_free_func(g_free);
    vpcflow_sink_t sink;
    vpcflow_table_t table;
    const guint n = 20000;          /* 20,000 rows of 10 bytes: several pieces */
    const char *cells[1] = { "123456789" };
    gsize lens[1] = { 9 };

    vpcflow_sink_init(&sink, collect, pieces);
    vpcflow_table_init(&table, 1, 1);
    for (guint pass = 0; pass < 2; pass++) {
        for (guint r = 0; r < n; r++) {
            if (pass == 0)
                vpcflow_table_measure(&table, cells, lens);
            else
                vpcflow_table_write(&table, &sink, cells, lens);
        }
    }
    vpcflow_table_clear(&table);
    vpcflow_sink_finish(&sink);
    g_assert_cmpuint(pieces->len, >, 1);
    GString *all = g_string_new(NULL);
    for (guint i = 0; i < pieces->len; i++)
        g_string_append(all, g_ptr_array_index(pieces, i));
    /* the heading row, the rule, then the other rows: 10 bytes each */
    g_assert_cmpuint(all->len, ==, (n + 1) * 10);
    g_assert_true(g_str_has_prefix(all->str, "123456789\n---------\n123456789\n"));
    g_string_free(all, TRUE);
    g_ptr_array_free(pieces, TRUE);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report-parts/intern/ids", test_intern_ids);
    g_test_add_func("/report-parts/intern/many-and-long", test_intern_many_and_long);
    g_test_add_func("/report-parts/index/collisions", test_index_collisions);
    g_test_add_func("/report-parts/cell/ipv4", test_cell_ipv4);
    g_test_add_func("/report-parts/cell/numbers", test_cell_numbers);
    g_test_add_func("/report-parts/cell/ipv6", test_cell_ipv6);
    g_test_add_func("/report-parts/cell/text-and-absent", test_cell_text_and_absent);
    g_test_add_func("/report-parts/cell/one-to-one", test_cell_one_to_one);
    g_test_add_func("/report-parts/groups/find", test_groups_find);
    g_test_add_func("/report-parts/groups/without-key", test_groups_without_key);
    g_test_add_func("/report-parts/groups/sums-do-not-wrap", test_group_sums_do_not_wrap);
    g_test_add_func("/report-parts/list/keeps-the-best", test_list_keeps_the_best);
    g_test_add_func("/report-parts/list/records-and-formats", test_list_records_and_formats);
    g_test_add_func("/report-parts/table/aligned", test_table);
    g_test_add_func("/report-parts/table/in-pieces", test_table_in_pieces);
    return g_test_run();
}
