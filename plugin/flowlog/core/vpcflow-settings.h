/* vpcflow-settings.h
 * The one channel from the dissector's preferences to the file reader.
 *
 * The reader is a wiretap plugin: capinfos, editcap and mergecap load
 * it without any dissector, and in tshark and Wireshark it is another
 * shared object than the dissector. What the user set in the
 * vpcflow.format preference (the format of headerless files) therefore
 * travels through the process environment, under the name below: the
 * dissector sets it when its preferences are applied, and a user sets
 * it by hand for the tools that have no preferences:
 *
 *   VPCFLOW_FORMAT='version srcaddr dstaddr action' capinfos flows.log
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCFLOW_SETTINGS_H
#define VPCFLOW_SETTINGS_H

#include <glib.h>

#define VPCFLOW_SETTINGS_FORMAT_ENV "VPCFLOW_FORMAT"

/* The dissector: the format of headerless files is now format (NULL: none). */
static inline void
vpcflow_settings_set_format(const char *format)
{
    if (format && *format)
        g_setenv(VPCFLOW_SETTINGS_FORMAT_ENV, format, TRUE);
    else
        g_unsetenv(VPCFLOW_SETTINGS_FORMAT_ENV);
}

/* The reader: the format of headerless files the user gave, or NULL. */
static inline const char *
vpcflow_settings_format(void)
{
    return g_getenv(VPCFLOW_SETTINGS_FORMAT_ENV);
}

#endif /* VPCFLOW_SETTINGS_H */
