/* vpcflow-format.c
 * Flow-log formats: parsing them and recognising headerless layouts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-format.h"
#include "vpcflow-fields.h"
#include "vpcflow-tokens.h"

#include <string.h>

/* The default format of Transit Gateway flow logs (all v2..v6 TGW fields). */
static const char tgw_default_format[] =
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id "
    "tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id "
    "tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr "
    "srcport dstport protocol packets bytes start end log-status type packets-lost-no-route "
    "packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region "
    "flow-direction pkt-src-aws-service pkt-dst-aws-service";

/* Fields of the VPC default format: the first 14 of the catalogue. */
#define DEFAULT_FORMAT_FIELDS 14

/* Versions for which "all fields" layouts are recognised. */
static const guint8 all_fields_versions[] = { 5, 7, 8, 9, 10, 11 };

/* Sample lines are judged on at most this many tokens each. */
#define DETECT_MAX_TOKENS 128

/* A layout must score this much per line on average (a NODATA line of
 * the default format scores 12) so that unrelated text never wins. */
#define DETECT_MIN_SCORE_PER_LINE 8

static vpcflow_format_t *
format_new(guint n_columns)
{
    vpcflow_format_t *format = g_new0(vpcflow_format_t, 1);

    format->n_columns = n_columns;
    format->field = g_new(int, n_columns);
    format->name = g_new0(char *, n_columns + 1);
    format->column_of = g_new(int, vpcflow_field_count);
    for (guint i = 0; i < vpcflow_field_count; i++)
        format->column_of[i] = -1;
    return format;
}

/* Fill field ids, the column map and the joined text from the names. */
static void
format_index(vpcflow_format_t *format)
{
    for (guint c = 0; c < format->n_columns; c++) {
        int field = vpcflow_field_lookup(format->name[c], strlen(format->name[c]));
        format->field[c] = field;
        /* A name listed twice: the first column wins. */
        if (field != VF_UNKNOWN && format->column_of[field] < 0)
            format->column_of[field] = (int)c;
    }
    format->text = g_strjoinv(" ", format->name);
}

void
vpcflow_format_free(vpcflow_format_t *format)
{
    if (!format)
        return;
    g_free(format->field);
    g_strfreev(format->name);
    g_free(format->column_of);
    g_free(format->text);
    g_free(format);
}

vpcflow_format_t *
vpcflow_format_copy(const vpcflow_format_t *format)
{
    vpcflow_format_t *copy = format_new(format->n_columns);

    for (guint c = 0; c < format->n_columns; c++)
        copy->name[c] = g_strdup(format->name[c]);
    format_index(copy);
    return copy;
}

gboolean
vpcflow_format_is_tgw(const vpcflow_format_t *format)
{
    for (guint c = 0; c < format->n_columns; c++) {
        if (format->field[c] != VF_UNKNOWN && vpcflow_fields[format->field[c]].in == VF_IN_TGW)
            return TRUE;
    }
    return FALSE;
}

static gboolean
is_name_char(char c)
{
    return g_ascii_isalnum(c) || c == '-' || c == '_';
}

/* Find " as " (any case, blank on both sides) last in text; return what follows. */
static const char *
after_insights_as(const char *text)
{
    const char *found = NULL;

    for (const char *p = text; *p; p++) {
        if ((p[0] == ' ' || p[0] == '\t') && g_ascii_strncasecmp(p + 1, "as", 2) == 0 &&
            (p[3] == ' ' || p[3] == '\t'))
            found = p + 4;
    }
    return found;
}

vpcflow_format_t *
vpcflow_format_from_names(const char *const *names, guint n)
{
    vpcflow_format_t *format = format_new(n);

    for (guint c = 0; c < n; c++) {
        /* Known names are stored in the AWS spelling. */
        int field = vpcflow_field_lookup(names[c], strlen(names[c]));
        format->name[c] = g_strdup(field != VF_UNKNOWN ? vpcflow_fields[field].name : names[c]);
    }
    format_index(format);
    return format;
}

vpcflow_format_t *
vpcflow_format_parse(const char *spec, gsize len, char **error)
{
    char *text = g_strndup(spec, len);
    const char *list = text;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    vpcflow_format_t *format = NULL;

    /* A Logs Insights statement: keep the list after "as", up to the next '|'. */
    if (g_ascii_strncasecmp(g_strchug(text), "parse", 5) == 0 || strstr(text, "| parse") || strstr(text, "|parse")) {
        const char *as = after_insights_as(text);
        if (!as) {
            *error = g_strdup("a Logs Insights parse statement needs \"as <field>, <field>, ...\"");
            goto done;
        }
        list = as;
        char *bar = strchr((char *)list, '|');
        if (bar)
            *bar = '\0';
    }

    for (const char *p = list; *p; ) {
        /* separators: blanks, commas and the ${ } of the AWS LogFormat */
        if (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r' || *p == '\n' || *p == '}') {
            p++;
            continue;
        }
        if (p[0] == '$' && p[1] == '{') {
            p += 2;
            continue;
        }
        const char *start = p;
        while (is_name_char(*p))
            p++;
        if (p == start || (*p && !strchr(" \t,\r\n}", *p))) {
            *error = g_strdup_printf("\"%.*s\" is not a field name", (int)strcspn(start, " \t,"), start);
            goto done;
        }
        if (names->len >= VPCFLOW_FORMAT_MAX_COLUMNS) {
            *error = g_strdup_printf("a format may list at most %u fields", VPCFLOW_FORMAT_MAX_COLUMNS);
            goto done;
        }
        g_ptr_array_add(names, g_strndup(start, (gsize)(p - start)));
    }
    if (names->len == 0) {
        *error = g_strdup("the format lists no field");
        goto done;
    }
    format = vpcflow_format_from_names((const char *const *)names->pdata, names->len);

