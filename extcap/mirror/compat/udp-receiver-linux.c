/* udp-receiver-linux.c
 * The receiver on Linux. What is Linux-only here, and what a port changes:
 *   recvmmsg            a batch of datagrams per system call (elsewhere:
 *                       recvmsg, or WSARecvMsg on Windows, one at a time)
 *   SO_TIMESTAMPNS      kernel receive time in ns (BSD/macOS: SO_TIMESTAMP,
 *                       microseconds; Windows: SIO_TIMESTAMPING or the time
 *                       of reading)
 *   SO_RXQ_OVFL         the socket's drop counter with each datagram; also
 *                       read from /proc/net/udp{,6} at statistics time for
 *                       drops after the last datagram (no equivalent on
 *                       Windows or macOS: drops are then "unknown")
 *   IP_PKTINFO, IP_RECVTTL, IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT
 *                       the local address and hop limit (Windows: the same
 *                       names through WSARecvMsg; macOS: IP_RECVDSTADDR)
 *   signals             SIGTERM/SIGINT/SIGHUP stop, SIGPIPE ignored
 *                       (Windows: SetConsoleCtrlHandler)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE

#include "udp-receiver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

/* Datagrams per system call, and the room for each: the largest UDP
 * payload fits, so nothing is cut. */
#define BATCH 32
#define DATAGRAM_ROOM 65536
#define CONTROL_ROOM 256

struct udp_receiver {
    int fd;
    bool ipv6;
    uint16_t port;
    int buffer_bytes;
    uint8_t bound[16]; /* local address when the kernel gives none per datagram */
    ino_t inode;       /* to find the socket in /proc/net/udp */
    /* The kernel's drop counter is 32 bits; its deltas add up here. */
    uint32_t drops_raw;
    uint64_t drops;
    struct mmsghdr messages[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_storage sources[BATCH];
    uint8_t (*data)[DATAGRAM_ROOM];
    uint8_t control[BATCH][CONTROL_ROOM];
};

static volatile sig_atomic_t stop_requested;

static bool
enable(int fd, int level, int name, char **err, const char *what)
{
    int on = 1;

    if (setsockopt(fd, level, name, &on, sizeof on) != 0) {
        *err = g_strdup_printf("cannot enable %s on the socket: %s", what, g_strerror(errno));
        return false;
    }
    return true;
}

static bool
configure(udp_receiver_t *r, int buffer_bytes, char **err)
{
    if (buffer_bytes > 0 && setsockopt(r->fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes) != 0) {
        *err = g_strdup_printf("cannot set the receive buffer to %d bytes: %s", buffer_bytes, g_strerror(errno));
        return false;
    }
    if (!enable(r->fd, SOL_SOCKET, SO_TIMESTAMPNS, err, "receive timestamps (SO_TIMESTAMPNS)") ||
        !enable(r->fd, SOL_SOCKET, SO_RXQ_OVFL, err, "drop counts (SO_RXQ_OVFL)") ||
        !enable(r->fd, IPPROTO_IP, IP_PKTINFO, err, "local addresses (IP_PKTINFO)") ||
        !enable(r->fd, IPPROTO_IP, IP_RECVTTL, err, "TTLs (IP_RECVTTL)")) {
        return false;
    }
    if (r->ipv6) {
        int off = 0;
        if (setsockopt(r->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) != 0 ||
            !enable(r->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, err, "local addresses (IPV6_RECVPKTINFO)") ||
            !enable(r->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, err, "hop limits (IPV6_RECVHOPLIMIT)")) {
            if (*err == NULL) {
                *err = g_strdup_printf("cannot accept IPv4 on the IPv6 socket: %s", g_strerror(errno));
            }
            return false;
        }
    }
    int size = 0;
    socklen_t len = sizeof size;
    if (getsockopt(r->fd, SOL_SOCKET, SO_RCVBUF, &size, &len) == 0) {
        r->buffer_bytes = size;
    }
    return true;
}

static bool
bind_to(udp_receiver_t *r, const char *address, uint16_t port, char **err)
{
    struct sockaddr_storage local;
    socklen_t local_len;

    memset(&local, 0, sizeof local);
    if (r->ipv6) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&local;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        memcpy(&sin6->sin6_addr, r->bound, 16);
        local_len = sizeof *sin6;
    } else {
        struct sockaddr_in *sin = (struct sockaddr_in *)&local;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        memcpy(&sin->sin_addr, r->bound, 4);
        local_len = sizeof *sin;
    }
    if (bind(r->fd, (struct sockaddr *)&local, local_len) != 0) {
        *err = g_strdup_printf("cannot listen on %s port %u: %s", address, port, g_strerror(errno));
        return false;
    }
    local_len = sizeof local;
    if (getsockname(r->fd, (struct sockaddr *)&local, &local_len) != 0) {
        *err = g_strdup_printf("cannot read the bound port: %s", g_strerror(errno));
        return false;
    }
    r->port = ntohs(r->ipv6 ? ((struct sockaddr_in6 *)&local)->sin6_port : ((struct sockaddr_in *)&local)->sin_port);
    return true;
}

