/* aws-instance-credentials.c
 * The last links of the AWS credential chain: the credentials a
 * container (ECS task, EKS pod identity) or an EC2 instance is given
 * (aws-credentials.h). The HTTP requests are the caller's
 * (aws_http_t); what is asked and how the answers are read is here.
 *
 * The SDKs' rules, as AWS documents them:
 *   container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is a path on
 *     169.254.170.2; else AWS_CONTAINER_CREDENTIALS_FULL_URI, https, or
 *     http to a loopback address or the ECS/EKS agent's addresses; the
 *     Authorization header from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
 *     else AWS_CONTAINER_AUTHORIZATION_TOKEN;
 *   EC2 (IMDSv2): PUT /latest/api/token, then with the token GET
 *     /latest/meta-data/iam/security-credentials/ (the role's name) and
 *     .../<role> (the credentials); an instance that refuses tokens
 *     (403, 404, 405) is asked without one (IMDSv1). The endpoint is
 *     AWS_EC2_METADATA_SERVICE_ENDPOINT, else 169.254.169.254 (or
 *     [fd00:ec2::254] with AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6);
 *     AWS_EC2_METADATA_DISABLED=true skips it. Each request gets one
 *     second (AWS_METADATA_SERVICE_TIMEOUT), so off EC2 the chain ends
 *     quickly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "aws-credentials.h"

#include <string.h>

#define ECS_AGENT           "http://169.254.170.2"
#define IMDS_IPV4           "http://169.254.169.254"
#define IMDS_IPV6           "http://[fd00:ec2::254]"
#define IMDS_TOKEN_PATH     "/latest/api/token"
#define IMDS_ROLE_PATH      "/latest/meta-data/iam/security-credentials/"
#define IMDS_TOKEN_TTL      "X-aws-ec2-metadata-token-ttl-seconds: 21600"
#define IMDS_TIMEOUT_MS     1000

/* Hosts an http:// full URI may name: what the SDKs accept (loopback, the
 * ECS agent, the EKS pod identity agent). */
static const char *const container_hosts[] = {
    "127.0.0.1", "localhost", "[::1]", "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]",
};

static long
request(const aws_http_t *http, const char *method, const char *url, const char *const *headers, guint timeout_ms,
        char **body, char **error)
{
    gsize len = 0;

    *body = NULL;
    long status = http->request(http->data, method, url, headers, timeout_ms, body, &len, error);
    if (status && !*body)
        *body = g_strdup("");
    return status;
}

/* The host of an http:// URL, as written ("[::1]" with its brackets). */
static char *
url_host(const char *url)
{
    const char *start = url + strlen("http://");
    const char *end = *start == '[' ? strchr(start, ']') : start + strcspn(start, ":/?#");

    if (!end)
        return NULL;
    if (*start == '[')
        end++;
    return g_strndup(start, (gsize)(end - start));
}

static gboolean
container_url_allowed(const char *url)
{
    if (g_str_has_prefix(url, "https://"))
        return TRUE;
    if (!g_str_has_prefix(url, "http://"))
        return FALSE;
    char *host = url_host(url);
    gboolean allowed = FALSE;
    for (guint i = 0; host && i < G_N_ELEMENTS(container_hosts) && !allowed; i++)
        allowed = g_ascii_strcasecmp(host, container_hosts[i]) == 0;
    g_free(host);
    return allowed;
}

/* The token to send, from its file or the environment (g_free it), or NULL; FALSE if the file is unreadable. */
static gboolean
container_token(char **token, char **error)
{
    const char *file = g_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    const char *value = g_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    GError *gerr = NULL;

    *token = NULL;
    if (file && *file) {
        if (!g_file_get_contents(file, token, NULL, &gerr)) {
            *error = g_strdup_printf("container credentials: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %s",
                                     gerr->message);
            g_error_free(gerr);
            return FALSE;
        }
        g_strstrip(*token);
    } else if (value && *value) {
        *token = g_strdup(value);
    }
    /* A header is one line. */
    if (*token && strpbrk(*token, "\r\n")) {
        *error = g_strdup("container credentials: the authorization token holds a line break");
        g_free(*token);
        *token = NULL;
        return FALSE;
    }
    return TRUE;
}

gboolean
aws_container_credentials(const aws_http_t *http, aws_credentials_t *out, gboolean *configured, char **error)
{
    const char *relative = g_getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = g_getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    char *url, *token = NULL, *body = NULL, *why = NULL;
    gboolean ok = FALSE;

    *configured = (relative && *relative) || (full && *full);
    if (!*configured)
        return FALSE;
    if (relative && *relative) {
        url = g_strconcat(ECS_AGENT, *relative == '/' ? "" : "/", relative, NULL);
    } else if (container_url_allowed(full)) {
        url = g_strdup(full);
    } else {
        *error = g_strdup_printf("container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI \"%s\" is neither https "
                                 "nor http to a loopback address or the ECS or EKS agent", full);
        return FALSE;
    }
    if (!container_token(&token, error)) {
        g_free(url);
        return FALSE;
    }
    char *authorization = token ? g_strdup_printf("Authorization: %s", token) : NULL;
    const char *headers[] = { authorization, NULL };
    long status = request(http, "GET", url, headers, 2 * IMDS_TIMEOUT_MS, &body, &why);
    if (status == 0)
        *error = g_strdup_printf("container credentials: no answer from %s: %s", url, why);
    else if (status != 200)
        *error = g_strdup_printf("container credentials: %s answered HTTP %ld", url, status);
    else if (!aws_credentials_from_instance_json(body, strlen(body), out, &why))
        *error = g_strdup_printf("container credentials from %s: %s", url, why);
    else {
        out->source = g_strdup_printf("container credentials (%s)", url);
        ok = TRUE;
    }
    if (body)
        memset(body, 0, strlen(body));
    if (authorization)
        memset(authorization, 0, strlen(authorization));
    if (token)
        memset(token, 0, strlen(token));
    g_free(body);
    g_free(authorization);
    g_free(token);
    g_free(why);
    g_free(url);
    return ok;
}

