/* udp-receiver.h
 * The operating-system side of the mirror receiver: a UDP socket that
 * reports, per datagram, both addresses and ports, the hop limit and the
 * kernel's receive time, and how many datagrams the kernel dropped because
 * the receive queue was full. One implementation per system
 * (udp-receiver-linux.c); nothing else in the extcap calls the socket API.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_UDP_RECEIVER_H
#define VPCSHARK_UDP_RECEIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outer-header.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct udp_receiver udp_receiver_t;

typedef struct {
    outer_endpoints_t endpoints;
    const uint8_t *payload; /* valid until the next udp_receiver_read */
    size_t captured;        /* bytes in payload */
    size_t length;          /* the datagram's length (> captured if it did not fit) */
    uint64_t ts_ns;         /* kernel receive time, ns since the epoch */
} udp_datagram_t;

/* Binds to address (IPv4 or IPv6 literal; "::" takes IPv4 too) and port
 * (0: one the kernel picks). buffer_bytes > 0 asks for that receive buffer
 * (the system may cap it: udp_receiver_buffer_bytes says what it gave).
 * On error returns NULL and a message in *err (g_free it). */
udp_receiver_t *udp_receiver_open(const char *address, uint16_t port, int buffer_bytes, char **err);
void udp_receiver_close(udp_receiver_t *receiver);

uint16_t udp_receiver_port(const udp_receiver_t *receiver);
int udp_receiver_buffer_bytes(const udp_receiver_t *receiver);

/* Reads the datagrams waiting, up to max (and the receiver's batch size),
 * without blocking. Returns how many were read (0: none waiting), or -1 on
 * an error (message in *err). */
int udp_receiver_read(udp_receiver_t *receiver, udp_datagram_t *datagrams, int max, char **err);

/* Waits up to timeout_ms for a datagram, or for watch_fd (if >= 0; the
 * output) to fail. Returns 1 when a datagram waits, 0 on timeout or a
 * signal, -1 when watch_fd failed (the reader went away). */
int udp_receiver_wait(udp_receiver_t *receiver, int watch_fd, int timeout_ms);

/* Datagrams the kernel dropped for this socket since it was opened, or
 * UINT64_MAX when the system does not tell. */
uint64_t udp_receiver_drops(udp_receiver_t *receiver);

/* The current time, ns since the epoch (for statistics blocks). */
uint64_t udp_receiver_now_ns(void);

/* Stop requests: the signals or console events by which Wireshark, tshark
 * or a user end the capture set a flag that udp_receiver_stop_requested
 * reads; a closed output pipe becomes a write error, not a signal. */
void udp_receiver_catch_stop(void);
bool udp_receiver_stop_requested(void);

#ifdef __cplusplus
}
#endif

#endif