udp_receiver_t *
udp_receiver_open(const char *address, uint16_t port, int buffer_bytes, char **err)
{
    udp_receiver_t *r = g_new0(udp_receiver_t, 1);
    struct stat st;

    *err = NULL;
    r->fd = -1;
    if (inet_pton(AF_INET, address, r->bound) != 1) {
        if (inet_pton(AF_INET6, address, r->bound) != 1) {
            *err = g_strdup_printf("\"%s\" is not an IPv4 or IPv6 address", address);
            goto fail;
        }
        r->ipv6 = true;
    }
    r->fd = socket(r->ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (r->fd < 0) {
        *err = g_strdup_printf("cannot open a UDP socket: %s", g_strerror(errno));
        goto fail;
    }
    if (!configure(r, buffer_bytes, err) || !bind_to(r, address, port, err)) {
        goto fail;
    }
    if (fstat(r->fd, &st) == 0) {
        r->inode = st.st_ino;
    }
    r->data = g_malloc(sizeof *r->data * BATCH);
    for (int i = 0; i < BATCH; i++) {
        r->iov[i].iov_base = r->data[i];
        r->iov[i].iov_len = DATAGRAM_ROOM;
        r->messages[i].msg_hdr.msg_iov = &r->iov[i];
        r->messages[i].msg_hdr.msg_iovlen = 1;
        r->messages[i].msg_hdr.msg_name = &r->sources[i];
        r->messages[i].msg_hdr.msg_control = r->control[i];
    }
    return r;
fail:
    udp_receiver_close(r);
    return NULL;
}

void
udp_receiver_close(udp_receiver_t *r)
{
    if (r == NULL) {
        return;
    }
    if (r->fd >= 0) {
        close(r->fd);
    }
    g_free(r->data);
    g_free(r);
}

uint16_t
udp_receiver_port(const udp_receiver_t *r)
{
    return r->port;
}

int
udp_receiver_buffer_bytes(const udp_receiver_t *r)
{
    return r->buffer_bytes;
}

/* A new reading of the kernel's 32-bit drop counter. Readings may come out
 * of order (a datagram queued before the last /proc reading): a step
 * backwards is ignored, not taken for a wrap. */
static void
note_drops(udp_receiver_t *r, uint32_t raw)
{
    uint32_t step = raw - r->drops_raw;

    if (step != 0 && step < 0x80000000u) {
        r->drops += step;
        r->drops_raw = raw;
    }
}

uint64_t
udp_receiver_now_ns(void)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static void
take_source(const struct sockaddr_storage *source, outer_endpoints_t *ep)
{
    if (source->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)source;
        if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
            memcpy(ep->src, sin6->sin6_addr.s6_addr + 12, 4);
        } else {
            ep->ipv6 = true;
            memcpy(ep->src, &sin6->sin6_addr, 16);
        }
        ep->src_port = sin6->sin6_port;
    } else if (source->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)source;
        memcpy(ep->src, &sin->sin_addr, 4);
        ep->src_port = sin->sin_port;
    }
}

/* The per-datagram facts the kernel attached (cmsg(3)). */
static void
take_control(udp_receiver_t *r, struct msghdr *msg, udp_datagram_t *d)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
        const void *value = CMSG_DATA(c);
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;
            memcpy(&ts, value, sizeof ts);
            d->ts_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
            uint32_t raw;
            memcpy(&raw, value, sizeof raw);
            note_drops(r, raw);
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO && !d->endpoints.ipv6) {
            struct in_pktinfo info;
            memcpy(&info, value, sizeof info);
            memcpy(d->endpoints.dst, &info.ipi_addr, 4);
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
            int ttl;
            memcpy(&ttl, value, sizeof ttl);
            d->endpoints.hop_limit = (uint8_t)ttl;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO && d->endpoints.ipv6) {
            struct in6_pktinfo info;
            memcpy(&info, value, sizeof info);
            memcpy(d->endpoints.dst, &info.ipi6_addr, 16);
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
            int hops;
            memcpy(&hops, value, sizeof hops);
            d->endpoints.hop_limit = (uint8_t)hops;
        }
    }
}

