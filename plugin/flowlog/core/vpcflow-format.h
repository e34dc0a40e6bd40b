/* vpcflow-format.h
 * Flow-log formats: which field each column of a record holds.
 *
 * A format comes from the header line of an S3 file, from the user (the
 * vpcflow.format preference or the VPCFLOW_FORMAT environment variable,
 * in any of the spellings AWS and its tools use), or from recognising a
 * known headerless layout by the shape of its values.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_FORMAT_H
#define VPCFLOW_FORMAT_H

#include <glib.h>

/* A format may list at most this many columns (AWS has 72 fields). */
#define VPCFLOW_FORMAT_MAX_COLUMNS 1024

typedef struct {
    guint   n_columns;
    int    *field;          /* per column: catalogue index or VF_UNKNOWN */
    char  **name;           /* per column: the name as written */
    int    *column_of;      /* per catalogue field: its column, or -1 */
    char   *text;           /* the names joined by single spaces */
} vpcflow_format_t;

/*
 * Parse a format a user wrote: "version srcaddr ...", the AWS LogFormat
 * "${version} ${srcaddr} ...", names separated by commas, or a whole Logs
 * Insights statement "parse @message "* *" as srcaddr, dstaddr". Hyphen,
 * underscore and camelCase spellings are accepted; names not in the
 * catalogue are kept. Returns NULL with *error set (g_free it) when the
 * text holds no field name or something that cannot be one.
 */
vpcflow_format_t *vpcflow_format_parse(const char *spec, gsize len, char **error);

/*
 * The format of a list of n names (1 to VPCFLOW_FORMAT_MAX_COLUMNS), each
 * non-empty and made of letters, digits, '-' and '_' only, taken as they
 * are: no syntax of vpcflow_format_parse() applies. For tables whose
 * columns are named (Parquet, CSV results).
 */
vpcflow_format_t *vpcflow_format_from_names(const char *const *names, guint n);

/*
 * If line is a header line (only field names, lower case, at least half
 * of them known), return its format; else NULL.
 */
vpcflow_format_t *vpcflow_format_from_header(const char *line, gsize len);

/*
 * How many names a header line has, whatever their number (the line is
 * a header as vpcflow_format_from_header() judges one, but without its
 * VPCFLOW_FORMAT_MAX_COLUMNS limit); 0 if it is no header. For telling
 * "too many fields" apart from "not a flow log".
 */
guint vpcflow_header_width(const char *line, gsize len);

vpcflow_format_t *vpcflow_format_copy(const vpcflow_format_t *format);

void vpcflow_format_free(vpcflow_format_t *format);

/* Column holding a catalogue field, or -1. */
static inline int
vpcflow_format_column(const vpcflow_format_t *format, int field)
{
    return format->column_of[field];
}

/* Whether the format has a field only Transit Gateway flow logs have
 * (such a record is a Transit Gateway one; a format of shared fields
 * only cannot tell). */
gboolean vpcflow_format_is_tgw(const vpcflow_format_t *format);

/* A headerless layout the reader recognises without being told. */
typedef struct {
    const char             *description;    /* "default format (version 2)" */
    const vpcflow_format_t *format;
} vpcflow_layout_t;

/* The known layouts: v2 default, Transit Gateway default, "all fields". */
const vpcflow_layout_t *vpcflow_layouts(guint *count);

/*
 * Find the known layout the sample lines fit best, judged by the shape
 * of each value. Lines of another token count are ignored (a malformed
 * line does not hide the layout). NULL if none fits convincingly.
 */
const vpcflow_layout_t *vpcflow_layout_detect(const char *const *lines, const gsize *lengths, guint n_lines);

/*
 * How well lines fit a given format: TRUE when most lines have its
 * column count. Used to accept a user-given format for a headerless file.
 */
gboolean vpcflow_format_matches_lines(const vpcflow_format_t *format,
                                      const char *const *lines, const gsize *lengths, guint n_lines);

/*
 * TRUE when the lines look like flow records of a format we were not
 * told: a steady token count and AWS resource ids (eni-, vpc-, ...) next
 * to addresses or ACCEPT/REJECT on most lines. Strict, so that logs of
 * other software are left to other readers.
 */
gboolean vpcflow_lines_look_like_records(const char *const *lines, const gsize *lengths, guint n_lines);

#endif /* VPCFLOW_FORMAT_H */
