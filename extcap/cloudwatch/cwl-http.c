/* cwl-http.c
 * Signed CloudWatch Logs calls (cwl-http.h).
 *
 * Secrets go to libcurl only as the signing key (CURLOPT_USERNAME and
 * CURLOPT_PASSWORD with CURLOPT_AWS_SIGV4: nothing is sent as Basic
 * authentication) and the session token as the X-Amz-Security-Token
 * header, which the signature covers. Nothing is logged.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "cwl-http.h"
#include "cwl-api.h"

#include <string.h>

#include <curl/curl.h>

#define CONNECT_TIMEOUT_S 10
#define CALL_TIMEOUT_S    60

struct cwl_http {
    CURL *curl;
    char *url;
    char *sigv4;                /* "aws:amz:<region>:logs" */
};

typedef struct {
    GByteArray *body;
    gsize       limit;
    gboolean    too_large;
    volatile const int *stop;
} transfer_t;

static size_t
on_data(char *data, size_t size, size_t n, void *user)
{
    transfer_t *t = user;
    size_t len = size * n;

    if (t->body->len + len > t->limit) {
        t->too_large = TRUE;
        return 0;
    }
    g_byte_array_append(t->body, (const guint8 *)data, (guint)len);
    return len;
}

static int
on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    const transfer_t *t = user;

    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return t->stop && *t->stop;
}

char *
cwl_default_endpoint(const char *region)
{
    /* The China regions live under another domain. */
    const char *domain = g_str_has_prefix(region, "cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return g_strdup_printf("https://logs.%s.%s/", region, domain);
}

cwl_http_t *
cwl_http_new(const char *endpoint, const char *region)
{
    static gsize initialised;
    if (g_once_init_enter(&initialised)) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        g_once_init_leave(&initialised, 1);
    }
    cwl_http_t *http = g_new0(cwl_http_t, 1);
    http->curl = curl_easy_init();
    http->url = g_str_has_suffix(endpoint, "/") ? g_strdup(endpoint) : g_strconcat(endpoint, "/", NULL);
    http->sigv4 = g_strdup_printf("aws:amz:%s:logs", region);
    return http;
}

void
cwl_http_free(cwl_http_t *http)
{
    if (!http)
        return;
    curl_easy_cleanup(http->curl);
    g_free(http->url);
    g_free(http->sigv4);
    g_free(http);
}

long
cwl_http_call(cwl_http_t *http, const aws_credentials_t *creds, const char *target, const char *body,
              volatile const int *stop, GByteArray **response, char **error)
{
    CURL *c = http->curl;
    struct curl_slist *headers = NULL;
    char *target_header = g_strdup_printf("X-Amz-Target: %s", target);
    char *token_header = NULL;
    char curl_error[CURL_ERROR_SIZE] = "";
    transfer_t t = { .body = g_byte_array_new(), .limit = CWL_RESPONSE_MAX, .stop = stop };
    long status = 0;

    headers = curl_slist_append(headers, "Content-Type: " CWL_CONTENT_TYPE);
    headers = curl_slist_append(headers, target_header);
    /* No "Expect: 100-continue" round trip. */
    headers = curl_slist_append(headers, "Expect:");
    if (creds->session_token) {
        token_header = g_strdup_printf("X-Amz-Security-Token: %s", creds->session_token);
        headers = curl_slist_append(headers, token_header);
    }

    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, http->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    /* A libcurl older than 7.75 does not know the option: it would send the request unsigned. */
    if (curl_easy_setopt(c, CURLOPT_AWS_SIGV4, http->sigv4) != CURLE_OK) {
        *error = g_strdup_printf("this libcurl (%s) cannot sign AWS requests: 7.75 or later is needed",
                                 curl_version_info(CURLVERSION_NOW)->version);
        status = 0;
        goto done;
    }
    curl_easy_setopt(c, CURLOPT_USERNAME, creds->access_key_id);
    curl_easy_setopt(c, CURLOPT_PASSWORD, creds->secret_access_key);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "vpcflow-cloudwatch/" VPCSHARK_VERSION);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)CALL_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);

    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        *response = t.body;
        t.body = NULL;
    } else if (t.too_large) {
        *error = g_strdup_printf("the response from %s is larger than %d bytes", http->url, CWL_RESPONSE_MAX);
    } else if (rc == CURLE_ABORTED_BY_CALLBACK) {
        *error = g_strdup("stopped");
    } else {
        *error = g_strdup_printf("%s: %s", http->url, curl_error[0] ? curl_error : curl_easy_strerror(rc));
    }
done:
    /* The headers held the session token. */
    if (token_header)
        memset(token_header, 0, strlen(token_header));
    curl_slist_free_all(headers);
    g_free(token_header);
    g_free(target_header);
    if (t.body)
        g_byte_array_free(t.body, TRUE);
    return status;
}

long
cwl_http_credentials_request(void *data, const char *method, const char *url, const char *const *headers,
                             guint timeout_ms, char **body, gsize *body_len, char **error)
{
    CURL *c = ((cwl_http_t *)data)->curl;
    struct curl_slist *list = NULL;
    char curl_error[CURL_ERROR_SIZE] = "";
    transfer_t t = { .body = g_byte_array_new(), .limit = AWS_INSTANCE_ANSWER_MAX };
    long status = 0;

    for (const char *const *h = headers; *h; h++)
        list = curl_slist_append(list, *h);
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "PUT") == 0) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "vpcflow-cloudwatch/" VPCSHARK_VERSION);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);

    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        *body_len = t.body->len;
        g_byte_array_append(t.body, (const guint8 *)"", 1);
        *body = (char *)g_byte_array_free(t.body, FALSE);
        t.body = NULL;
    } else if (t.too_large) {
        *error = g_strdup_printf("the answer from %s is larger than %d bytes", url, AWS_INSTANCE_ANSWER_MAX);
    } else {
        *error = g_strdup(curl_error[0] ? curl_error : curl_easy_strerror(rc));
    }
    curl_slist_free_all(list);
    if (t.body) {
        memset(t.body->data, 0, t.body->len);
        g_byte_array_free(t.body, TRUE);
    }
    return status;
}
