/* mirror-capture.c
 * Reads datagrams in batches and writes each as a frame whose IP and UDP
 * headers are rebuilt from the socket's facts. The stream is flushed
 * whenever the socket has nothing waiting, so Wireshark sees packets at
 * once when traffic is light and in large writes when it is heavy.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "mirror-capture.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "outer-header.h"
#include "pcapng-writer.h"
#include "udp-receiver.h"

#define BATCH 32
/* How long to wait for traffic before looking at stop requests again. */
#define IDLE_WAIT_MS 200
/* Statistics are written once a second while capturing, not only at the
 * end: Wireshark and tshark stop reading before they stop us, so through
 * them the last periodic block is the one that reaches the file. */
#define STATS_INTERVAL_NS 1000000000u
#define OUTPUT_BUFFER (1u << 20)
/* IPv6 header + UDP header + the largest payload. */
#define SNAPLEN (OUTER_IPV6_HEADER_LEN + OUTER_IPV6_MAX_PAYLOAD)

typedef struct {
    udp_receiver_t *receiver;
    FILE *out;
    const vni_filter_t *vnis;
    uint64_t start_ns;
    uint64_t received;  /* datagrams read */
    uint64_t kept;      /* of those, passed the VNI filter */
    uint64_t written;
    uint64_t stats_ns;      /* time of the last statistics block */
} capture_t;

static bool
write_stats(capture_t *c, uint64_t now)
{
    uint64_t drops = udp_receiver_drops(c->receiver);
    pcapng_stats_t stats = {
        .start_ns = c->start_ns,
        .end_ns = now,
        .received = drops == UINT64_MAX ? c->received : c->received + drops,
        .dropped = drops,
        .accepted = c->kept,
        .delivered = c->written,
    };

    c->stats_ns = now;
    return pcapng_write_stats(c->out, 0, &stats);
}

static bool
maybe_write_stats(capture_t *c)
{
    uint64_t now = udp_receiver_now_ns();

    return now - c->stats_ns < STATS_INTERVAL_NS || write_stats(c, now);
}

static bool
write_datagram(capture_t *c, const udp_datagram_t *d)
{
    uint8_t header[OUTER_HEADER_MAX];
    size_t header_len = outer_header_build(&d->endpoints, d->payload, d->captured, d->length, header);

    if (header_len == 0) {
        return true; /* longer than UDP allows: the kernel never gives one */
    }
    c->written++;
    return pcapng_write_packet(c->out, 0, d->ts_ns, header, header_len, d->payload, d->captured,
                               (uint32_t)(header_len + d->length));
}

static bool
write_header(capture_t *c, const mirror_capture_options_t *options)
{
    char *description = g_strdup_printf("VXLAN mirror traffic received on UDP %s port %u", options->bind_address,
                                        udp_receiver_port(c->receiver));
    bool ok = pcapng_write_section(c->out, "vpcshark-mirror " VPCSHARK_VERSION) &&
              pcapng_write_interface(c->out, PCAPNG_LINKTYPE_RAW, SNAPLEN, options->interface_name, description) &&
              fflush(c->out) == 0;

    g_free(description);
    return ok;
}

/* Returns false when the output failed (the reader went away). */
static bool
capture_loop(capture_t *c, char **err)
{
    udp_datagram_t batch[BATCH];

    while (!udp_receiver_stop_requested()) {
        int n = udp_receiver_read(c->receiver, batch, BATCH, err);
        if (n < 0) {
            return true;
        }
        for (int i = 0; i < n; i++) {
            c->received++;
            if (!vni_filter_keeps(c->vnis, batch[i].payload, batch[i].captured)) {
                continue;
            }
            c->kept++;
            if (!write_datagram(c, &batch[i])) {
                return false;
            }
        }
        if (!maybe_write_stats(c)) {
            return false;
        }
        if (n == BATCH) {
            continue; /* more may be waiting */
        }
        if (fflush(c->out) != 0) {
            return false;
        }
        if (n == 0 && udp_receiver_wait(c->receiver, fileno(c->out), IDLE_WAIT_MS) < 0) {
            return false;
        }
    }
    return true;
}

int
mirror_capture_run(const mirror_capture_options_t *options)
{
    capture_t c;
    char *err = NULL;
    int status = 0;

    memset(&c, 0, sizeof c);
    c.vnis = options->vnis;
    udp_receiver_catch_stop();
    c.receiver = udp_receiver_open(options->bind_address, options->port, options->buffer_bytes, &err);
    if (c.receiver == NULL) {
        fprintf(stderr, "vpcshark-mirror: %s\n", err);
        g_free(err);
        return 1;
    }
    c.out = fopen(options->output, "wb");
    if (c.out == NULL) {
        fprintf(stderr, "vpcshark-mirror: cannot open %s: %s\n", options->output, g_strerror(errno));
        udp_receiver_close(c.receiver);
        return 1;
    }
    setvbuf(c.out, NULL, _IOFBF, OUTPUT_BUFFER);
    c.start_ns = udp_receiver_now_ns();
    c.stats_ns = c.start_ns;
    if (write_header(&c, options) && capture_loop(&c, &err)) {
        /* Stopped, or the socket failed: the counts close the capture
         * (if the reader is still there to take them). */
        write_stats(&c, udp_receiver_now_ns());
        fflush(c.out);
    }
    if (err != NULL) {
        fprintf(stderr, "vpcshark-mirror: %s\n", err);
        status = 1;
    }
    g_free(err);
    fclose(c.out);
    udp_receiver_close(c.receiver);
    return status;
}