/* Without packet info, the address the socket is bound to. */
static void
default_destination(const udp_receiver_t *r, outer_endpoints_t *ep)
{
    if (ep->ipv6 == r->ipv6) {
        memcpy(ep->dst, r->bound, ep->ipv6 ? 16 : 4);
    } else if (!ep->ipv6 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)r->bound)) {
        memcpy(ep->dst, r->bound + 12, 4);
    }
}

int
udp_receiver_read(udp_receiver_t *r, udp_datagram_t *datagrams, int max, char **err)
{
    if (max > BATCH) {
        max = BATCH;
    }
    for (int i = 0; i < max; i++) {
        r->messages[i].msg_hdr.msg_namelen = sizeof r->sources[i];
        r->messages[i].msg_hdr.msg_controllen = CONTROL_ROOM;
        r->messages[i].msg_hdr.msg_flags = 0;
    }
    int n = recvmmsg(r->fd, r->messages, (unsigned)max, MSG_DONTWAIT | MSG_TRUNC, NULL);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
            return 0;
        }
        *err = g_strdup_printf("cannot receive: %s", g_strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        udp_datagram_t *d = &datagrams[i];
        struct msghdr *msg = &r->messages[i].msg_hdr;
        memset(d, 0, sizeof *d);
        take_source(&r->sources[i], &d->endpoints);
        default_destination(r, &d->endpoints);
        d->endpoints.dst_port = htons(r->port);
        take_control(r, msg, d);
        if (d->ts_ns == 0) {
            d->ts_ns = udp_receiver_now_ns();
        }
        d->payload = r->data[i];
        d->length = r->messages[i].msg_len;
        d->captured = d->length < DATAGRAM_ROOM ? d->length : DATAGRAM_ROOM;
    }
    return n;
}

int
udp_receiver_wait(udp_receiver_t *r, int watch_fd, int timeout_ms)
{
    struct pollfd fds[2] = {
        { .fd = r->fd, .events = POLLIN },
        /* No events asked: only an error or hang-up (the pipe's reader
         * closed it) wakes us; a regular file never does. */
        { .fd = watch_fd, .events = 0 },
    };

    int n = poll(fds, watch_fd >= 0 ? 2 : 1, timeout_ms);
    if (n <= 0) {
        return 0;
    }
    if (watch_fd >= 0 && (fds[1].revents & (POLLERR | POLLHUP | POLLNVAL))) {
        return -1;
    }
    return (fds[0].revents & POLLIN) ? 1 : 0;
}

/* The drops column of our socket's line in /proc/net/udp or udp6. */
static bool
proc_drops(const udp_receiver_t *r, uint32_t *raw)
{
    FILE *f = fopen(r->ipv6 ? "/proc/net/udp6" : "/proc/net/udp", "r");
    char line[512];
    bool found = false;

    if (f == NULL) {
        return false;
    }
    while (!found && fgets(line, sizeof line, f) != NULL) {
        /* sl local rem st queues tr retrnsmt uid timeout inode ref pointer drops */
        char *words[13];
        int count = 0;
        char *save = NULL;
        for (char *w = strtok_r(line, " \t\n", &save); w != NULL && count < 13; w = strtok_r(NULL, " \t\n", &save)) {
            words[count++] = w;
        }
        if (count == 13 && strtoull(words[9], NULL, 10) == (unsigned long long)r->inode) {
            *raw = (uint32_t)strtoul(words[12], NULL, 10);
            found = true;
        }
    }
    fclose(f);
    return found;
}

uint64_t
udp_receiver_drops(udp_receiver_t *r)
{
    uint32_t raw;

    if (r->inode != 0 && proc_drops(r, &raw)) {
        note_drops(r, raw);
    }
    return r->drops;
}

static void
on_stop(int signal_number)
{
    (void)signal_number;
    stop_requested = 1;
}

void
udp_receiver_catch_stop(void)
{
    struct sigaction action;

    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop;
    sigemptyset(&action.sa_mask);
    /* No SA_RESTART: a signal must interrupt poll() at once. */
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    signal(SIGPIPE, SIG_IGN);
}

bool
udp_receiver_stop_requested(void)
{
    return stop_requested != 0;
}
