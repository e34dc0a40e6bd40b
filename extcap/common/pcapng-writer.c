/* pcapng-writer.c
 * Block layouts from the pcapng specification (draft-ietf-opsawg-pcapng):
 * every block is type, total length, body, total length again, with the
 * body padded to 32 bits; options are code, length, value padded to 32
 * bits, ended by code 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "pcapng-writer.h"

#include <string.h>

#define BLOCK_SECTION_HEADER 0x0A0D0D0Au
#define BLOCK_INTERFACE 0x00000001u
#define BLOCK_STATISTICS 0x00000005u
#define BLOCK_ENHANCED_PACKET 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define OPT_END 0
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME 2
#define OPT_IF_DESCRIPTION 3
#define OPT_IF_TSRESOL 9
#define OPT_ISB_STARTTIME 2
#define OPT_ISB_ENDTIME 3
#define OPT_ISB_IFRECV 4
#define OPT_ISB_IFDROP 5
#define OPT_ISB_FILTERACCEPT 6
#define OPT_ISB_USRDELIV 8

/* Options longer than this are cut: names and descriptions are ours. */
#define MAX_TEXT_OPTION 256u

static size_t
padded(size_t len)
{
    return (len + 3u) & ~(size_t)3u;
}

static bool
put(FILE *out, const void *data, size_t len)
{
    return len == 0 || fwrite(data, 1, len, out) == len;
}

static bool
put_u16(FILE *out, uint16_t value)
{
    return put(out, &value, sizeof value);
}

static bool
put_u32(FILE *out, uint32_t value)
{
    return put(out, &value, sizeof value);
}

static bool
put_padding(FILE *out, size_t len)
{
    static const uint8_t zeros[4];

    return put(out, zeros, padded(len) - len);
}

/* A 64-bit time as pcapng stores it: high word first, each in host order. */
static bool
put_time(FILE *out, uint64_t ts)
{
    return put_u32(out, (uint32_t)(ts >> 32)) && put_u32(out, (uint32_t)ts);
}

static size_t
text_option_size(const char *text)
{
    if (text == NULL) {
        return 0;
    }
    size_t len = strnlen(text, MAX_TEXT_OPTION);
    return 4 + padded(len);
}

static bool
put_text_option(FILE *out, uint16_t code, const char *text)
{
    if (text == NULL) {
        return true;
    }
    size_t len = strnlen(text, MAX_TEXT_OPTION);
    return put_u16(out, code) && put_u16(out, (uint16_t)len) && put(out, text, len) && put_padding(out, len);
}

static bool
put_end_option(FILE *out)
{
    return put_u16(out, OPT_END) && put_u16(out, 0);
}

bool
pcapng_write_section(FILE *out, const char *application)
{
    uint32_t total = 4 + 4 + 4 + 2 + 2 + 8 + (uint32_t)text_option_size(application) + 4 + 4;
    uint64_t unknown_length = UINT64_MAX;

    return put_u32(out, BLOCK_SECTION_HEADER) && put_u32(out, total) && put_u32(out, BYTE_ORDER_MAGIC) &&
           put_u16(out, 1) && put_u16(out, 0) && put(out, &unknown_length, sizeof unknown_length) &&
           put_text_option(out, OPT_SHB_USERAPPL, application) && put_end_option(out) && put_u32(out, total);
}

bool
pcapng_write_interface(FILE *out, uint16_t linktype, uint32_t snaplen, const char *name, const char *description)
{
    static const uint8_t nanoseconds = 9; /* if_tsresol: 10^-9 */
    uint32_t total = 4 + 4 + 2 + 2 + 4 + (uint32_t)text_option_size(name) +
                     (uint32_t)text_option_size(description) + 4 + 4 + 4 + 4;

    return put_u32(out, BLOCK_INTERFACE) && put_u32(out, total) && put_u16(out, linktype) && put_u16(out, 0) &&
           put_u32(out, snaplen) && put_text_option(out, OPT_IF_NAME, name) &&
           put_text_option(out, OPT_IF_DESCRIPTION, description) && put_u16(out, OPT_IF_TSRESOL) &&
           put_u16(out, 1) && put(out, &nanoseconds, 1) && put_padding(out, 1) && put_end_option(out) &&
           put_u32(out, total);
}

bool
pcapng_write_packet(FILE *out, uint32_t interface_id, uint64_t ts_ns, const void *head, size_t head_len,
                    const void *body, size_t body_len, uint32_t original_len)
{
    size_t captured = head_len + body_len;

    if (head_len > PCAPNG_MAX_PACKET || body_len > PCAPNG_MAX_PACKET - head_len || original_len < captured) {
        return false;
    }
    uint32_t total = (uint32_t)(4 + 4 + 4 + 8 + 4 + 4 + padded(captured) + 4);
    return put_u32(out, BLOCK_ENHANCED_PACKET) && put_u32(out, total) && put_u32(out, interface_id) &&
           put_time(out, ts_ns) && put_u32(out, (uint32_t)captured) && put_u32(out, original_len) &&
           put(out, head, head_len) && put(out, body, body_len) && put_padding(out, captured) &&
           put_u32(out, total);
}

static bool
put_count_option(FILE *out, uint16_t code, uint64_t value)
{
    if (value == PCAPNG_STAT_UNKNOWN) {
        return true;
    }
    return put_u16(out, code) && put_u16(out, 8) && put(out, &value, sizeof value);
}

static bool
put_time_option(FILE *out, uint16_t code, uint64_t ts)
{
    if (ts == PCAPNG_STAT_UNKNOWN) {
        return true;
    }
    return put_u16(out, code) && put_u16(out, 8) && put_time(out, ts);
}

bool
pcapng_write_stats(FILE *out, uint32_t interface_id, const pcapng_stats_t *stats)
{
    const uint64_t values[] = { stats->start_ns, stats->received, stats->dropped, stats->accepted,
                                stats->delivered };
    uint32_t total = 4 + 4 + 4 + 8 + 4 + 4;

    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        if (values[i] != PCAPNG_STAT_UNKNOWN) {
            total += 12;
        }
    }
    total += 12; /* isb_endtime: the block's own time, always known */
    return put_u32(out, BLOCK_STATISTICS) && put_u32(out, total) && put_u32(out, interface_id) &&
           put_time(out, stats->end_ns) && put_time_option(out, OPT_ISB_STARTTIME, stats->start_ns) &&
           put_time_option(out, OPT_ISB_ENDTIME, stats->end_ns) &&
           put_count_option(out, OPT_ISB_IFRECV, stats->received) &&
           put_count_option(out, OPT_ISB_IFDROP, stats->dropped) &&
           put_count_option(out, OPT_ISB_FILTERACCEPT, stats->accepted) &&
           put_count_option(out, OPT_ISB_USRDELIV, stats->delivered) && put_end_option(out) &&
           put_u32(out, total);
}
