/* vpcflow-report-sql-filter.c
 * filter= of a report as a SQL condition (see vpcflow-report-sql.h for
 * what is translated). A display filter and SQL differ on a missing
 * value: a display filter's test of an absent field is false and its
 * negation true; SQL's is unknown both ways, and a text table holds "-"
 * in string columns. Tests are written so that a missing value fails
 * them, and ! is NOT COALESCE(test, FALSE).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-report-sql-int.h"
#include "vpcflow-fields.h"
#include "vpcflow-tokens.h"

#include <string.h>

#define FILTER_OPS "==, !=, <, <=, >, >=, in {...} and a field alone"

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

/*
 * A display filter's absolute time as the Unix seconds a time column holds
 * ("1664194201", or "1664194200.5"), appended to sql with the UTC time in a
 * comment; FALSE if text is not one of the forms both display filters (4.0
 * on) and this take, with what may follow each (nothing is local time, as
 * the display filter reads it: this machine's time zone):
 *   YYYY-MM-DD                               nothing
 *   YYYY-MM-DD HH:MM[:SS[.fraction]]         nothing, Z, " UTC", +HH[[:]MM], -HH[[:]MM]
 *   YYYY-MM-DDTHH:MM[:SS[.fraction]]         nothing, Z, +HH[[:]MM], -HH[[:]MM]
 *   Mon DD, YYYY HH:MM:SS[.fraction]         nothing, " UTC"
 */
static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static gboolean
take_digits(const char **at, guint min, guint max, guint *value)
{
    guint n = 0;

    *value = 0;
    while (n < max && g_ascii_isdigit((*at)[n]))
        *value = *value * 10 + (guint)((*at)[n++] - '0');
    *at += n;
    return n >= min;
}

static gboolean
take_char(const char **at, char c)
{
    if (**at != c)
        return FALSE;
    (*at)++;
    return TRUE;
}

/* The zone after a time, NULL if what follows is none of those allowed. */
static GTimeZone *
time_zone(const char *at, gboolean utc_word, gboolean offsets)
{
    guint hours, minutes = 0;
    char sign = *at;

    if (!*at)
        return g_time_zone_new_local();
    if ((offsets && strcmp(at, "Z") == 0) || (utc_word && strcmp(at, " UTC") == 0))
        return g_time_zone_new_utc();
    if (!offsets || (sign != '+' && sign != '-'))
        return NULL;
    at++;
    if (!take_digits(&at, 2, 2, &hours) || hours > 23)
        return NULL;
    if (*at) {
        take_char(&at, ':');
        if (!take_digits(&at, 2, 2, &minutes) || minutes > 59 || *at)
            return NULL;
    }
    return g_time_zone_new_offset((sign == '-' ? -1 : 1) * (gint32)(hours * 3600 + minutes * 60));
}

static gboolean
append_time_seconds(GString *sql, const char *text)
{
    const char *at = text, *fraction = NULL;
    guint year, month = 0, day, hour = 0, minute = 0, second = 0, fraction_len = 0;
    gboolean utc_word = TRUE, offsets = TRUE, seconds_needed = FALSE;

    if (g_ascii_isdigit(*at)) {
        if (!take_digits(&at, 4, 4, &year) || !take_char(&at, '-') || !take_digits(&at, 1, 2, &month) ||
            !take_char(&at, '-') || !take_digits(&at, 1, 2, &day))
            return FALSE;
        if (take_char(&at, 'T')) {
            utc_word = FALSE;
        } else if (!take_char(&at, ' ')) {
            utc_word = offsets = FALSE;     /* a date alone: local midnight */
            goto zone;
        }
    } else {
        const char *name = strlen(at) >= 3 ? strstr(months, (char[4]){ at[0], at[1], at[2], 0 }) : NULL;
        if (!name || (name - months) % 3)
            return FALSE;
        month = (guint)(name - months) / 3 + 1;
        at += 3;
        if (!take_char(&at, ' ') || !take_digits(&at, 1, 2, &day) || !take_char(&at, ',') || !take_char(&at, ' ') ||
            !take_digits(&at, 4, 4, &year) || !take_char(&at, ' '))
            return FALSE;
        offsets = FALSE;
        seconds_needed = TRUE;
    }
    if (!take_digits(&at, 1, 2, &hour) || !take_char(&at, ':') || !take_digits(&at, 2, 2, &minute))
        return FALSE;
    if (take_char(&at, ':')) {
        if (!take_digits(&at, 2, 2, &second))
            return FALSE;
        if (take_char(&at, '.')) {
            fraction = at;
            while (g_ascii_isdigit(at[fraction_len]))
                fraction_len++;
            if (!fraction_len || fraction_len > 9)
                return FALSE;
            at += fraction_len;
        }
    } else if (seconds_needed) {
        return FALSE;
    }
zone:;
    GTimeZone *zone = time_zone(at, utc_word, offsets);
    if (!zone)
        return FALSE;
    GDateTime *when = g_date_time_new(zone, (gint)year, (gint)month, (gint)day, (gint)hour, (gint)minute, second);
    g_time_zone_unref(zone);
    /* Flow logs hold no time before 1970 (and a fraction is added to whole seconds below). */
    if (!when || g_date_time_to_unix(when) < 0) {
        if (when)
            g_date_time_unref(when);
        return FALSE;
    }
    GDateTime *utc = g_date_time_to_utc(when);
    char *shown = g_date_time_format(utc, "%Y-%m-%d %H:%M:%S");
    g_string_append_printf(sql, "%" G_GINT64_FORMAT, g_date_time_to_unix(when));
    if (fraction)
        g_string_append_printf(sql, ".%.*s", (int)fraction_len, fraction);
    g_string_append_printf(sql, " /* %s%s%.*s UTC */", shown, fraction ? "." : "", (int)fraction_len,
                           fraction ? fraction : "");
    g_free(shown);
    g_date_time_unref(utc);
    g_date_time_unref(when);
    return TRUE;
}