done:
    g_ptr_array_free(names, TRUE);
    g_free(text);
    return format;
}

/* A header name: lower case first, then lower case, digits, '-' and '_'. */
static gboolean
is_header_name(const char *tok, gsize len)
{
    if (len == 0 || !g_ascii_islower(tok[0]))
        return FALSE;
    for (gsize j = 0; j < len; j++) {
        if (!g_ascii_islower(tok[j]) && !g_ascii_isdigit(tok[j]) && tok[j] != '-' && tok[j] != '_')
            return FALSE;
    }
    return TRUE;
}

guint
vpcflow_header_width(const char *line, gsize len)
{
    vpcflow_token_t name;
    guint n = 0, known = 0;
    gsize pos = 0;

    len = vpcflow_line_trim_eol(line, len);
    while (vpcflow_next_token(line, len, &pos, &name)) {
        if (!is_header_name(line + name.offset, name.length))
            return 0;
        known += vpcflow_field_lookup(line + name.offset, name.length) != VF_UNKNOWN;
        n++;
    }
    return n > 0 && known * 2 >= n ? n : 0;
}

vpcflow_format_t *
vpcflow_format_from_header(const char *line, gsize len)
{
    vpcflow_token_t tokens[VPCFLOW_FORMAT_MAX_COLUMNS];
    guint n = vpcflow_header_width(line, len);

    if (n == 0 || n > VPCFLOW_FORMAT_MAX_COLUMNS)
        return NULL;
    vpcflow_tokenize(line, len, tokens, VPCFLOW_FORMAT_MAX_COLUMNS);

    vpcflow_format_t *format = format_new(n);
    for (guint i = 0; i < n; i++)
        format->name[i] = g_strndup(line + tokens[i].offset, tokens[i].length);
    format_index(format);
    return format;
}

static int
compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The VPC fields up to a version, in AWS table order or sorted by name
 * (the console's "select all" gives the sorted order). */
static vpcflow_format_t *
all_fields_format(guint8 version, gboolean sorted)
{
    guint n = 0;

    for (guint i = 0; i < vpcflow_field_count; i++) {
        if ((vpcflow_fields[i].in & VF_IN_VPC) && vpcflow_fields[i].version <= version)
            n++;
    }
    vpcflow_format_t *format = format_new(n);
    n = 0;
    for (guint i = 0; i < vpcflow_field_count; i++) {
        if ((vpcflow_fields[i].in & VF_IN_VPC) && vpcflow_fields[i].version <= version)
            format->name[n++] = g_strdup(vpcflow_fields[i].name);
    }
    if (sorted)
        qsort(format->name, n, sizeof(char *), compare_names);
    format_index(format);
    return format;
}

static vpcflow_format_t *
first_fields_format(guint n)
{
    vpcflow_format_t *format = format_new(n);

    for (guint c = 0; c < n; c++)
        format->name[c] = g_strdup(vpcflow_fields[c].name);
    format_index(format);
    return format;
}

static vpcflow_layout_t *known_layouts;
static guint known_layout_count;

/* Built once; the layouts live as long as the process. */
static gpointer
build_layouts(gpointer unused G_GNUC_UNUSED)
{
    GArray *layouts = g_array_new(FALSE, FALSE, sizeof(vpcflow_layout_t));
    vpcflow_layout_t layout;
    char *error = NULL;

    layout.description = "default format (version 2)";
    layout.format = first_fields_format(DEFAULT_FORMAT_FIELDS);
    g_array_append_val(layouts, layout);

    layout.description = "Transit Gateway default format";
    layout.format = vpcflow_format_parse(tgw_default_format, strlen(tgw_default_format), &error);
    g_array_append_val(layouts, layout);

    for (guint i = 0; i < G_N_ELEMENTS(all_fields_versions); i++) {
        guint8 v = all_fields_versions[i];
        layout.description = g_strdup_printf("all fields up to version %u, sorted by name", v);
        layout.format = all_fields_format(v, TRUE);
        g_array_append_val(layouts, layout);
        layout.description = g_strdup_printf("all fields up to version %u", v);
        layout.format = all_fields_format(v, FALSE);
        g_array_append_val(layouts, layout);
    }
    known_layout_count = layouts->len;
    known_layouts = (vpcflow_layout_t *)(void *)g_array_free(layouts, FALSE);
    return NULL;
}

const vpcflow_layout_t *
vpcflow_layouts(guint *count)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, build_layouts, NULL);
    *count = known_layout_count;
    return known_layouts;
}

