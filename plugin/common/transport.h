/* transport.h
 * The transports whose ports Wireshark's columns and tables know, by IP
 * protocol number: the one table the flow-record dissector (port
 * columns, conversations of records) and the mirror layer (conversations
 * of mirrored packets) both use.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VPCSHARK_TRANSPORT_H
#define VPCSHARK_TRANSPORT_H

#include "epan-compat.h"

#include <epan/conversation.h>
#include <epan/ipproto.h>

typedef struct {
    guint8            ipproto;
    port_type         ptype;
    conversation_type ctype;
    endpoint_type     etype;
    const char       *srcport_filter;   /* the stock dissector's fields */
    const char       *dstport_filter;
    const char       *port_filter;
} vpcshark_transport_t;

static const vpcshark_transport_t vpcshark_transports[] = {
    { IP_PROTO_TCP, PT_TCP, CONVERSATION_TCP, ENDPOINT_TCP, "tcp.srcport", "tcp.dstport", "tcp.port" },
    { IP_PROTO_UDP, PT_UDP, CONVERSATION_UDP, ENDPOINT_UDP, "udp.srcport", "udp.dstport", "udp.port" },
    { IP_PROTO_SCTP, PT_SCTP, CONVERSATION_SCTP, ENDPOINT_SCTP, "sctp.srcport", "sctp.dstport", "sctp.port" },
};

/* The transport of IP protocol ipproto, or NULL when its ports mean nothing to Wireshark's tables. */
static inline const vpcshark_transport_t *
vpcshark_transport_of(guint32 ipproto)
{
    for (guint i = 0; i < G_N_ELEMENTS(vpcshark_transports); i++) {
        if (vpcshark_transports[i].ipproto == ipproto)
            return &vpcshark_transports[i];
    }
    return NULL;
}

/* The transport of a conversation table row, or NULL. */
static inline const vpcshark_transport_t *
vpcshark_transport_of_conversation(conversation_type ctype)
{
    for (guint i = 0; i < G_N_ELEMENTS(vpcshark_transports); i++) {
        if (vpcshark_transports[i].ctype == ctype)
            return &vpcshark_transports[i];
    }
    return NULL;
}

/* The transport of an endpoint table row, or NULL. */
static inline const vpcshark_transport_t *
vpcshark_transport_of_endpoint(endpoint_type etype)
{
    for (guint i = 0; i < G_N_ELEMENTS(vpcshark_transports); i++) {
        if (vpcshark_transports[i].etype == etype)
            return &vpcshark_transports[i];
    }
    return NULL;
}

#endif /* VPCSHARK_TRANSPORT_H */