typedef struct {
    const vpcflow_field_t  *field;
    const athena_column_t  *column;
    const char             *name;       /* vpcflow.<name> as written */
    gsize                   name_len;
} test_field_t;

static gboolean word_value(parser_t *p, const test_field_t *f, const char *word, gsize len, GString *sql);

/* One value of a comparison, as a SQL literal into sql. */
static gboolean
take_value(parser_t *p, const test_field_t *f, GString *sql, gboolean *is_dash)
{
    GString *text = g_string_new(NULL);
    gboolean ok;
    gsize len;

    *is_dash = FALSE;
    if (take_string(p, text, &ok)) {
        if (ok && f->field->type == VF_TYPE_TIME) {
            if (!append_time_seconds(sql, text->str))
                ok = fail(p, "\"%s\" is not a time translated here (YYYY-MM-DD HH:MM:SS or Mon DD, YYYY "
                          "HH:MM:SS, seconds and fraction optional, then Z, UTC, +HH:MM or nothing for local time)",
                          text->str);
            g_string_free(text, TRUE);
            return ok;
        }
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
    return word_value(p, f, word, len, sql);
}

/* An unquoted value of a comparison (word, len long), as a SQL literal into sql. */
static gboolean
word_value(parser_t *p, const test_field_t *f, const char *word, gsize len, GString *sql)
{
    if (f->field->type == VF_TYPE_TIME)
        return fail(p, "vpcflow.%.*s is a time: write it in quotes (\"2022-09-26 12:00:00Z\")", (int)f->name_len,
                    f->name);
    if (f->field->type == VF_TYPE_ADDR) {
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

static guint32
address_number(const guint8 addr[4])
{
    return (guint32)addr[0] << 24 | (guint32)addr[1] << 16 | (guint32)addr[2] << 8 | addr[3];
}

/* Whether (or, !inside, whether not) the address in column has a value from low to high,
 * made from its four parts. */
static void
append_address_between(GString *sql, const athena_column_t *column, gboolean inside, guint32 low, guint32 high)
{
    g_string_append_c(sql, '(');
    for (guint part = 0; part < 4; part++)
        g_string_append_printf(sql, "%stry_cast(split_part(%s, '.', %u) AS bigint) * %u", part ? " + " : "",
                               column->column, part + 1, 1u << (8 * (3 - part)));
    g_string_append_printf(sql, "%s BETWEEN %u AND %u)", inside ? "" : " NOT", low, high);
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
    guint32 low = address_number(addr) & mask;
    append_address_between(sql, f->column, inside, low, low | ~mask);
    return TRUE;
}

/* vpcflow.<address> in {a..b}: the address's value between a's and b's. */
static gboolean
append_address_range(parser_t *p, const test_field_t *f, const char *word, gsize len, const char *dots,
                     GString *sql)
{
    guint8 low[4], high[4];
    const char *second = dots + 2;
    gsize first_len = (gsize)(dots - word), second_len = len - first_len - 2;

    if (!is_ipv4(word, first_len) || !is_ipv4(second, second_len))
        return fail(p, "\"%.*s\" is not a range of IPv4 addresses (a.b.c.d..e.f.g.h)", (int)len, word);
    vpcflow_parse_ipv4(word, first_len, low);
    vpcflow_parse_ipv4(second, second_len, high);
    append_address_between(sql, f->column, TRUE, address_number(low), address_number(high));
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

/*
 * One element of a set into values (the IN list) or ranges (tests ORed):
 * a value, a range a..b (numbers, times, addresses), or an IPv4 network.
 */
static gboolean
parse_set_element(parser_t *p, const test_field_t *f, GString *values, GString *ranges, gboolean *any_dash)
{
    GString *low = g_string_new(NULL), *high = g_string_new(NULL), *test = g_string_new(NULL);
    gboolean ok, is_dash = FALSE, range = FALSE;
    gsize len = peek_word(p);
    const char *word = p->at, *dots = len ? g_strstr_len(word, (gssize)len, "..") : NULL;

    if (len && f->field->type == VF_TYPE_ADDR && memchr(word, '/', len)) {
        ok = append_network_test(p, f, TRUE, test);
    } else if (dots && f->field->type == VF_TYPE_ADDR) {
        p->at += len;
        ok = append_address_range(p, f, word, len, dots, test);
    } else if (dots) {
        p->at += len;
        range = TRUE;
        ok = word_value(p, f, word, (gsize)(dots - word), low) &&
             word_value(p, f, dots + 2, len - (gsize)(dots - word) - 2, high);
    } else {
        ok = take_value(p, f, low, &is_dash);
        skip_blanks(p);
        if (ok && strncmp(p->at, "..", 2) == 0) {
            p->at += 2;
            range = TRUE;
            ok = take_value(p, f, high, &is_dash);
        }
    }
    if (ok && range && f->column->type == SQL_STRING)
        ok = fail(p, "vpcflow.%.*s is text: ranges of text are not translated", (int)f->name_len, f->name);
    if (ok && range)
        g_string_printf(test, "%s BETWEEN %s AND %s", f->column->column, low->str, high->str);
    if (ok && test->len) {
        g_string_append_printf(ranges, "%s%s", ranges->len ? " OR " : "", test->str);
    } else if (ok) {
        g_string_append_printf(values, "%s%s", values->len ? ", " : "", low->str);
        *any_dash |= is_dash;
    }
    g_string_free(low, TRUE);
    g_string_free(high, TRUE);
    g_string_free(test, TRUE);
    return ok;
}

/* vpcflow.<field> in {...}: the values in one IN list, ranges and networks ORed to it. */
static gboolean
parse_set(parser_t *p, const test_field_t *f, GString *sql)
{
    GString *values = g_string_new(NULL), *ranges = g_string_new(NULL);
    gboolean any_dash = FALSE, ok = TRUE;

    skip_blanks(p);
    if (*p->at != '{')
        ok = fail(p, "vpcflow.%.*s in: a set in braces must follow", (int)f->name_len, f->name);
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
        if (!*p->at)
            ok = fail(p, "vpcflow.%.*s in {: the set is not closed by }", (int)f->name_len, f->name);
        else
            ok = parse_set_element(p, f, values, ranges, &any_dash);
    }
    if (ok && !values->len && !ranges->len)
        ok = fail(p, "vpcflow.%.*s in {}: the set is empty", (int)f->name_len, f->name);
    if (ok) {
        gboolean both = values->len && ranges->len;
        if (both)
            g_string_append_c(sql, '(');
        if (values->len) {
            append_filter_column(sql, f->column, !any_dash);
            g_string_append_printf(sql, " IN (%s)", values->str);
        }
        if (both)
            g_string_append(sql, " OR ");
        g_string_append(sql, ranges->str);
        if (both)
            g_string_append_c(sql, ')');
    }
    g_string_free(values, TRUE);
    g_string_free(ranges, TRUE);
    return ok;
}

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
    if (field == VF_UNKNOWN || !(f.column = vpcflow_athena_column(field)))
        return fail(p, "vpcflow.%.*s has no column of its own in AWS's Athena table for flow logs (the fields of "
                    "versions 2 to 5)", (int)f.name_len, f.name);
    f.field = &vpcflow_fields[field];

    guint r;
    for (r = 0; r < G_N_ELEMENTS(relations) && !take(p, relations[r].names); r++)
        ;
    gboolean compared = r < G_N_ELEMENTS(relations) || take(p, "in");
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
    if (compared)
        return parse_set(p, &f, sql);
    if (!at_test_end(p))
        return fail(p, "\"%.10s\" after vpcflow.%.*s is not translated (only " FILTER_OPS ")", p->at,
                    (int)f.name_len, f.name);
    /* The field alone: the record has a value for it. */
    append_filter_column(sql, f.column, FALSE);
    g_string_append(sql, " IS NOT NULL");
    return TRUE;
}

static gboolean parse_or_and(parser_t *p, GString *sql, gboolean *is_or);

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
        if (!parse_or_and(p, sql, NULL))
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
parse_or_and(parser_t *p, GString *sql, gboolean *is_or)
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
        if (is_or)
            *is_or = join[1] == 'O';
        g_string_append(sql, join);
        if (!parse_unary(p, sql))
            return FALSE;
    }
}

gboolean
vpcflow_sql_filter(const char *filter, GString *sql, char **error)
{
    parser_t p = { filter, error };
    GString *condition = g_string_new(NULL);
    gboolean is_or = FALSE, ok = parse_or_and(&p, condition, &is_or);

    skip_blanks(&p);
    if (ok && *p.at)
        ok = fail(&p, "\"%.20s\" is not translated (only vpcflow.<field> tests: " FILTER_OPS
                  ", joined by && or ||)", p.at);
    /* In parentheses when joined by OR: a partition condition ANDed after it must bind to all of it. */
    if (ok)
        g_string_append_printf(sql, is_or ? "(%s)" : "%s", condition->str);
    g_string_free(condition, TRUE);
    return ok;
}