/*
 * Score of a line for a format: -1 if the token count differs, -2 if a
 * value does not have the shape of its column, else the summed weight.
 */
static int
line_score(const vpcflow_format_t *format, const char *line, gsize len)
{
    vpcflow_token_t tokens[DETECT_MAX_TOKENS];
    guint n = vpcflow_tokenize(line, len, tokens, DETECT_MAX_TOKENS);
    int score = 0;

    if (n != format->n_columns || n > DETECT_MAX_TOKENS)
        return -1;
    for (guint c = 0; c < n; c++) {
        const char *tok = line + tokens[c].offset;
        if (vpcflow_token_is_absent(tok, tokens[c].length))
            continue;
        if (!vpcflow_field_fits(format->field[c], tok, tokens[c].length))
            return -2;
        score += (int)vpcflow_field_shape_weight(format->field[c]);
    }
    return score;
}

const vpcflow_layout_t *
vpcflow_layout_detect(const char *const *lines, const gsize *lengths, guint n_lines)
{
    guint count;
    const vpcflow_layout_t *layouts = vpcflow_layouts(&count);
    const vpcflow_layout_t *best = NULL;
    guint best_fitting = 0;
    int best_score = 0;

    for (guint l = 0; l < count; l++) {
        guint fitting = 0, misfits = 0;
        int score = 0;
        for (guint i = 0; i < n_lines; i++) {
            int s = line_score(layouts[l].format, lines[i], lengths[i]);
            if (s >= 0) {
                fitting++;
                score += s;
            } else if (s == -2) {
                misfits++;
            }
        }
        /* Most lines have the layout's shape, and it says enough. */
        if (fitting == 0 || fitting * 2 < n_lines || misfits * 4 > fitting)
            continue;
        if (score < (int)(fitting * DETECT_MIN_SCORE_PER_LINE))
            continue;
        if (fitting > best_fitting || (fitting == best_fitting && score > best_score)) {
            best = &layouts[l];
            best_fitting = fitting;
            best_score = score;
        }
    }
    return best;
}

gboolean
vpcflow_format_matches_lines(const vpcflow_format_t *format,
                             const char *const *lines, const gsize *lengths, guint n_lines)
{
    guint matching = 0;

    for (guint i = 0; i < n_lines; i++) {
        if (vpcflow_tokenize(lines[i], lengths[i], NULL, 0) == format->n_columns)
            matching++;
    }
    return n_lines > 0 && matching * 2 > n_lines;
}

/* An AWS resource id: a known prefix followed by at least 4 id characters. */
static gboolean
is_resource_id(const char *tok, gsize len)
{
    static const char *const prefixes[] = { "eni-", "vpc-", "subnet-", "i-", "tgw-", "nat-", "vpce-" };

    for (guint p = 0; p < G_N_ELEMENTS(prefixes); p++) {
        gsize plen = strlen(prefixes[p]);
        if (len >= plen + 4 && memcmp(tok, prefixes[p], plen) == 0) {
            for (gsize j = plen; j < len; j++) {
                if (!g_ascii_isalnum(tok[j]) && tok[j] != '-')
                    return FALSE;
            }
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean
is_flow_value(const char *tok, gsize len)
{
    static const char *const words[] = { "ACCEPT", "REJECT", "NODATA", "SKIPDATA", "-" };
    guint8 addr[16];

    for (guint w = 0; w < G_N_ELEMENTS(words); w++) {
        if (len == strlen(words[w]) && memcmp(tok, words[w], len) == 0)
            return TRUE;
    }
    return vpcflow_parse_ipv4(tok, len, addr) || vpcflow_parse_ipv6(tok, len, addr);
}

/* How many lines share the most common token count. */
static guint
most_common_count(const guint *counts, guint n)
{
    guint best = 0;

    for (guint i = 0; i < n; i++) {
        guint same = 0;
        for (guint j = 0; j < n; j++)
            same += counts[j] == counts[i];
        best = MAX(best, same);
    }
    return best;
}

gboolean
vpcflow_lines_look_like_records(const char *const *lines, const gsize *lengths, guint n_lines)
{
    vpcflow_token_t tokens[DETECT_MAX_TOKENS];
    guint *counts = g_new0(guint, n_lines + 1);
    guint looking = 0;

    for (guint i = 0; i < n_lines; i++) {
        guint n = vpcflow_tokenize(lines[i], lengths[i], tokens, DETECT_MAX_TOKENS);
        gboolean has_id = FALSE, has_value = FALSE;

        counts[i] = n;
        if (n < 2 || n > DETECT_MAX_TOKENS)
            continue;
        for (guint t = 0; t < n; t++) {
            const char *tok = lines[i] + tokens[t].offset;
            has_id |= is_resource_id(tok, tokens[t].length);
            has_value |= is_flow_value(tok, tokens[t].length);
        }
        if (has_id && has_value)
            looking++;
    }
    guint steady = most_common_count(counts, n_lines);
    g_free(counts);
    /* Nearly every line, with a steady token count. */
    return n_lines > 0 && looking * 4 >= n_lines * 3 && steady * 3 >= n_lines * 2;
}
