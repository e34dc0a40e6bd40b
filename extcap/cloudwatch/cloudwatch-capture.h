/* cloudwatch-capture.h
 * The live loop of vpcflow-cloudwatch: poll FilterLogEvents, turn each
 * new event into the frame the file reader makes, write it as pcapng.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_CLOUDWATCH_CAPTURE_H
#define VPCSHARK_CLOUDWATCH_CAPTURE_H

#include <glib.h>

typedef struct {
    const char *region;
    const char *endpoint;           /* the service URL */
    const char *profile;            /* asked for, or NULL */
    const char *log_group;
    const char *const *log_streams; /* NULL-terminated, or NULL */
    const char *filter_pattern;     /* or NULL */
    gint64      start_ms;
    guint       poll_seconds;
    guint       page_limit;         /* events per page (0: the API's) */
    const char *output;             /* the fifo or file */
} cloudwatch_capture_options_t;

/* Run until stopped (signal, closed output) or a lasting error; the exit status. */
int cloudwatch_capture_run(const cloudwatch_capture_options_t *options);

#endif
