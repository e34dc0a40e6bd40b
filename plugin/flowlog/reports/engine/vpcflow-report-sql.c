/* vpcflow-report-sql.c
 * The Athena (Trino) query of a report (see vpcflow-report-sql.h).
 *
 * What the report does, and the SQL that does the same:
 *   group by text, "-" for none    COALESCE(col, '-'), CAST(col AS varchar) for numbers
 *   count: records                 count(*)
 *   sum: 0 for a group of "-"      COALESCE(sum(x), 0)
 *   avg, min, max: "-", last       NULL, NULLS LAST
 *   no by=: one group, none when   HAVING count(*) > 0
 *     no record passed the filter
 *   ties by the groups' text       ORDER BY the group columns (binary order, as memcmp)
 *   absent field fails a test      NULL fails; NOT(x) is NOT COALESCE(x, FALSE),
 *                                  "-" in a string column is NULLIF(col, '-')
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-sql.h"
#include "vpcflow-report-int.h"
#include "vpcflow-fields.h"
#include "vpcflow-tokens.h"

#include <string.h>

typedef enum {
    SQL_INT,
    SQL_BIGINT,
    SQL_STRING
} sql_type_t;

typedef struct {
    int         field;
    const char *column;         /* as the query writes it ("end" is a reserved word) */
    sql_type_t  type;
} athena_column_t;

/* AWS's DDL (Athena user guide, "Create a table for Amazon VPC flow logs"):
 * the fields of versions 2 to 5, in this order and with these types. */
static const athena_column_t athena_columns[] = {
    { VF_VERSION,             "version",             SQL_INT },
    { VF_ACCOUNT_ID,          "account_id",          SQL_STRING },
    { VF_INTERFACE_ID,        "interface_id",        SQL_STRING },
    { VF_SRCADDR,             "srcaddr",             SQL_STRING },
    { VF_DSTADDR,             "dstaddr",             SQL_STRING },
    { VF_SRCPORT,             "srcport",             SQL_INT },
    { VF_DSTPORT,             "dstport",             SQL_INT },
    { VF_PROTOCOL,            "protocol",            SQL_BIGINT },
    { VF_PACKETS,             "packets",             SQL_BIGINT },
    { VF_BYTES,               "bytes",               SQL_BIGINT },
    { VF_START,               "start",               SQL_BIGINT },
    { VF_END,                 "\"end\"",             SQL_BIGINT },
    { VF_ACTION,              "action",              SQL_STRING },
    { VF_LOG_STATUS,          "log_status",          SQL_STRING },
    { VF_VPC_ID,              "vpc_id",              SQL_STRING },
    { VF_SUBNET_ID,           "subnet_id",           SQL_STRING },
    { VF_INSTANCE_ID,         "instance_id",         SQL_STRING },
    { VF_TCP_FLAGS,           "tcp_flags",           SQL_INT },
    { VF_TYPE,                "type",                SQL_STRING },
    { VF_PKT_SRCADDR,         "pkt_srcaddr",         SQL_STRING },
    { VF_PKT_DSTADDR,         "pkt_dstaddr",         SQL_STRING },
    { VF_REGION,              "region",              SQL_STRING },
    { VF_AZ_ID,               "az_id",               SQL_STRING },
    { VF_SUBLOCATION_TYPE,    "sublocation_type",    SQL_STRING },
    { VF_SUBLOCATION_ID,      "sublocation_id",      SQL_STRING },
    { VF_PKT_SRC_AWS_SERVICE, "pkt_src_aws_service", SQL_STRING },
    { VF_PKT_DST_AWS_SERVICE, "pkt_dst_aws_service", SQL_STRING },
    { VF_FLOW_DIRECTION,      "flow_direction",      SQL_STRING },
    { VF_TRAFFIC_PATH,        "traffic_path",        SQL_INT },
};

/* end - start, as the report's "duration": none when end is before start. */
#define DURATION_SQL "CASE WHEN \"end\" >= start THEN \"end\" - start END"