static guint
imds_timeout_ms(void)
{
    const char *seconds = g_getenv("AWS_METADATA_SERVICE_TIMEOUT");
    guint64 value;

    if (seconds && g_ascii_string_to_unsigned(seconds, 10, 1, 60, &value, NULL))
        return (guint)value * 1000;
    return IMDS_TIMEOUT_MS;
}

static char *
imds_endpoint(void)
{
    const char *endpoint = g_getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    const char *mode = g_getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");

    if (endpoint && *endpoint)
        return g_str_has_suffix(endpoint, "/") ? g_strndup(endpoint, strlen(endpoint) - 1) : g_strdup(endpoint);
    return g_strdup(mode && g_ascii_strcasecmp(mode, "IPv6") == 0 ? IMDS_IPV6 : IMDS_IPV4);
}

gboolean
aws_instance_credentials(const aws_http_t *http, aws_credentials_t *out, gboolean *answered, char **error)
{
    const char *disabled = g_getenv("AWS_EC2_METADATA_DISABLED");
    char *endpoint, *url, *body = NULL, *why = NULL, *token_header = NULL, *role = NULL;
    guint timeout_ms = imds_timeout_ms();
    gboolean ok = FALSE;

    *answered = FALSE;
    if (disabled && g_ascii_strcasecmp(disabled, "true") == 0)
        return FALSE;
    endpoint = imds_endpoint();

    /* IMDSv2: a session token first. */
    url = g_strconcat(endpoint, IMDS_TOKEN_PATH, NULL);
    const char *ttl[] = { IMDS_TOKEN_TTL, NULL };
    long status = request(http, "PUT", url, ttl, timeout_ms, &body, &why);
    g_free(url);
    if (status == 0) {
        *error = g_strdup_printf("no instance metadata service answered at %s (not an EC2 instance, or its "
                                 "metadata service is off): %s", endpoint, why);
        goto done;
    }
    *answered = TRUE;
    if (status == 200 && *body && !strpbrk(body, "\r\n")) {
        token_header = g_strdup_printf("X-aws-ec2-metadata-token: %s", body);
    } else if (status != 403 && status != 404 && status != 405) {
        *error = g_strdup_printf("the instance metadata service at %s refused a session token (HTTP %ld)",
                                 endpoint, status);
        goto done;
    }   /* else: an IMDSv1-only service, asked without a token */
    memset(body, 0, strlen(body));
    g_free(body);
    body = NULL;

    const char *headers[] = { token_header, NULL };
    url = g_strconcat(endpoint, IMDS_ROLE_PATH, NULL);
    status = request(http, "GET", url, headers, timeout_ms, &body, &why);
    g_free(url);
    if (status == 404) {
        *error = g_strdup_printf("this EC2 instance has no IAM role (instance profile) to take credentials from "
                                 "(%s)", endpoint);
        goto done;
    }
    if (status != 200) {
        *error = status ? g_strdup_printf("the instance metadata service at %s answered HTTP %ld for the instance's "
                                          "role", endpoint, status)
                        : g_strdup_printf("the instance metadata service at %s: %s", endpoint, why);
        goto done;
    }
    role = g_strndup(body, strcspn(body, "\r\n"));
    g_strstrip(role);
    if (!*role || strpbrk(role, "/?#% ")) {
        *error = g_strdup_printf("the instance metadata service at %s gave no usable role name", endpoint);
        goto done;
    }
    g_free(body);
    body = NULL;

    url = g_strconcat(endpoint, IMDS_ROLE_PATH, role, NULL);
    status = request(http, "GET", url, headers, timeout_ms, &body, &why);
    g_free(url);
    if (status != 200)
        *error = status ? g_strdup_printf("the instance metadata service at %s answered HTTP %ld for the "
                                          "credentials of role \"%s\"", endpoint, status, role)
                        : g_strdup_printf("the instance metadata service at %s: %s", endpoint, why);
    else if (!aws_credentials_from_instance_json(body, strlen(body), out, &why))
        *error = g_strdup_printf("the credentials of role \"%s\" from the instance metadata service: %s", role, why);
    else {
        out->source = g_strdup_printf("the EC2 instance's role \"%s\" (instance metadata at %s)", role, endpoint);
        ok = TRUE;
    }
done:
    if (body)
        memset(body, 0, strlen(body));
    if (token_header)
        memset(token_header, 0, strlen(token_header));
    g_free(body);
    g_free(token_header);
    g_free(role);
    g_free(why);
    g_free(endpoint);
    return ok;
}
