/* vpcflow-fields.c
 * The catalogue of AWS VPC and Transit Gateway flow-log fields.
 *
 * Order matters: VPC fields come in the order of the AWS field table
 * (the first 14 are the default format), then the fields only Transit
 * Gateway flow logs have. The "all fields" layouts are derived from it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "vpcflow-fields.h"
#include "vpcflow-tokens.h"

#include <string.h>

#define VPC  VF_IN_VPC
#define TGW  VF_IN_TGW
#define BOTH (VF_IN_VPC | VF_IN_TGW)

const vpcflow_field_t vpcflow_fields[] = {
    /* name, label, version, in, type, shape, shape argument, value names, blurb */
    { "version", "Version", 2, BOTH, VF_TYPE_UINT, VF_SHAPE_SMALL, NULL, VF_VALS_NONE,
      "Flow-log format version: 2 for the default format, else the highest version of the chosen fields" },
    { "account-id", "Account ID", 2, BOTH, VF_TYPE_STRING, VF_SHAPE_ACCOUNT, NULL, VF_VALS_NONE,
      "AWS account that owns the interface (TGW: the transit gateway); 'unknown' for some service-owned interfaces" },
    { "interface-id", "Interface ID", 2, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "eni-", VF_VALS_NONE,
      "Network interface the traffic was recorded on" },
    { "srcaddr", "Source address", 2, BOTH, VF_TYPE_ADDR, VF_SHAPE_ADDR, NULL, VF_VALS_NONE,
      "Source address; for outgoing traffic the interface's primary private address" },
    { "dstaddr", "Destination address", 2, BOTH, VF_TYPE_ADDR, VF_SHAPE_ADDR, NULL, VF_VALS_NONE,
      "Destination address; for incoming traffic the interface's primary private address" },
    { "srcport", "Source port", 2, BOTH, VF_TYPE_PORT, VF_SHAPE_PORT, NULL, VF_VALS_NONE, NULL },
    { "dstport", "Destination port", 2, BOTH, VF_TYPE_PORT, VF_SHAPE_PORT, NULL, VF_VALS_NONE, NULL },
    { "protocol", "Protocol", 2, BOTH, VF_TYPE_PROTOCOL, VF_SHAPE_SMALL, NULL, VF_VALS_NONE,
      "IANA protocol number of the traffic" },
    { "packets", "Packets", 2, BOTH, VF_TYPE_COUNT, VF_SHAPE_UINT, NULL, VF_VALS_NONE,
      "Packets of the flow during the aggregation interval" },
    { "bytes", "Bytes", 2, BOTH, VF_TYPE_COUNT, VF_SHAPE_UINT, NULL, VF_VALS_NONE,
      "Bytes of the flow during the aggregation interval" },
    { "start", "Start", 2, BOTH, VF_TYPE_TIME, VF_SHAPE_EPOCH, NULL, VF_VALS_NONE,
      "When the first packet of the flow was seen within the aggregation interval" },
    { "end", "End", 2, BOTH, VF_TYPE_TIME, VF_SHAPE_EPOCH, NULL, VF_VALS_NONE,
      "When the last packet of the flow was seen within the aggregation interval" },
    { "action", "Action", 2, VPC, VF_TYPE_STRING, VF_SHAPE_ENUM, "ACCEPT|REJECT", VF_VALS_NONE,
      "ACCEPT: the traffic was accepted; REJECT: it was rejected, by a security group or network ACL, "
      "because it arrived after its connection closed, or by VPC Block Public Access (see reject-reason)" },
    { "log-status", "Log status", 2, BOTH, VF_TYPE_STRING, VF_SHAPE_ENUM, "OK|NODATA|SKIPDATA", VF_VALS_NONE,
      "OK: logged normally; NODATA: no traffic in the interval; SKIPDATA: records were skipped" },
    { "vpc-id", "VPC ID", 3, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "vpc-", VF_VALS_NONE, NULL },
    { "subnet-id", "Subnet ID", 3, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "subnet-", VF_VALS_NONE, NULL },
    { "instance-id", "Instance ID", 3, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "i-", VF_VALS_NONE,
      "Instance the interface is attached to, if it is yours" },
    { "tcp-flags", "TCP flags", 3, BOTH, VF_TYPE_TCP_FLAGS, VF_SHAPE_SMALL, NULL, VF_VALS_NONE,
      "OR of the flags seen during the interval; AWS records only FIN 1, SYN 2, RST 4 and SYN-ACK 18 "
      "(ACK alone, PSH and URG are not recorded: a flow of plain ACKs reports 0)" },
    { "type", "Traffic type", 3, BOTH, VF_TYPE_STRING, VF_SHAPE_ENUM, "IPv4|IPv6|EFA", VF_VALS_NONE, NULL },
    { "pkt-srcaddr", "Packet source address", 3, VPC, VF_TYPE_ADDR, VF_SHAPE_ADDR, NULL, VF_VALS_NONE,
      "Source address in the packet itself (differs from srcaddr behind NAT gateways and the like)" },
    { "pkt-dstaddr", "Packet destination address", 3, VPC, VF_TYPE_ADDR, VF_SHAPE_ADDR, NULL, VF_VALS_NONE,
      "Destination address in the packet itself" },
    { "region", "Region", 4, BOTH, VF_TYPE_STRING, VF_SHAPE_REGION, NULL, VF_VALS_NONE, NULL },
    { "az-id", "Availability Zone ID", 4, VPC, VF_TYPE_STRING, VF_SHAPE_AZ, NULL, VF_VALS_NONE, NULL },
    { "sublocation-type", "Sublocation type", 4, VPC, VF_TYPE_STRING, VF_SHAPE_ENUM, "wavelength|outpost|localzone", VF_VALS_NONE, NULL },
    { "sublocation-id", "Sublocation ID", 4, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "pkt-src-aws-service", "Packet source AWS service", 5, BOTH, VF_TYPE_STRING, VF_SHAPE_SERVICE, NULL, VF_VALS_NONE,
      "ip-ranges.json service the packet source address belongs to" },
    { "pkt-dst-aws-service", "Packet destination AWS service", 5, BOTH, VF_TYPE_STRING, VF_SHAPE_SERVICE, NULL, VF_VALS_NONE,
      "ip-ranges.json service the packet destination address belongs to" },
    { "flow-direction", "Flow direction", 5, BOTH, VF_TYPE_STRING, VF_SHAPE_ENUM, "ingress|egress", VF_VALS_NONE,
      "Direction relative to the interface the flow was recorded on" },
    { "traffic-path", "Traffic path", 5, VPC, VF_TYPE_UINT, VF_SHAPE_SMALL, NULL, VF_VALS_TRAFFIC_PATH,
      "Path egress traffic took to its destination" },
    { "ecs-cluster-arn", "ECS cluster ARN", 7, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "arn:", VF_VALS_NONE, NULL },
    { "ecs-cluster-name", "ECS cluster name", 7, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "ecs-container-instance-arn", "ECS container instance ARN", 7, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "arn:", VF_VALS_NONE, NULL },
    { "ecs-container-instance-id", "ECS container instance ID", 7, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "ecs-container-id", "ECS container ID", 7, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "ecs-second-container-id", "ECS second container ID", 7, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "ecs-service-name", "ECS service name", 7, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "ecs-task-definition-arn", "ECS task definition ARN", 7, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "arn:", VF_VALS_NONE, NULL },
    { "ecs-task-arn", "ECS task ARN", 7, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "arn:", VF_VALS_NONE, NULL },
    { "ecs-task-id", "ECS task ID", 7, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    /* AWS documents BPA; other reasons (EC, for VPC Encryption Controls, is
     * reported) are kept as text and never count against a layout. */
    { "reject-reason", "Reject reason", 8, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE,
      "Why the traffic was rejected: BPA = VPC Block Public Access; other values are shown as AWS writes them" },
    { "resource-id", "Resource ID", 9, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE,
      "Resource the flow belongs to, such as a regional NAT gateway" },
    { "encryption-status", "Encryption status", 10, VPC, VF_TYPE_UINT, VF_SHAPE_SMALL, NULL, VF_VALS_ENCRYPTION_STATUS, NULL },
    { "instance-tag", "Instance tag", 11, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "instance-tag-2", "Instance tag 2", 11, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "interface-tag", "Interface tag", 11, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "interface-tag-2", "Interface tag 2", 11, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "asg-tag", "Auto Scaling group tag", 11, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "asg-tag-2", "Auto Scaling group tag 2", 11, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "interface-type", "Interface type", 11, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },
    { "next-hop-interface-id", "Next-hop interface ID", 11, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "eni-", VF_VALS_NONE, NULL },
    { "next-hop-subnet-id", "Next-hop subnet ID", 11, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "subnet-", VF_VALS_NONE, NULL },
    { "next-hop-az-id", "Next-hop Availability Zone ID", 11, VPC, VF_TYPE_STRING, VF_SHAPE_AZ, NULL, VF_VALS_NONE, NULL },
    { "next-hop-vpc-id", "Next-hop VPC ID", 11, VPC, VF_TYPE_STRING, VF_SHAPE_PREFIX, "vpc-", VF_VALS_NONE, NULL },
    { "next-hop-interface-type", "Next-hop interface type", 11, VPC, VF_TYPE_STRING, VF_SHAPE_ANY, NULL, VF_VALS_NONE, NULL },

    /* Transit Gateway flow logs only */
    { "resource-type", "Resource type", 6, TGW, VF_TYPE_STRING, VF_SHAPE_ENUM, "TransitGateway|TransitGatewayAttachment", VF_VALS_NONE, NULL },
    { "tgw-id", "Transit gateway ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_PREFIX, "tgw-", VF_VALS_NONE, NULL },
    { "tgw-attachment-id", "Transit gateway attachment ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_PREFIX, "tgw-attach-", VF_VALS_NONE, NULL },
    { "tgw-src-vpc-account-id", "Source VPC account ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_ACCOUNT, NULL, VF_VALS_NONE, NULL },
    { "tgw-dst-vpc-account-id", "Destination VPC account ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_ACCOUNT, NULL, VF_VALS_NONE, NULL },
    { "tgw-src-vpc-id", "Source VPC ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_PREFIX, "vpc-", VF_VALS_NONE, NULL },
    { "tgw-dst-vpc-id", "Destination VPC ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_PREFIX, "vpc-", VF_VALS_NONE, NULL },
    { "tgw-src-subnet-id", "Source subnet ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_PREFIX, "subnet-", VF_VALS_NONE, NULL },
    { "tgw-dst-subnet-id", "Destination subnet ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_PREFIX, "subnet-", VF_VALS_NONE, NULL },
    { "tgw-src-eni", "Source attachment interface", 6, TGW, VF_TYPE_STRING, VF_SHAPE_PREFIX, "eni-", VF_VALS_NONE, NULL },
    { "tgw-dst-eni", "Destination attachment interface", 6, TGW, VF_TYPE_STRING, VF_SHAPE_PREFIX, "eni-", VF_VALS_NONE, NULL },
    { "tgw-src-az-id", "Source Availability Zone ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_AZ, NULL, VF_VALS_NONE, NULL },
    { "tgw-dst-az-id", "Destination Availability Zone ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_AZ, NULL, VF_VALS_NONE, NULL },
    { "tgw-pair-attachment-id", "Paired attachment ID", 6, TGW, VF_TYPE_STRING, VF_SHAPE_PREFIX, "tgw-attach-", VF_VALS_NONE,
      "The other attachment of the flow (egress or ingress, by direction)" },
    { "packets-lost-no-route", "Packets lost: no route", 6, TGW, VF_TYPE_COUNT, VF_SHAPE_UINT, NULL, VF_VALS_NONE, NULL },
    { "packets-lost-blackhole", "Packets lost: blackhole route", 6, TGW, VF_TYPE_COUNT, VF_SHAPE_UINT, NULL, VF_VALS_NONE, NULL },
    { "packets-lost-mtu-exceeded", "Packets lost: MTU exceeded", 6, TGW, VF_TYPE_COUNT, VF_SHAPE_UINT, NULL, VF_VALS_NONE, NULL },
    { "packets-lost-ttl-expired", "Packets lost: TTL expired", 6, TGW, VF_TYPE_COUNT, VF_SHAPE_UINT, NULL, VF_VALS_NONE, NULL },
};

const guint vpcflow_field_count = G_N_ELEMENTS(vpcflow_fields);

/* Logs Insights names that are not a respelling of the AWS name. */
static const struct {
    const char *alias;
    int         field;
} name_aliases[] = {
    { "starttime", VF_START },
    { "endtime", VF_END },
};

/* Longest accepted field name; AWS names are at most 27 characters. */
#define NAME_MAX_LEN 64

/* Lower-case and drop '-' and '_' so all spellings compare equal. */
static gsize
normalize_name(const char *name, gsize len, char *out)
{
    gsize n = 0;

    for (gsize i = 0; i < len; i++) {
        char c = name[i];
        if (c == '-' || c == '_')
            continue;
        out[n++] = g_ascii_tolower(c);
    }
    out[n] = '\0';
    return n;
}

int
vpcflow_field_lookup(const char *name, gsize len)
{
    char wanted[NAME_MAX_LEN + 1];
    char candidate[NAME_MAX_LEN + 1];

    if (len == 0 || len > NAME_MAX_LEN)
        return VF_UNKNOWN;
    /* Only name characters: a value like "10.0.0.1" must never match. */
    for (gsize i = 0; i < len; i++) {
        if (!g_ascii_isalnum(name[i]) && name[i] != '-' && name[i] != '_')
            return VF_UNKNOWN;
    }
    normalize_name(name, len, wanted);

    for (guint i = 0; i < vpcflow_field_count; i++) {
        normalize_name(vpcflow_fields[i].name, strlen(vpcflow_fields[i].name), candidate);
        if (strcmp(wanted, candidate) == 0)
            return (int)i;
    }
    for (guint i = 0; i < G_N_ELEMENTS(name_aliases); i++) {
        if (strcmp(wanted, name_aliases[i].alias) == 0)
            return name_aliases[i].field;
    }
    return VF_UNKNOWN;
}

static gboolean
all_digits(const char *tok, gsize len)
{
    if (len == 0)
        return FALSE;
    for (gsize i = 0; i < len; i++) {
        if (!g_ascii_isdigit(tok[i]))
            return FALSE;
    }
    return TRUE;
}

static gboolean
fits_uint_max(const char *tok, gsize len, guint64 max)
{
    guint64 v;
    return vpcflow_parse_uint64(tok, len, &v) && v <= max;
}

static gboolean
fits_enum(const char *tok, gsize len, const char *words)
{
    const char *w = words;

    while (*w) {
        const char *bar = strchr(w, '|');
        gsize wlen = bar ? (gsize)(bar - w) : strlen(w);
        if (wlen == len && memcmp(w, tok, len) == 0)
            return TRUE;
        if (!bar)
            break;
        w = bar + 1;
    }
    return FALSE;
}

/*
 * A region name of any AWS partition: a 2 to 4 letter prefix, one or more
 * lower-case labels, a number: us-east-1, mx-central-1 (aws), cn-north-1
 * (aws-cn), us-gov-west-1 (aws-us-gov), us-iso-east-1, us-isob-east-1,
 * eu-isoe-west-1, us-isof-south-1 (ISO partitions), eusc-de-east-1 (AWS
 * European Sovereign Cloud). The partitions' own patterns are in the AWS
 * SDKs' partitions.json (regionRegex); see docs/aws-facts.md.
 */
static gboolean
fits_region(const char *tok, gsize len)
{
    gsize i = 0, labels = 0;

    while (i < len && g_ascii_islower(tok[i]))
        i++;
    if (i < 2 || i > 4)
        return FALSE;
    /* then "-label" parts; the last one is the number */
    while (i < len) {
        gsize start;
        if (tok[i] != '-')
            return FALSE;
        start = ++i;
        while (i < len && (g_ascii_islower(tok[i]) || g_ascii_isdigit(tok[i])))
            i++;
        if (i == start)
            return FALSE;
        labels++;
        if (i == len) {
            for (gsize j = start; j < len; j++) {
                if (!g_ascii_isdigit(tok[j]))
                    return FALSE;
            }
            return labels >= 2;
        }
        if (!g_ascii_islower(tok[start]))
            return FALSE;
    }
    return FALSE;
}

/* An AZ ID: use1-az4, apne2-az1, usgw1-az1 (GovCloud), cnn1-az1 (China);
 * a Local Zone's: usw2-lax1-az1. Ends in "-az" and a number. */
static gboolean
fits_az(const char *tok, gsize len)
{
    gsize i = len;

    for (gsize j = 0; j < len; j++) {
        if (!g_ascii_islower(tok[j]) && !g_ascii_isdigit(tok[j]) && tok[j] != '-')
            return FALSE;
    }
    while (i > 0 && g_ascii_isdigit(tok[i - 1]))
        i--;
    return i < len && i >= 5 && memcmp(tok + i - 3, "-az", 3) == 0;
}

static gboolean
fits_service(const char *tok, gsize len)
{
    gboolean letter = FALSE;

    for (gsize i = 0; i < len; i++) {
        if (g_ascii_isupper(tok[i]))
            letter = TRUE;
        else if (!g_ascii_isdigit(tok[i]) && tok[i] != '_')
            return FALSE;
    }
    return letter;
}

gboolean
vpcflow_field_fits(int field, const char *tok, gsize len)
{
    guint8 addr[16];

    if (field < 0 || (guint)field >= vpcflow_field_count || len == 0)
        return FALSE;
    const vpcflow_field_t *f = &vpcflow_fields[field];

    switch (f->shape) {
    case VF_SHAPE_ANY:
        return TRUE;
    case VF_SHAPE_UINT:
        return all_digits(tok, len);
    case VF_SHAPE_SMALL:
        return fits_uint_max(tok, len, 255);
    case VF_SHAPE_PORT:
        return fits_uint_max(tok, len, 65535);
    case VF_SHAPE_EPOCH:
        return len >= 9 && len <= 13 && all_digits(tok, len);
    case VF_SHAPE_ADDR:
        return vpcflow_parse_ipv4(tok, len, addr) || vpcflow_parse_ipv6(tok, len, addr);
    case VF_SHAPE_ACCOUNT:
        return (len <= 12 && all_digits(tok, len)) || (len == 7 && memcmp(tok, "unknown", 7) == 0);
    case VF_SHAPE_PREFIX: {
        gsize plen = strlen(f->shape_arg);
        return len > plen && memcmp(tok, f->shape_arg, plen) == 0;
    }
    case VF_SHAPE_ENUM:
        return fits_enum(tok, len, f->shape_arg);
    case VF_SHAPE_REGION:
        return fits_region(tok, len);
    case VF_SHAPE_AZ:
        return fits_az(tok, len);
    case VF_SHAPE_SERVICE:
        return fits_service(tok, len);
    }
    return FALSE;
}

guint
vpcflow_field_shape_weight(int field)
{
    if (field < 0 || (guint)field >= vpcflow_field_count)
        return 0;
    switch (vpcflow_fields[field].shape) {
    case VF_SHAPE_ANY:
        return 0;
    case VF_SHAPE_UINT:
    case VF_SHAPE_SMALL:
    case VF_SHAPE_PORT:
    case VF_SHAPE_ACCOUNT:
    case VF_SHAPE_SERVICE:
        return 1;
    case VF_SHAPE_EPOCH:
        return 2;
    case VF_SHAPE_ADDR:
    case VF_SHAPE_PREFIX:
    case VF_SHAPE_ENUM:
    case VF_SHAPE_REGION:
    case VF_SHAPE_AZ:
        return 3;
    }
    return 0;
}

void
vpcflow_tcp_flags_names(guint32 value, char *buf, gsize size)
{
    static const struct {
        guint32     bits;
        const char *name;
    } names[] = {
        { VPCFLOW_TCP_SYN_ACK, "SYN-ACK" },
        { VPCFLOW_TCP_SYN, "SYN" },
        { VPCFLOW_TCP_FIN, "FIN" },
        { VPCFLOW_TCP_RST, "RST" },
        { VPCFLOW_TCP_PSH, "PSH" },
        { VPCFLOW_TCP_ACK, "ACK" },
        { VPCFLOW_TCP_URG, "URG" },
        { 0x40, "0x40" },
        { 0x80, "0x80" },
    };
    guint32 left = value & 0xff;

    if (size == 0)
        return;
    buf[0] = '\0';
    if (left == 0) {
        g_strlcpy(buf, "none", size);
        return;
    }
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        if ((left & names[i].bits) != names[i].bits)
            continue;
        left &= ~names[i].bits;
        if (buf[0] != '\0')
            g_strlcat(buf, " + ", size);
        g_strlcat(buf, names[i].name, size);
    }
}

guint32
vpcflow_tcp_flags_unrecorded(guint32 value, gboolean tgw)
{
    guint32 listed = VPCFLOW_TCP_FIN | VPCFLOW_TCP_SYN | VPCFLOW_TCP_RST | VPCFLOW_TCP_ACK;
    guint32 odd;

    if (tgw)
        listed |= VPCFLOW_TCP_PSH | VPCFLOW_TCP_URG;
    odd = value & ~listed;
    if ((value & VPCFLOW_TCP_ACK) && (tgw ? value == VPCFLOW_TCP_ACK : !(value & VPCFLOW_TCP_SYN)))
        odd |= VPCFLOW_TCP_ACK;
    return odd;
}