/* What the user adds so that Athena reads only some files (AWS's DDL partitions by "date"). */
#define PARTITION_HINT "\"date\" = DATE '2022-09-26'   -- your partition columns: Athena reads only those files"

#define FILTER_OPS "==, !=, <, <=, >, >=, in {...} and a field alone"

static const athena_column_t *
column_of(int field)
{
    for (guint i = 0; i < G_N_ELEMENTS(athena_columns); i++) {
        if (athena_columns[i].field == field)
            return &athena_columns[i];
    }
    return NULL;
}

static gboolean
need_column(int field, const char *option, const athena_column_t **column, char **error)
{
    if (field == VPCFLOW_REPORT_DURATION)
        return TRUE;
    if (!(*column = column_of(field))) {
        *error = g_strdup_printf("sql=athena: %s: %s is not a column of AWS's Athena table for flow logs "
                                 "(the fields of versions 2 to 5)", option, vpcflow_fields[field].name);
        return FALSE;
    }
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* filter=: a display filter made of vpcflow.<field> comparisons        */

typedef struct {
    const char *at;             /* the rest of the filter */
    char      **error;
} parser_t;

static gboolean
fail(parser_t *p, const char *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean
fail(parser_t *p, const char *format, ...)
{
    va_list args;

    if (*p->error)
        return FALSE;
    va_start(args, format);
    char *why = g_strdup_vprintf(format, args);
    va_end(args);
    *p->error = g_strdup_printf("sql=athena: filter=: %s", why);
    g_free(why);
    return FALSE;
}

static void
skip_blanks(parser_t *p)
{
    while (g_ascii_isspace(*p->at))
        p->at++;
}

static gboolean
is_word_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '.' || c == '-' || c == ':' || c == '/';
}

/* The next word (field, number, address or keyword) without taking it; its length. */
static gsize
peek_word(parser_t *p)
{
    gsize n = 0;

    skip_blanks(p);
    while (is_word_char(p->at[n]))
        n++;
    return n;
}

/* The next operator symbol (a run of =!<>&|~) without taking it; its length. */
static gsize
peek_symbol(parser_t *p)
{
    gsize n = 0;

    skip_blanks(p);
    while (p->at[n] && strchr("=!<>&|~", p->at[n]))
        n++;
    return n;
}

/* Take the next word or symbol if it is one of the alternatives ("&& and"):
 * the whole of it, so that "!=" is not "!" and "===" not "==". */
static gboolean
take(parser_t *p, const char *alternatives)
{
    char **names = g_strsplit(alternatives, " ", -1);
    gsize word = peek_word(p), symbol = peek_symbol(p);
    gboolean taken = FALSE;

    for (char **n = names; *n && !taken; n++) {
        gsize len = strlen(*n);
        if ((g_ascii_isalpha((*n)[0]) ? word : symbol) == len && strncmp(p->at, *n, len) == 0) {
            p->at += len;
            taken = TRUE;
        }
    }
    g_strfreev(names);
    return taken;
}

/* TRUE if a test ends here: the end, ")", or && / ||. */
static gboolean
at_test_end(parser_t *p)
{
    const char *at = p->at;
    gboolean end = peek_symbol(p) == 0 && (!*p->at || *p->at == ')');

    if (!end && (take(p, "&& and") || take(p, "|| or"))) {
        p->at = at;
        end = TRUE;
    }
    return end;
}

/* A quoted string value, unescaped into out; FALSE if the next token is not one. */
static gboolean
take_string(parser_t *p, GString *out, gboolean *ok)
{
    skip_blanks(p);
    *ok = TRUE;
    if (*p->at != '"')
        return FALSE;
    for (p->at++; *p->at != '"'; p->at++) {
        if (!*p->at) {
            *ok = fail(p, "a string is not closed by \"");
            return TRUE;
        }
        if (*p->at == '\\') {
            p->at++;
            if (*p->at != '\\' && *p->at != '"') {
                *ok = fail(p, "the escape \\%c is not translated (only \\\\ and \\\")", *p->at ? *p->at : ' ');
                return TRUE;
            }
        }
        g_string_append_c(out, *p->at);
    }
    p->at++;
    return TRUE;
}

/* A SQL string literal of a value: quotes doubled. */
static void
append_literal(GString *sql, const char *value)
{
    g_string_append_c(sql, '\'');
    for (const char *c = value; *c; c++) {
        if (*c == '\'')
            g_string_append_c(sql, '\'');
        g_string_append_c(sql, *c);
    }
    g_string_append_c(sql, '\'');
}

/* A dotted-quad IPv4 address as the report's keys and the flow log print it. */
static gboolean
is_ipv4(const char *text, gsize len)
{
    guint8 addr[4];
    char printed[16];

    if (!vpcflow_parse_ipv4(text, len, addr))
        return FALSE;
    g_snprintf(printed, sizeof printed, "%u.%u.%u.%u", addr[0], addr[1], addr[2], addr[3]);
    return strlen(printed) == len && memcmp(printed, text, len) == 0;
}

typedef struct {
    const vpcflow_field_t  *field;
    const athena_column_t  *column;
    const char             *name;       /* vpcflow.<name> as written */
    gsize                   name_len;
} test_field_t;

/* One value of a comparison, as a SQL literal into sql. */
static gboolean
take_value(parser_t *p, const test_field_t *f, GString *sql, gboolean *is_dash)
{
    GString *text = g_string_new(NULL);
    gboolean ok;
    gsize len;

    *is_dash = FALSE;
    if (take_string(p, text, &ok)) {
        if (ok && f->column->type != SQL_STRING)
            ok = fail(p, "vpcflow.%.*s is a number: compare it with one, not \"%s\"", (int)f->name_len, f->name,
                      text->str);
        else if (ok && f->field->type == VF_TYPE_ADDR)
            ok = fail(p, "vpcflow.%.*s is an address: write it unquoted (10.0.0.1)", (int)f->name_len, f->name);
        if (ok) {
            *is_dash = strcmp(text->str, "-") == 0;
            append_literal(sql, text->str);
        }
        g_string_free(text, TRUE);
        return ok;
    }
    g_string_free(text, TRUE);
    if (!(len = peek_word(p)))
        return fail(p, "a value is missing after vpcflow.%.*s", (int)f->name_len, f->name);

    const char *word = p->at;
    p->at += len;
    if (g_strstr_len(word, (gssize)len, ".."))
        return fail(p, "ranges in a set (%.*s) are not translated", (int)len, word);
    if (f->field->type == VF_TYPE_ADDR) {
        if (memchr(word, '/', len))
            return fail(p, "the network %.*s: in a set, address ranges are not translated (write "
                        "vpcflow.%.*s == a/n || vpcflow.%.*s == b/m)", (int)len, word, (int)f->name_len, f->name,
                        (int)f->name_len, f->name);
        if (!is_ipv4(word, len))
            return fail(p, "\"%.*s\" is not an IPv4 address written as flow logs write them (vpcflow.%.*s holds "
                        "IPv4; IPv6 fields are not translated)", (int)len, word, (int)f->name_len, f->name);
        g_string_append_c(sql, '\'');
        g_string_append_len(sql, word, (gssize)len);
        g_string_append_c(sql, '\'');
        return TRUE;
    }
    if (f->column->type == SQL_STRING)
        return fail(p, "vpcflow.%.*s is text: quote the value (\"%.*s\")", (int)f->name_len, f->name, (int)len, word);

    /* Display filters read 0x1f as hex and 017 as octal: only decimal and hex are taken. */
    guint64 number;
    char *end;
    if (len > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X') && g_ascii_isxdigit(word[2])) {
        number = g_ascii_strtoull(word + 2, &end, 16);
    } else if (g_ascii_isdigit(word[0]) && (word[0] != '0' || len == 1)) {
        number = g_ascii_strtoull(word, &end, 10);
    } else {
        return fail(p, "\"%.*s\" is not a number in decimal or 0x hex (vpcflow.%.*s is a number)", (int)len, word,
                    (int)f->name_len, f->name);
    }
    if (end != word + len || number > G_MAXINT64)
        return fail(p, "\"%.*s\" is not a number in decimal or 0x hex (vpcflow.%.*s is a number)", (int)len, word,
                    (int)f->name_len, f->name);
    g_string_append_printf(sql, "%" G_GUINT64_FORMAT, number);
    return TRUE;
}

/* TRUE if the next word is a network (a/n). */
static gboolean
is_network(parser_t *p)
{
    gsize len = peek_word(p);

    return len && memchr(p->at, '/', len) != NULL;
}

/*
 * vpcflow.<address> == or != a/n: whether the address is in the network,
 * by its value as a number, made from its four parts. Text that is not an
 * IPv4 address ("-", IPv6) has a part that is not a number, so no value,
 * and fails either test, as an address field the record lacks does.
 */
static gboolean
append_network_test(parser_t *p, const test_field_t *f, gboolean inside, GString *sql)
{
    gsize len = peek_word(p);
    const char *word = p->at, *slash = memchr(word, '/', len);
    gsize bits_len = len - (gsize)(slash + 1 - word);
    guint8 addr[4];
    guint64 bits;
    char *end;

    p->at += len;
    if (!is_ipv4(word, (gsize)(slash - word)) || !bits_len || !g_ascii_isdigit(slash[1]) ||
        (bits = g_ascii_strtoull(slash + 1, &end, 10)) > 32 || end != slash + 1 + bits_len)
        return fail(p, "\"%.*s\" is not an IPv4 network (a.b.c.d/n, n from 0 to 32)", (int)len, word);
    vpcflow_parse_ipv4(word, (gsize)(slash - word), addr);
    guint32 mask = bits ? G_MAXUINT32 << (32 - bits) : 0;
    guint32 low = ((guint32)addr[0] << 24 | (guint32)addr[1] << 16 | (guint32)addr[2] << 8 | addr[3]) & mask;
    g_string_append_c(sql, '(');
    for (guint part = 0; part < 4; part++)
        g_string_append_printf(sql, "%stry_cast(split_part(%s, '.', %u) AS bigint) * %u", part ? " + " : "",
                               f->column->column, part + 1, 1u << (8 * (3 - part)));
    g_string_append_printf(sql, "%s BETWEEN %u AND %u)", inside ? "" : " NOT", low, low | ~mask);
    return TRUE;
}

/* The column as a filter reads it: a string column's "-" (text tables keep it) is no value. */
static void
append_filter_column(GString *sql, const athena_column_t *column, gboolean plain)
{
    if (column->type == SQL_STRING && !plain)
        g_string_append_printf(sql, "NULLIF(%s, '-')", column->column);
    else
        g_string_append(sql, column->column);
}

static const struct {
    const char *names;
    const char *sql;
    gboolean    ordered;        /* an order comparison, meaningless on addresses */
} relations[] = {
    { "== eq", "=",  FALSE },
    { "!= ne", "<>", FALSE },
    { "<= le", "<=", TRUE },
    { ">= ge", ">=", TRUE },
    { "< lt",  "<",  TRUE },
    { "> gt",  ">",  TRUE },
};

/* A field, alone (present) or compared; appended to sql. */
static gboolean
parse_test(parser_t *p, GString *sql)
{
    gsize len = peek_word(p);
    test_field_t f;

    if (!len)
        return *p->at ? fail(p, "\"%.20s\" is not translated (only vpcflow.<field> tests: " FILTER_OPS ")", p->at)
                      : fail(p, "it ends where a test is expected");
    if (len == 7 && strncmp(p->at, "vpcflow", 7) == 0) {
        /* The protocol alone: every record has it. */
        p->at += len;
        if (!at_test_end(p))
            return fail(p, "\"%.10s\" after vpcflow is not translated", p->at);
        g_string_append(sql, "TRUE");
        return TRUE;
    }
    if (len <= 8 || strncmp(p->at, "vpcflow.", 8) != 0)
        return fail(p, "\"%.*s\" is not a flow-log field of the Athena table (only vpcflow.<field> is translated)",
                    (int)len, p->at);
    f.name = p->at + 8;
    f.name_len = len - 8;
    p->at += len;
    int field = vpcflow_field_lookup(f.name, f.name_len);
    if (field == VF_UNKNOWN || !(f.column = column_of(field)))
        return fail(p, "vpcflow.%.*s has no column of its own in AWS's Athena table for flow logs (the fields of "
                    "versions 2 to 5)", (int)f.name_len, f.name);
    f.field = &vpcflow_fields[field];

    guint r;
    for (r = 0; r < G_N_ELEMENTS(relations) && !take(p, relations[r].names); r++)
        ;
    gboolean compared = r < G_N_ELEMENTS(relations) || take(p, "in");
    /* A display filter compares times with dates in local time, Athena with Unix seconds. */
    if (compared && f.field->type == VF_TYPE_TIME)
        return fail(p, "vpcflow.%.*s is a time in display filters and is not translated; narrow by time with "
                    "the table's partition columns", (int)f.name_len, f.name);
    if (r < G_N_ELEMENTS(relations)) {
        gboolean is_address = f.field->type == VF_TYPE_ADDR, is_dash;
        if (is_address && relations[r].ordered)
            return fail(p, "vpcflow.%.*s %s: addresses are compared with == and != only here", (int)f.name_len,
                        f.name, relations[r].sql);
        if (is_address && is_network(p))
            return append_network_test(p, &f, strcmp(relations[r].sql, "=") == 0, sql);
        GString *value = g_string_new(NULL);
        if (!take_value(p, &f, value, &is_dash)) {
            g_string_free(value, TRUE);
            return FALSE;
        }
        /* An address field holds IPv4 only: text without a dot is absent for it. */
        gboolean guard = is_address && strcmp(relations[r].sql, "<>") == 0;
        if (guard)
            g_string_append_c(sql, '(');
        append_filter_column(sql, f.column, strcmp(relations[r].sql, "=") == 0 && !is_dash);
        g_string_append_printf(sql, " %s %s", relations[r].sql, value->str);
        if (guard)
            g_string_append_printf(sql, " AND strpos(%s, '.') > 0 AND strpos(%s, ':') = 0)", f.column->column,
                                   f.column->column);
        g_string_free(value, TRUE);
        return TRUE;
    }
    if (compared) {
        GString *values = g_string_new(NULL);
        gboolean any_dash = FALSE, is_dash, ok = TRUE;
        skip_blanks(p);
        if (*p->at != '{')
            ok = fail(p, "vpcflow.%.*s in: a set in braces must follow", (int)f.name_len, f.name);
        else
            p->at++;
        while (ok) {
            skip_blanks(p);
            if (*p->at == ',') {
                p->at++;
                continue;
            }
            if (*p->at == '}') {
                p->at++;
                break;
            }
            if (values->len)
                g_string_append(values, ", ");
            ok = take_value(p, &f, values, &is_dash);
            any_dash |= is_dash;
        }
        if (ok && !values->len)
            ok = fail(p, "vpcflow.%.*s in {}: the set is empty", (int)f.name_len, f.name);
        if (ok) {
            append_filter_column(sql, f.column, !any_dash);
            g_string_append_printf(sql, " IN (%s)", values->str);
        }
        g_string_free(values, TRUE);
        return ok;
    }
    if (!at_test_end(p))
        return fail(p, "\"%.10s\" after vpcflow.%.*s is not translated (only " FILTER_OPS ")", p->at,
                    (int)f.name_len, f.name);
    /* The field alone: the record has a value for it. */
    append_filter_column(sql, f.column, FALSE);
    g_string_append(sql, " IS NOT NULL");
    return TRUE;
}

static gboolean parse_or_and(parser_t *p, GString *sql);

static gboolean
parse_unary(parser_t *p, GString *sql)
{
    skip_blanks(p);
    if (take(p, "! not")) {
        /* SQL's NOT of an unknown (an absent field) is unknown; a display filter's is true. */
        g_string_append(sql, "NOT COALESCE(");
        if (!parse_unary(p, sql))
            return FALSE;
        g_string_append(sql, ", FALSE)");
        return TRUE;
    }
    if (*p->at == '(') {
        p->at++;
        g_string_append_c(sql, '(');
        if (!parse_or_and(p, sql))
            return FALSE;
        skip_blanks(p);
        if (*p->at != ')')
            return fail(p, "a ( is not closed");
        p->at++;
        g_string_append_c(sql, ')');
        return TRUE;
    }
    return parse_test(p, sql);
}

/* Tests joined by && or by ||, not both: how they bind unparenthesised is not
 * something to leave to two languages. */
static gboolean
parse_or_and(parser_t *p, GString *sql)
{
    const char *joined = NULL;

    if (!parse_unary(p, sql))
        return FALSE;
    for (;;) {
        const char *join = take(p, "&& and") ? " AND " : take(p, "|| or") ? " OR " : NULL;
        if (!join)
            return TRUE;
        if (joined && join != joined)
            return fail(p, "&& and || are mixed without parentheses: add them to say which binds first");
        joined = join;
        g_string_append(sql, join);
        if (!parse_unary(p, sql))
            return FALSE;
    }
}

static gboolean
translate_filter(const char *filter, GString *sql, char **error)
{
    parser_t p = { filter, error };

    if (!parse_or_and(&p, sql))
        return FALSE;
    skip_blanks(&p);
    if (*p.at)
        return fail(&p, "\"%.20s\" is not translated (only vpcflow.<field> tests: " FILTER_OPS
                    ", joined by && or ||)", p.at);
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* The query                                                            */

/* A value column (the report's field) as SQL. */
static void
append_value(GString *sql, int field, const athena_column_t *column)
{
    g_string_append(sql, field == VPCFLOW_REPORT_DURATION ? DURATION_SQL : column->column);
}

/* The WHERE clause: the filter and what the report needs, with room for the partitions. */
static gboolean
append_where(const vpcflow_report_t *r, const char *needed, GString *sql, char **error)
{
    const char *c = r->filter;
    while (c && g_ascii_isspace(*c))
        c++;
    gboolean has_filter = c && *c;
    GString *filter = g_string_new(NULL);

    if (has_filter && !translate_filter(r->filter, filter, error)) {
        g_string_free(filter, TRUE);
        return FALSE;
    }
    if (needed && has_filter)
        g_string_append_printf(sql, "WHERE %s\n  AND (%s)\n", needed, filter->str);
    else if (needed || has_filter)
        g_string_append_printf(sql, "WHERE %s\n", needed ? needed : filter->str);
    g_string_append_printf(sql, "  %s " PARTITION_HINT "\n", needed || has_filter ? "-- AND" : "-- WHERE");
    g_string_free(filter, TRUE);
    return TRUE;
}

/* The report's own heading, as comment lines (a line break in the filter starts another:
 * in SQL a comment ends at either). */
static void
append_heading(const vpcflow_report_t *r, GString *sql)
{
    GString *heading = g_string_new(NULL);

    vpcflow_report_heading(r, heading);
    char **lines = g_strsplit_set(heading->str, "\r\n", -1);
    for (char **line = lines; *line; line++) {
        if (**line)
            g_string_append_printf(sql, "-- %s\n", *line);
    }
    g_strfreev(lines);
    g_string_free(heading, TRUE);
    g_string_append_printf(sql, "-- over %s, a table made by AWS's Athena DDL for VPC flow logs (versions 2 to 5)\n",
                           r->table ? r->table : VPCFLOW_REPORT_SQL_TABLE);
}

static gboolean
list_sql(const vpcflow_report_t *r, GString *sql, char **error)
{
    const athena_column_t *sorted = NULL;
    const char *table = r->table ? r->table : VPCFLOW_REPORT_SQL_TABLE;

    if (!need_column(r->value_field, "list", &sorted, error))
        return FALSE;
    g_string_append(sql, "SELECT ");
    for (guint i = 0; i < G_N_ELEMENTS(athena_columns); i++)
        g_string_append_printf(sql, "%s%s", i ? ", " : "", athena_columns[i].column);
    g_string_append_printf(sql, "\nFROM %s\n", table);
    /* The report lists only records with a value to sort by. */
    char *needed = r->value_field == VPCFLOW_REPORT_DURATION ? g_strdup("\"end\" >= start")
                                                             : g_strdup_printf("%s IS NOT NULL", sorted->column);
    gboolean ok = append_where(r, needed, sql, error);
    g_free(needed);
    if (!ok)
        return FALSE;
    g_string_append(sql, "ORDER BY ");
    append_value(sql, r->value_field, sorted);
    g_string_append_printf(sql, " %s\nLIMIT %u;\n", r->ascending ? "ASC" : "DESC", r->top);
    return TRUE;
}

static gboolean
groups_sql(const vpcflow_report_t *r, GString *sql, char **error)
{
    const athena_column_t *by[VPCFLOW_REPORT_MAX_BY], *value = NULL;
    const char *table = r->table ? r->table : VPCFLOW_REPORT_SQL_TABLE;
    const char *name = vpcflow_report_op_names[r->op];

    for (guint b = 0; b < r->n_by; b++) {
        if (!need_column(r->by[b], "by=", &by[b], error))
            return FALSE;
    }
    if (r->op != VPCFLOW_REPORT_COUNT && !need_column(r->value_field, name, &value, error))
        return FALSE;

    g_string_append(sql, "SELECT\n");
    for (guint b = 0; b < r->n_by; b++) {
        /* Grouped and ordered as the report does: by the value's text, "-" for none. */
        if (by[b]->type == SQL_STRING)
            g_string_append_printf(sql, "  COALESCE(%s, '-')", by[b]->column);
        else
            g_string_append_printf(sql, "  COALESCE(CAST(%s AS varchar), '-')", by[b]->column);
        g_string_append_printf(sql, " AS %s,\n", by[b]->column);
    }
    const char *field_name = r->op == VPCFLOW_REPORT_COUNT ? "" : vpcflow_report_field_name(r->value_field);
    char *alias = g_strdelimit(g_strdup(field_name), "-", '_');
    switch (r->op) {
    case VPCFLOW_REPORT_COUNT:
        g_string_append(sql, "  count(*) AS \"count\"\n");
        break;
    case VPCFLOW_REPORT_SUM:
        /* Named as the field: a sum's result opens as one record per group. */
        g_string_append(sql, "  COALESCE(sum(");
        append_value(sql, r->value_field, value);
        g_string_append_printf(sql, "), 0) AS %s\n", r->value_field == VF_END ? "\"end\"" : alias);
        break;
    default:
        g_string_append_printf(sql, "  %s(", name);
        append_value(sql, r->value_field, value);
        g_string_append_printf(sql, ") AS %s_%s\n", name, alias);
        break;
    }
    g_free(alias);
    g_string_append_printf(sql, "FROM %s\n", table);
    if (!append_where(r, NULL, sql, error))
        return FALSE;
    if (r->n_by) {
        g_string_append(sql, "GROUP BY ");
        for (guint b = 0; b < r->n_by; b++)
            g_string_append_printf(sql, "%s%u", b ? ", " : "", b + 1);
        g_string_append_c(sql, '\n');
    } else {
        /* The report has no group when no record came. */
        g_string_append(sql, "HAVING count(*) > 0\n");
    }
    g_string_append_printf(sql, "ORDER BY %u %s NULLS LAST", r->n_by + 1, r->ascending ? "ASC" : "DESC");
    for (guint b = 0; b < r->n_by; b++)
        g_string_append_printf(sql, ", %u", b + 1);
    if (r->top)
        g_string_append_printf(sql, "\nLIMIT %u", r->top);
    g_string_append(sql, ";\n");
    return TRUE;
}

GString *
vpcflow_report_sql(const vpcflow_report_t *r, char **error)
{
    GString *sql = g_string_new(NULL);

    append_heading(r, sql);
    if (!(r->op == VPCFLOW_REPORT_LIST ? list_sql(r, sql, error) : groups_sql(r, sql, error))) {
        g_string_free(sql, TRUE);
        return NULL;
    }
    return sql;
}
