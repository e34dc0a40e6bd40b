/* vpcflow-cloudwatch.c
 * vpcflow-cloudwatch: an extcap that follows a CloudWatch Logs group of
 * VPC Flow Logs as AWS delivers it, and hands Wireshark each event as the
 * frame the file reader makes of the same event in an export.
 *
 * Options are the extcap dialog's; credentials never are (they would
 * show in ps): they come from the environment and the AWS files
 * (aws-credentials.h). The endpoint is the option, else
 * AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, else AWS_ENDPOINT_URL (as the AWS
 * CLI), else the region's own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "aws-credentials.h"
#include "cloudwatch-capture.h"
#include "cwl-api.h"
#include "cwl-http.h"
#include "extcap-protocol.h"
#include "pcapng-writer.h"

#define PROGRAM "vpcflow-cloudwatch"
#define INTERFACE "vpcflow-cloudwatch"
#define DEFAULT_START "-15m"
#define DEFAULT_POLL_S 10
#define MAX_POLL_S 3600

enum {
    OPT_REGION = EXTCAP_OPT_OWN,
    OPT_LOG_GROUP,
    OPT_LOG_STREAMS,
    OPT_FILTER,
    OPT_START,
    OPT_POLL,
    OPT_PROFILE,
    OPT_ENDPOINT,
    OPT_PAGE_LIMIT,
};

static const struct option long_options[] = {
    EXTCAP_STANDARD_OPTIONS,
    { "region", required_argument, NULL, OPT_REGION },
    { "log-group", required_argument, NULL, OPT_LOG_GROUP },
    { "log-streams", required_argument, NULL, OPT_LOG_STREAMS },
    { "filter-pattern", required_argument, NULL, OPT_FILTER },
    { "start-time", required_argument, NULL, OPT_START },
    { "poll-interval", required_argument, NULL, OPT_POLL },
    { "profile", required_argument, NULL, OPT_PROFILE },
    { "endpoint-url", required_argument, NULL, OPT_ENDPOINT },
    { "page-limit", required_argument, NULL, OPT_PAGE_LIMIT },
    { NULL, 0, NULL, 0 },
};

typedef struct {
    extcap_request_t request;
    const char *region, *log_group, *log_streams, *filter, *start, *profile, *endpoint;
    unsigned long poll_s, page_limit;
} arguments_t;

static void
print_interfaces(void)
{
    printf("extcap {version=%s}{display=vpcshark CloudWatch Logs flow records}\n", VPCSHARK_VERSION);
    printf("interface {value=%s}{display=AWS VPC Flow Logs from CloudWatch Logs (live)}\n", INTERFACE);
}

static void
print_dlts(void)
{
    printf("dlt {number=%u}{name=WIRESHARK_UPPER_PDU}{display=Flow records (vpcflow), as the file reader makes "
           "them}\n",
           PCAPNG_LINKTYPE_WIRESHARK_UPPER_PDU);
}

static void
print_config(void)
{
    printf("arg {number=0}{call=--region}{display=Region}{type=string}"
           "{tooltip=AWS region of the log group, e.g. eu-west-1 (empty: AWS_REGION, else the profile's)}{validation=^[a-z0-9-]*$}{group=Log group}\n");
    printf("arg {number=1}{call=--log-group}{display=Log group}{type=string}{required=true}"
           "{tooltip=The CloudWatch Logs group the flow logs are published to}{group=Log group}\n");
    printf("arg {number=2}{call=--log-streams}{display=Log streams (ENIs)}{type=string}"
           "{tooltip=Streams to follow, separated by commas (empty: every stream of the group)}{group=Log group}\n");
    printf("arg {number=3}{call=--filter-pattern}{display=Filter pattern}{type=string}"
           "{tooltip=A CloudWatch Logs filter pattern, e.g. REJECT or [version, account, eni, source, "
           "destination, srcport, destport=\"22\", ...] (empty: every event)}{group=Log group}\n");
    printf("arg {number=4}{call=--start-time}{display=Start time}{type=string}{default=%s}"
           "{tooltip=now, -15m, -2h, -1d, or an ISO 8601 time such as 2024-05-01T10:00:00Z (UTC if no zone)}"
           "{group=Polling}\n",
           DEFAULT_START);
    printf("arg {number=5}{call=--poll-interval}{display=Poll interval (s)}{type=unsigned}{default=%d}"
           "{range=1,%d}{tooltip=Seconds between polls; flow logs arrive every 1 or 10 minutes}{group=Polling}\n",
           DEFAULT_POLL_S, MAX_POLL_S);
    printf("arg {number=6}{call=--profile}{display=AWS profile}{type=string}"
           "{tooltip=Profile of ~/.aws/credentials and ~/.aws/config (empty: AWS_ACCESS_KEY_ID, else AWS_PROFILE, "
           "else default). Keys are never options}{group=AWS}\n");
    printf("arg {number=7}{call=--endpoint-url}{display=Endpoint URL}{type=string}"
           "{tooltip=Another service URL, e.g. a VPC endpoint (empty: AWS_ENDPOINT_URL, else the region's)}"
           "{group=AWS}\n");
}

static void
print_help(void)
{
    printf(PROGRAM " %s: follow VPC Flow Logs in CloudWatch Logs as a Wireshark extcap.\n\n"
           "  --extcap-interfaces | --extcap-dlts | --extcap-config  (with --extcap-interface=%s)\n"
           "  --capture --extcap-interface=%s --fifo=FILE --region=R --log-group=G [options]\n\n"
           "  --log-streams=A,B      only these streams (ENIs)\n"
           "  --filter-pattern=P     a CloudWatch Logs filter pattern\n"
           "  --start-time=T         now, -15m, -2h, -1d or ISO 8601 (default %s)\n"
           "  --poll-interval=S      seconds between polls (default %d)\n"
           "  --profile=NAME         AWS profile (credentials come from the environment or the AWS files)\n"
           "  --endpoint-url=URL     service URL (default: AWS_ENDPOINT_URL, else the region's)\n"
           "  --page-limit=N         events per page (default: the API's)\n",
           VPCSHARK_VERSION, INTERFACE, INTERFACE, DEFAULT_START, DEFAULT_POLL_S);
}

static bool
parse_arguments(int argc, char **argv, arguments_t *args)
{
    int opt;

    memset(args, 0, sizeof *args);
    args->start = DEFAULT_START;
    args->poll_s = DEFAULT_POLL_S;
    while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        if (extcap_request_option(&args->request, opt, optarg))
            continue;
        switch (opt) {
        case OPT_REGION: args->region = optarg; break;
        case OPT_LOG_GROUP: args->log_group = optarg; break;
        case OPT_LOG_STREAMS: args->log_streams = optarg; break;
        case OPT_FILTER: args->filter = optarg; break;
        case OPT_START: args->start = optarg; break;
        case OPT_PROFILE: args->profile = optarg; break;
        case OPT_ENDPOINT: args->endpoint = optarg; break;
        case OPT_POLL:
            if (!extcap_parse_unsigned(optarg, 1, MAX_POLL_S, &args->poll_s)) {
                fprintf(stderr, PROGRAM ": --poll-interval: \"%s\" is not a number of seconds from 1 to %d\n", optarg,
                        MAX_POLL_S);
                return false;
            }
            break;
        case OPT_PAGE_LIMIT:
            if (!extcap_parse_unsigned(optarg, 1, 10000, &args->page_limit)) {
                fprintf(stderr, PROGRAM ": --page-limit: \"%s\" is not a number from 1 to 10000\n", optarg);
                return false;
            }
            break;
        default:
            return false;
        }
    }
    if (optind < argc) {
        fprintf(stderr, PROGRAM ": unexpected argument \"%s\"\n", argv[optind]);
        return false;
    }
    return true;
}

static const char *
nonempty(const char *text)
{
    return text && *text ? text : NULL;
}

static int
capture(const extcap_request_t *request, void *options)
{
    const arguments_t *args = options;
    char *error = NULL;
    gint64 start_ms;

    if (nonempty(request->capture_filter)) {
        fprintf(stderr, PROGRAM ": capture filters are not supported; use the filter pattern (--filter-pattern) "
                                "and display filters\n");
        return 1;
    }
    if (!nonempty(args->log_group)) {
        fprintf(stderr, PROGRAM ": which log group? (--log-group)\n");
        return 1;
    }
    if (!cwl_parse_start_time(args->start, g_get_real_time() / 1000, &start_ms, &error)) {
        fprintf(stderr, PROGRAM ": --start-time: %s\n", error);
        g_free(error);
        return 1;
    }
    /* The region: the option, the environment, the profile's, as the CLI. */
    char *region = g_strdup(nonempty(args->region));
    if (!region)
        region = g_strdup(nonempty(g_getenv("AWS_REGION")));
    if (!region)
        region = g_strdup(nonempty(g_getenv("AWS_DEFAULT_REGION")));
    if (!region)
        region = aws_profile_region(args->profile);
    if (!region) {
        fprintf(stderr, PROGRAM ": which region? (--region, AWS_REGION, or region in the profile)\n");
        return 1;
    }
    const char *endpoint_option = nonempty(args->endpoint);
    if (!endpoint_option)
        endpoint_option = nonempty(g_getenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"));
    if (!endpoint_option)
        endpoint_option = nonempty(g_getenv("AWS_ENDPOINT_URL"));
    char *endpoint = endpoint_option ? g_strdup(endpoint_option) : cwl_default_endpoint(region);
    if (!g_str_has_prefix(endpoint, "https://") && !g_str_has_prefix(endpoint, "http://")) {
        fprintf(stderr, PROGRAM ": endpoint \"%s\" is not an http:// or https:// URL\n", endpoint);
        g_free(endpoint);
        g_free(region);
        return 1;
    }
    char **streams = NULL;
    if (nonempty(args->log_streams)) {
        /* Commas and spaces separate; empty names are dropped. */
        char **parts = g_strsplit_set(args->log_streams, ", ", -1);
        GPtrArray *kept = g_ptr_array_new();
        for (char **p = parts; *p; p++)
            if (**p)
                g_ptr_array_add(kept, g_strdup(*p));
        g_ptr_array_add(kept, NULL);
        streams = (char **)g_ptr_array_free(kept, FALSE);
        g_strfreev(parts);
    }
    cloudwatch_capture_options_t opt = {
        .region = region,
        .endpoint = endpoint,
        .profile = nonempty(args->profile),
        .log_group = args->log_group,
        .log_streams = (const char *const *)streams,
        .filter_pattern = nonempty(args->filter),
        .start_ms = start_ms,
        .poll_seconds = (guint)args->poll_s,
        .page_limit = (guint)args->page_limit,
        .output = request->fifo,
    };
    int status = cloudwatch_capture_run(&opt);
    g_strfreev(streams);
    g_free(endpoint);
    g_free(region);
    return status;
}

static const extcap_program_t program = {
    .name = PROGRAM,
    .interface = INTERFACE,
    .print_interfaces = print_interfaces,
    .print_dlts = print_dlts,
    .print_config = print_config,
    .print_help = print_help,
    .capture = capture,
};

int
main(int argc, char **argv)
{
    arguments_t args;

    if (!parse_arguments(argc, argv, &args))
        return 1;
    return extcap_run(&program, &args.request, &args);
}
